/**
 * One-time enrolment tokens. Only the SHA-256 of each secret is kept; a token is consumed by
 * its first successful use and expires. The token text also carries the server certificate's
 * hash, which the agent pins (protocol's `formatEnrolmentToken`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { formatEnrolmentToken, parseEnrolmentToken } from '@cordon/protocol';

export interface EnrolmentTokenStore {
  /** Issues a token for `tenantId`; returns the text to hand to `cordon agent enroll`. */
  issue(
    tenantId: string,
    options: { certificateSha256: string; ttlMs: number; now: number },
  ): Promise<string>;
  /** Returns the tenant and forgets the token, or `undefined` if unknown, used or expired. */
  consume(token: string, now: number): Promise<{ tenantId: string } | undefined>;
}

function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export class InMemoryEnrolmentTokens implements EnrolmentTokenStore {
  readonly #tokens = new Map<string, { tenantId: string; expiresAt: number }>();

  async issue(
    tenantId: string,
    options: { certificateSha256: string; ttlMs: number; now: number },
  ): Promise<string> {
    const secret = randomBytes(24);
    const token = formatEnrolmentToken(secret, options.certificateSha256);
    const parsed = parseEnrolmentToken(token);
    if (parsed === undefined) throw new Error('enrolment token did not round-trip');
    this.#tokens.set(digest(parsed.secret), { tenantId, expiresAt: options.now + options.ttlMs });
    return token;
  }

  async consume(token: string, now: number): Promise<{ tenantId: string } | undefined> {
    const parsed = parseEnrolmentToken(token);
    if (parsed === undefined) return undefined;
    const key = digest(parsed.secret);
    const entry = this.#tokens.get(key);
    if (entry === undefined) return undefined;
    this.#tokens.delete(key);
    return entry.expiresAt > now ? { tenantId: entry.tenantId } : undefined;
  }
}
