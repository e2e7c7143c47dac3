/**
 * Offline release codes: the break-glass path when an isolated host cannot reach the server.
 * The server signs (tenant, agent, code id, expiry); the code carries only the code id, the
 * expiry and the signature, so it is bound to one agent without naming it, and it is
 * unforgeable without the server key. Crockford base32 in groups of four, to read out.
 *
 * Layout (77 bytes): version 1 | code id (8) | expiry, seconds since epoch, u32 BE (4) |
 * Ed25519 signature (64).
 */
import { decodeBase32, encodeBase32, groupCode } from './base32.ts';
import { signingBytes } from './canonical-json.ts';
import { ED25519_SIGNATURE_BYTES } from './signature.ts';
import type { SignBytes, VerifyBytes } from './signature.ts';

export const RELEASE_SIGNING_LABEL = 'cordon-release-v1';
const VERSION = 1;
const CODE_ID_BYTES = 8;
const CODE_BYTES = 1 + CODE_ID_BYTES + 4 + ED25519_SIGNATURE_BYTES;

export interface ReleaseCodeClaims {
  readonly tenantId: string;
  readonly agentId: string;
  /** 8 random bytes, hex (16 characters). */
  readonly codeId: string;
  /** Milliseconds since epoch; stored with one-second precision (rounded down). */
  readonly expiresAt: number;
}

function claimsBytes(claims: ReleaseCodeClaims, expirySeconds: number): Uint8Array {
  return signingBytes(RELEASE_SIGNING_LABEL, {
    tenantId: claims.tenantId,
    agentId: claims.agentId,
    codeId: claims.codeId,
    expiresAt: expirySeconds,
  });
}

export function createReleaseCode(claims: ReleaseCodeClaims, sign: SignBytes): string {
  if (!/^[0-9a-f]{16}$/.test(claims.codeId)) throw new TypeError('codeId must be 16 hex digits');
  const expirySeconds = Math.floor(claims.expiresAt / 1000);
  if (expirySeconds < 0 || expirySeconds > 0xffffffff) throw new TypeError('expiry out of range');
  const signature = sign(claimsBytes(claims, expirySeconds));
  if (signature.length !== ED25519_SIGNATURE_BYTES) throw new TypeError('not an Ed25519 signature');
  const bytes = new Uint8Array(CODE_BYTES);
  bytes[0] = VERSION;
  for (let i = 0; i < CODE_ID_BYTES; i += 1) {
    bytes[1 + i] = parseInt(claims.codeId.slice(2 * i, 2 * i + 2), 16);
  }
  new DataView(bytes.buffer).setUint32(1 + CODE_ID_BYTES, expirySeconds);
  bytes.set(signature, 1 + CODE_ID_BYTES + 4);
  return groupCode(encodeBase32(bytes));
}

export type ReleaseCodeRejection = 'malformed' | 'bad-signature' | 'expired' | 'already-used';

export type ReleaseCodeVerification =
  | { readonly ok: true; readonly codeId: string; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: ReleaseCodeRejection };

export interface VerifyReleaseCodeOptions {
  readonly tenantId: string;
  readonly agentId: string;
  readonly serverPublicKey: Uint8Array;
  readonly verifySignature: VerifyBytes;
  readonly now: number;
  readonly usedCodeIds: { has(codeId: string): boolean };
}

export function verifyReleaseCode(
  code: string,
  options: VerifyReleaseCodeOptions,
): ReleaseCodeVerification {
  const bytes = code.length > 400 ? undefined : decodeBase32(code);
  if (bytes?.length !== CODE_BYTES || bytes[0] !== VERSION)
    return { ok: false, reason: 'malformed' };
  const codeId = [...bytes.subarray(1, 1 + CODE_ID_BYTES)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
  const expirySeconds = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1 + CODE_ID_BYTES);
  const signature = bytes.subarray(1 + CODE_ID_BYTES + 4);
  const claims = { tenantId: options.tenantId, agentId: options.agentId, codeId, expiresAt: 0 };
  let valid: boolean;
  try {
    valid = options.verifySignature(
      claimsBytes(claims, expirySeconds),
      signature,
      options.serverPublicKey,
    );
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'bad-signature' };
  const expiresAt = expirySeconds * 1000;
  if (expiresAt <= options.now) return { ok: false, reason: 'expired' };
  if (options.usedCodeIds.has(codeId)) return { ok: false, reason: 'already-used' };
  return { ok: true, codeId, expiresAt };
}
