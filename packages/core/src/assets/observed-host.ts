/**
 * A host as telemetry saw it: a name and an address with the first and last time seen. The
 * ingest pipeline reports sightings; people never edit these, they only resolve what
 * reconciliation finds in them.
 */
export interface ObservedHost {
  readonly id: string;
  readonly tenantId: string;
  /** Lower-case; empty when the telemetry carried only an address. */
  readonly hostname: string;
  readonly ip: string;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  /** Set when someone decided the host is none of the tenant's business (resolution `retire`). */
  readonly dismissedAt: number | null;
}

export interface HostSighting {
  readonly hostname: string;
  readonly ip: string;
  readonly seenAt: number;
}
