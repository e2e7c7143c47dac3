/**
 * The worker thread in which tenant rule texts are parsed, validated and compiled
 * (`TenantRuleChecker` runs it under a heap cap and a time limit). It knows the server's rule
 * ids and names, which a tenant's correlation may refer to.
 */
import { workerData } from 'node:worker_threads';
import type { RuleReference } from '@cordon/sigma';
import { serveWorkerRequests } from './serve-worker-requests.ts';
import type { TenantRuleCheck } from './tenant-rules.ts';
import { checkTenantRules } from './tenant-rules.ts';

export interface RuleCheckRequest {
  readonly yaml: string;
  /** Further rule ids or names its correlations may refer to (the tenant's other rules). */
  readonly alsoKnown: readonly string[];
}

const serverRules = (workerData as { serverRules: readonly RuleReference[] }).serverRules;

serveWorkerRequests<RuleCheckRequest, TenantRuleCheck>((request) => {
  const known = [...serverRules, ...request.alsoKnown.map((id) => ({ id, name: id }))];
  try {
    return checkTenantRules(known, request.yaml);
  } catch (error) {
    // A parser that gives up by throwing (deep nesting: stack overflow) still means "invalid".
    return {
      ok: false,
      problems: [`rule: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
});
