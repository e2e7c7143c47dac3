/**
 * Business continuity facts: what the organisation does, how long it may stop (maximum
 * tolerable downtime) and what an hour of outage costs. The assets a function needs are
 * `runs_function` relations, so there is one place that says which asset serves what.
 */
export interface BusinessFunction {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly description: string;
  readonly owner: string | null;
  /** Maximum tolerable downtime, minutes. */
  readonly mtdMinutes: number;
  /** Revenue lost or cost incurred per hour of outage, in the tenant's currency. */
  readonly costPerHour: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}
