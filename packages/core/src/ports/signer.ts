/** The server's Ed25519 key, as the domain sees it: sign checkpoint messages, name the key. */
export interface Signer {
  readonly keyId: string;
  /** Base64 signature of the UTF-8 message. */
  sign(message: string): string;
}
