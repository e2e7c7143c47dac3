/**
 * The facts of recovery, verification and closure that the phase guards read, loaded in the
 * transition's transaction: change records, isolations in force and failed restores for
 * *recovered*, the checks' latest results for *verified*, the closing review for *closed*.
 */
import type { GuardContext } from '../incidents/phase-guard.ts';
import type { TenantScope } from '../ports/store.ts';
import { recoveryGuardFacts } from '../recovery/recovery.service.ts';

export async function responseGuardFacts(
  scope: TenantScope,
  incidentId: string,
): Promise<Pick<GuardContext, 'recovery' | 'verificationChecks' | 'closingReview'>> {
  const checks = await scope.recovery.checks.list(incidentId);
  return {
    recovery: await recoveryGuardFacts(scope, incidentId),
    verificationChecks: checks.map((c) => ({ title: c.title, lastStatus: c.lastStatus })),
    closingReview: (await scope.recovery.reviews.get(incidentId)) !== undefined,
  };
}
