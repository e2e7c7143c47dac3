/**
 * The seams of the telemetry pipeline inside the server, so that its stages can be built and
 * tested apart: ingestion (listeners, HTTP bulk, agents) hands durable events to consumers
 * (live detection, asset refresh); detection raises incidents that listeners (the
 * auto-containment policy) act on.
 *
 * sources ─► parse ─► event store (durable) ─► EventConsumer[] ─► alerts ─► incidents ─► IncidentRaisedListener[]
 */
import type { EventProvenance, Incident } from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';

/** An event after it has been written to the event store: `id` is its id there. */
export interface StoredIngestEvent {
  readonly id: string;
  readonly event: IngestEvent;
  /** How it arrived (stored with it): alerts and auto-containment judge their evidence by it. */
  readonly provenance: EventProvenance;
}

/**
 * Receives every batch of events once it is durable, in arrival order per tenant. A consumer
 * that throws does not lose the batch for the others; the pipeline logs the error and counts it.
 */
export interface EventConsumer {
  readonly name: string;
  consume(tenantId: string, events: readonly StoredIngestEvent[]): Promise<void>;
}

/** What live detection knows about the incident it has just opened (or grown). */
export interface RaisedIncident {
  readonly tenantId: string;
  readonly incident: Incident;
  /** True when this alert group opened the incident; false when it added to an open one. */
  readonly opened: boolean;
  /** Affected hosts (host names as in the events and the asset inventory). */
  readonly hosts: readonly string[];
  /** Origin addresses seen in the alerts (attacker side). */
  readonly originIps: readonly string[];
  /** Event ids that triggered it, for latency measurement and evidence. */
  readonly eventIds: readonly string[];
}

export type IncidentRaisedListener = (raised: RaisedIncident) => Promise<void>;
