/** One recorded readiness score, so that its history over time can be shown. */
import type { ReadinessCheck } from './readiness-report.ts';

export interface ReadinessSnapshot {
  readonly id: string;
  readonly tenantId: string;
  readonly at: number;
  readonly score: number;
  readonly checks: readonly ReadinessCheck[];
}
