/**
 * One-time enrolment tokens. Only the SHA-256 of each secret is kept; a token is consumed by
 * its first successful use and expires. The token text also carries the server certificate's
 * hash, which the agent pins (protocol's `formatEnrolmentToken`).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '@cordon/core';
import { formatEnrolmentToken, parseEnrolmentToken } from '@cordon/protocol';

export interface IssueTokenOptions {
  readonly certificateSha256: string;
  readonly ttlMs: number;
  readonly now: number;
  readonly createdBy?: string;
}

export interface EnrolmentTokenStore {
  /** Issues a token for `tenantId`; returns the text to hand to `cordon agent enroll`. */
  issue(tenantId: string, options: IssueTokenOptions): Promise<string>;
  /** Returns the tenant and forgets the token, or `undefined` if unknown, used or expired. */
  consume(token: string, now: number): Promise<{ tenantId: string } | undefined>;
}

function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newToken(certificateSha256: string): { token: string; secret: string } {
  const token = formatEnrolmentToken(randomBytes(24), certificateSha256);
  const parsed = parseEnrolmentToken(token);
  if (parsed === undefined) throw new Error('enrolment token did not round-trip');
  return { token, secret: parsed.secret };
}

export class InMemoryEnrolmentTokens implements EnrolmentTokenStore {
  readonly #tokens = new Map<string, { tenantId: string; expiresAt: number }>();

  async issue(tenantId: string, options: IssueTokenOptions): Promise<string> {
    const { token, secret } = newToken(options.certificateSha256);
    this.#tokens.set(digest(secret), { tenantId, expiresAt: options.now + options.ttlMs });
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

export class StoreEnrolmentTokens implements EnrolmentTokenStore {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }

  async issue(tenantId: string, options: IssueTokenOptions): Promise<string> {
    const { token, secret } = newToken(options.certificateSha256);
    const id = randomUUID();
    const createdBy = options.createdBy ?? 'system';
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await scope.containment.enrolmentTokens.insert({
        id,
        tenantId,
        secretHash: digest(secret),
        createdBy,
        createdAt: options.now,
        expiresAt: options.now + options.ttlMs,
        usedAt: null,
        agentId: null,
      });
      await scope.journal.append({
        actor: createdBy,
        kind: 'agent.enrolment-token-issued',
        payload: { tokenId: id, expiresAt: options.now + options.ttlMs },
      });
    });
    return token;
  }

  async consume(token: string, now: number): Promise<{ tenantId: string } | undefined> {
    const parsed = parseEnrolmentToken(token);
    if (parsed === undefined) return undefined;
    const grant = await this.#store.transaction(async (uow) =>
      uow.enrolmentTokens.consume(digest(parsed.secret), now),
    );
    return grant && { tenantId: grant.tenantId };
  }
}
