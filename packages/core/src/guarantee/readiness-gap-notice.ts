/**
 * A notice to the client that a readiness check fails and must be fixed: the fact that a
 * guarantee exclusion for an ignored readiness gap rests on. Recorded only while the check
 * fails; `measured` keeps what the check measured then.
 */
import type { ReadinessCheckId } from '../readiness/readiness-report.ts';
import type { ReadinessSnapshot } from '../readiness/readiness-snapshot.ts';
import type { GuaranteeTerms } from './guarantee-contract.ts';

export interface ReadinessGapNotice {
  readonly id: string;
  readonly tenantId: string;
  readonly check: ReadinessCheckId;
  readonly measured: string;
  readonly note: string;
  readonly notifiedBy: string;
  readonly notifiedAt: number;
}

const DAY = 86_400_000;

/** Why an incident opened at `openedAt` is excluded, or null when no exclusion holds. */
export function gapExclusion(input: {
  readonly terms: GuaranteeTerms;
  readonly openedAt: number;
  readonly notices: readonly ReadinessGapNotice[];
  /** Readiness snapshots, any order. */
  readonly snapshots: readonly ReadinessSnapshot[];
}): string | null {
  const before = input.snapshots
    .filter((s) => s.at <= input.openedAt)
    .sort((a, b) => b.at - a.at)[0];
  if (!before) return null;
  for (const exclusion of input.terms.exclusions) {
    const notice = input.notices
      .filter(
        (n) =>
          n.check === exclusion.check && n.notifiedAt + exclusion.graceDays * DAY <= input.openedAt,
      )
      .sort((a, b) => a.notifiedAt - b.notifiedAt)[0];
    const check = before.checks.find((c) => c.id === exclusion.check);
    if (!notice || !check || check.value === null || check.value >= 1) continue;
    return (
      `readiness gap ${exclusion.check} notified ${new Date(notice.notifiedAt).toISOString()} ` +
      `(${notice.measured}) still failing at ${new Date(before.at).toISOString()} (${check.measured})`
    );
  }
  return null;
}
