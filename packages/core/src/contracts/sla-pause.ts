/** A pause of an incident's SLA clocks while the MSSP waits on the client: who, why, when. */
export interface SlaPause {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly reason: string;
  readonly startedBy: string;
  readonly startedAt: number;
  readonly endedBy: string | null;
  readonly endedAt: number | null;
}

/**
 * What the scheduler has already reported about one clock, so that each at-risk, breach,
 * near and missed event is journalled once. `clock` is `sla:<metric>` or
 * `regulatory:<regime>:<obligation>`.
 */
export interface ClockMark {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly clock: string;
  readonly mark: 'at_risk' | 'breached' | 'near' | 'missed';
  readonly at: number;
}
