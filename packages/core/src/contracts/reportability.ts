/**
 * What is recorded about an incident's reporting: the reportability determination (who decided,
 * why, when, which regimes, when the organisation became aware, when a ransom was paid) and each
 * notice sent to a regulator or the people affected, with the SHA-256 of its content.
 */
export interface ReportabilityDetermination {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly reportable: boolean;
  readonly regimes: readonly string[];
  readonly reason: string;
  readonly awarenessAt: number;
  readonly paymentAt: number | null;
  readonly determinedBy: string;
  readonly determinedAt: number;
}

export interface RegulatoryNotice {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly regimeId: string;
  readonly obligationId: string;
  readonly recipient: string;
  readonly channel: string;
  readonly sentAt: number;
  readonly content: string;
  readonly contentSha256: string;
  readonly recordedBy: string;
  readonly recordedAt: number;
}
