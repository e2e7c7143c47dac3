/**
 * Preparation records are written by the roles that work incidents (analyst and up) and read
 * by everyone with access to the tenant, client viewers included: the client should see what
 * is missing. The permission is shared with incident work until roles grow a finer one.
 */
import type { Permission } from '../access/role.ts';
import type { PreparationFacts } from '../readiness/readiness-report.ts';
import type { TenantScope } from '../ports/store.ts';

export const PREPARATION_WRITE: Permission = 'incident:write';
export const PREPARATION_READ: Permission = 'tenant:read';

/** Everything the readiness checks and impact analysis read, in one pass. */
export async function loadPreparationFacts(scope: TenantScope): Promise<PreparationFacts> {
  const p = scope.preparation;
  const [assets, relations, functions, backupJobs, planDocuments, roles, exercises, observedHosts] =
    await Promise.all([
      p.assets.list(),
      p.relations.list(),
      p.functions.list(),
      p.backupJobs.list(),
      p.planDocuments.list(),
      p.roles.list(),
      p.exercises.list(),
      p.observedHosts.list(),
    ]);
  return {
    assets,
    relations,
    functions,
    backupJobs,
    planDocuments,
    roles,
    exercises,
    observedHosts,
  };
}
