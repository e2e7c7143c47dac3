/**
 * Signing is injected: protocol is pure, so the Ed25519 implementation (node:crypto on the
 * server and agent, WebCrypto in a browser) is passed in by the caller. Keys and signatures
 * travel as base64url of their raw bytes (32-byte public key, 64-byte signature).
 */
export type SignBytes = (message: Uint8Array) => Uint8Array;

export type VerifyBytes = (
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
) => boolean;

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
