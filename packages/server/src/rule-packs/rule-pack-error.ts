/** Why a rule pack was not installed; nothing of it was left behind. */
export type RulePackErrorCode =
  /** The download failed or was larger than allowed. */
  | 'download_failed'
  /** No SHA-256 is pinned for the release, none was given and no signing key is configured. */
  | 'no_checksum'
  /** The archive's SHA-256 is not the pinned one. */
  | 'checksum_mismatch'
  /** The configured public key is not an Ed25519 key, or the signature file is malformed. */
  | 'bad_signature_input'
  /** The archive's signature does not verify with the configured public key. */
  | 'signature_mismatch'
  /** A hostile or broken archive: traversal, links, sizes, not tar.gz. */
  | 'archive_refused'
  /** No rule of the pack loads. */
  | 'no_rules';

export class RulePackError extends Error {
  override readonly name = 'RulePackError';
  readonly code: RulePackErrorCode;

  constructor(code: RulePackErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
