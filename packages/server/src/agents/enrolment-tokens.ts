/**
 * One-time enrolment tokens. Only the SHA-256 of each secret is kept; a token is consumed by
 * its first successful use (`enrolAgent`) and expires. The token text also carries the server
 * certificate's hash, which the agent pins (protocol's `formatEnrolmentToken`).
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

/** The stored form of a token's secret; undefined for text that is not a token. */
export function enrolmentSecretHash(token: string): string | undefined {
  const parsed = parseEnrolmentToken(token);
  return parsed && createHash('sha256').update(parsed.secret).digest('hex');
}

/** Issues a token for `tenantId`; returns the text to hand to `cordon agent enroll`. */
export async function issueEnrolmentToken(
  store: Store,
  tenantId: string,
  options: IssueTokenOptions,
): Promise<string> {
  const token = formatEnrolmentToken(randomBytes(24), options.certificateSha256);
  const secretHash = enrolmentSecretHash(token);
  if (secretHash === undefined) throw new Error('enrolment token did not round-trip');
  const id = randomUUID();
  const createdBy = options.createdBy ?? 'system';
  await store.transaction(async (uow) => {
    const scope = uow.forTenant(tenantId);
    await scope.containment.enrolmentTokens.insert({
      id,
      tenantId,
      secretHash,
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
