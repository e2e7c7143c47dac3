/**
 * The one-time enrolment token a tenant admin hands to `cordon agent enroll`:
 * `ce1.<secret>.<certificate SHA-256>`, both base64url. The secret is what the server checks;
 * the certificate hash is what the agent pins, so the very first connection is already
 * protected against a man in the middle.
 */
import { decodeBase64url, encodeBase64url } from './base64url.ts';

export interface EnrolmentToken {
  readonly secret: string;
  /** SHA-256 of the server's TLS certificate (DER), lowercase hex. */
  readonly certificateSha256: string;
}

export function formatEnrolmentToken(secret: Uint8Array, certificateSha256Hex: string): string {
  const fingerprint = certificateSha256Hex.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(fingerprint))
    throw new TypeError('certificate SHA-256 must be 64 hex digits');
  const bytes = Uint8Array.from(fingerprint.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  return `ce1.${encodeBase64url(secret)}.${encodeBase64url(bytes)}`;
}

export function parseEnrolmentToken(token: string): EnrolmentToken | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[0] !== 'ce1') return undefined;
  const secret = decodeBase64url(parts[1] ?? '');
  const fingerprint = decodeBase64url(parts[2] ?? '');
  if (
    secret === undefined ||
    secret.length < 16 ||
    secret.length > 64 ||
    fingerprint?.length !== 32
  ) {
    return undefined;
  }
  return {
    secret: parts[1] ?? '',
    certificateSha256: [...fingerprint].map((byte) => byte.toString(16).padStart(2, '0')).join(''),
  };
}
