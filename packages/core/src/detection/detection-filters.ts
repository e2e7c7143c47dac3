/**
 * A tenant's detection settings besides its rules. An exclusion drops detections before they
 * become alerts (a rule switched off for the tenant, or a known-benign source); a suppression
 * keeps the alert for the record but marks it suppressed instead of raising it, until it
 * expires. Both say why.
 */
import type { FieldFilter } from './field-filter.ts';

export interface DetectionExclusion extends FieldFilter {
  readonly id: string;
  readonly tenantId: string;
  readonly reason: string;
  readonly createdBy: string;
  readonly createdAt: number;
}

export interface AlertSuppression extends FieldFilter {
  readonly id: string;
  readonly tenantId: string;
  readonly reason: string;
  /** Epoch ms after which it no longer applies; null for until removed. */
  readonly expiresAt: number | null;
  readonly createdBy: string;
  readonly createdAt: number;
  /** Alerts it has suppressed. */
  readonly hits: number;
}

/** A tenant's own Sigma rules, as submitted (one YAML text may hold several documents). */
export interface TenantRule {
  readonly id: string;
  readonly tenantId: string;
  readonly title: string;
  readonly yaml: string;
  /** The Sigma ids / names the text defines. */
  readonly ruleIds: readonly string[];
  readonly enabled: boolean;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}
