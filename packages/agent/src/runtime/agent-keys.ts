/**
 * The agent's Ed25519 identity (node:crypto): generated once, stored as PKCS#8 PEM with mode
 * 0600, never sent anywhere. Also the Ed25519 verifier protocol's checks are given, working on
 * raw 32-byte public keys.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { decodeBase64url, encodeBase64url } from '@cordon/protocol';
import type { SignBytes, VerifyBytes } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import { writeFileAtomic } from '../state/atomic-write.ts';

export interface AgentKey {
  readonly sign: SignBytes;
  /** Raw public key, base64url (what the server records at enrolment). */
  readonly publicKey: string;
}

function toAgentKey(privateKey: KeyObject): AgentKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return {
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
    publicKey: jwk.x ?? '',
  };
}

/** Loads the key at `path`, creating it (0600) if there is none. Refuses a key others can read. */
export async function loadOrCreateAgentKey(path: string): Promise<AgentKey> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    const { privateKey } = generateKeyPairSync('ed25519');
    await writeFileAtomic(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), 0o600);
    await chmod(path, 0o600);
    return toAgentKey(privateKey);
  }
  if ((info.mode & 0o077) !== 0) {
    throw new AgentError(
      'invalid-config',
      `key file ${path} is readable by others (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`,
    );
  }
  return toAgentKey(createPrivateKey(await readFile(path)));
}

export const verifyEd25519: VerifyBytes = (message, signature, publicKey) => {
  if (publicKey.length !== 32) return false;
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: encodeBase64url(publicKey) },
    format: 'jwk',
  });
  return verify(null, message, key, signature);
};

export function decodePublicKey(text: string): Uint8Array {
  const bytes = decodeBase64url(text);
  if (bytes?.length !== 32)
    throw new AgentError('invalid-config', 'server public key is not a base64url Ed25519 key');
  return bytes;
}
