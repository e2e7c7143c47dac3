/**
 * Secrets the platform must use again later (a webhook's signing key) are kept sealed: the
 * database holds only what `seal` returns, and the key that opens it lives outside the
 * database. `context` binds a sealed value to its owner (tenant and record), so a sealed value
 * copied onto another record does not open there.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** Throws when `sealed` was not sealed by this box's key for this context, or was altered. */
  open(sealed: string, context: string): string;
  /** True when `value` has the sealed form (a value stored before sealing existed does not). */
  isSealed(value: string): boolean;
}
