/**
 * The data directory's secret box: AES-256-GCM under a random 256-bit key kept in
 * `keys/secrets-aes256gcm.key` (mode 0600 in the 0700 keys directory, beside the server's
 * signing key), never in the database — a copy of the database, or of its backups, does not
 * give the secrets away. A sealed value is `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url;
 * a fresh 96-bit IV each time; the context as additional data). Servers sharing one PostgreSQL
 * database must share this file, as they share the server key.
 */
import type { SecretBox } from '@cordon/core';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory, restrictFileIfPresent } from '../files/private-files.ts';

const PREFIX = 'v1';
const SEALED = /^v1\.[0-9a-f]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]*$/;

export function secretBoxKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'secrets-aes256gcm.key');
}

function loadOrCreateKey(dataDir: string): Buffer {
  const path = secretBoxKeyPath(dataDir);
  ensurePrivateDirectory(join(dataDir, 'keys'));
  restrictFileIfPresent(path);
  if (!existsSync(path)) {
    // Made aside, then linked into place: of two processes starting at once, one key wins and
    // both read it (a rename would let the second replace a key the first already used).
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(tmp);
    }
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${path} does not hold a 256-bit key`);
  return key;
}

/** The box of the data directory, its key made at first use. */
export function loadOrCreateSecretBox(dataDir: string): SecretBox {
  const key = loadOrCreateKey(dataDir);
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return [PREFIX, keyId, ...parts].join('.');
    },
    open(sealed, context) {
      if (!SEALED.test(sealed)) throw new Error('not a sealed secret');
      const [, id, iv, tag, body] = sealed.split('.') as [string, string, string, string, string];
      if (id !== keyId)
        throw new Error(
          `the secret was sealed with key ${id}, not this data directory's ${keyId} (keys/secrets-aes256gcm.key)`,
        );
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([
          decipher.update(Buffer.from(body, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new Error('the sealed secret does not open: altered, or sealed for another record');
      }
    },
    isSealed: (value) => SEALED.test(value),
  };
}
