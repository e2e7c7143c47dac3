/**
 * The server's Ed25519 key pair, made at first start and kept in the data directory
 * (`keys/server-ed25519.pem`, mode 0600 in a 0700 directory; the public half beside it). It signs journal
 * checkpoints and, later, agent commands. `cordon verify` needs only the public key.
 */
import type { Signer } from '@cordon/core';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory, restrictFileIfPresent } from '../files/private-files.ts';

export interface ServerKey extends Signer {
  readonly publicKeyPem: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function serverKeyPaths(dataDir: string): { privatePath: string; publicPath: string } {
  return {
    privatePath: join(dataDir, 'keys', 'server-ed25519.pem'),
    publicPath: join(dataDir, 'keys', 'server-ed25519.pub.pem'),
  };
}

/** Loads the key pair from the data directory, creating it on first use. */
export function loadOrCreateServerKey(dataDir: string): ServerKey {
  const { privatePath, publicPath } = serverKeyPaths(dataDir);
  ensurePrivateDirectory(join(dataDir, 'keys'));
  restrictFileIfPresent(privatePath);
  if (!existsSync(privatePath)) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const tmp = `${privatePath}.${process.pid}.tmp`;
    writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    renameSync(tmp, privatePath);
    writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(privatePath));
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message: string) =>
      sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/** A verifier for checkpoint signatures made by the holder of `publicKeyPem`. */
export function signatureVerifier(
  publicKeyPem: string,
): (keyId: string, message: string, signature: string) => boolean {
  const publicKey = createPublicKey(publicKeyPem);
  const expectedKeyId = keyIdOf(publicKey);
  return (keyId, message, signature) => {
    if (keyId !== expectedKeyId) return false;
    try {
      return verify(
        null,
        Buffer.from(message, 'utf8'),
        publicKey,
        Buffer.from(signature, 'base64'),
      );
    } catch {
      return false;
    }
  };
}
