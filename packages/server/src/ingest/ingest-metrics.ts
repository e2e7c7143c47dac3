/**
 * The pipeline's Prometheus metrics, on the server's registry (`GET /metrics`). `source` is
 * where records came from (`http`, `syslog_udp`, `syslog_tcp`, `syslog_tls`, `agent`,
 * `replay`); counters are per record (what a sender sent) or per event (what a record became).
 */
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';

export type IngestSource = 'http' | 'syslog_udp' | 'syslog_tcp' | 'syslog_tls' | 'agent' | 'replay';

export interface IngestMetrics {
  readonly received: Counter<'source'>;
  readonly parsed: Counter<'source'>;
  readonly stored: Counter;
  readonly deadLettered: Counter<'source' | 'code'>;
  readonly rejected: Counter<'source' | 'reason'>;
  readonly duplicateBatches: Counter;
  readonly consumerErrors: Counter<'consumer'>;
  readonly writeErrors: Counter;
  readonly queueEvents: Gauge;
  readonly queueBytes: Gauge;
  readonly batchSeconds: Histogram;
}

export function ingestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  return {
    received: new Counter({
      name: 'cordon_ingest_records_received_total',
      help: 'Records received (syslog messages, lines, JSON documents), by source',
      labelNames: ['source'] as const,
      registers,
    }),
    parsed: new Counter({
      name: 'cordon_ingest_events_parsed_total',
      help: 'Events produced by parsing, by source',
      labelNames: ['source'] as const,
      registers,
    }),
    stored: new Counter({
      name: 'cordon_ingest_events_stored_total',
      help: 'Events written durably to the event store (duplicates of earlier batches excluded)',
      registers,
    }),
    deadLettered: new Counter({
      name: 'cordon_ingest_records_dead_lettered_total',
      help: 'Records that could not be parsed and went to the dead-letter store, by reason code',
      labelNames: ['source', 'code'] as const,
      registers,
    }),
    rejected: new Counter({
      name: 'cordon_ingest_rejected_total',
      help: 'Submissions refused before parsing: queue full (HTTP 429, UDP drop), wrong content type, limits',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    duplicateBatches: new Counter({
      name: 'cordon_ingest_duplicate_batches_total',
      help: 'Batches whose id was already stored (a retried request): acknowledged, not written again',
      registers,
    }),
    consumerErrors: new Counter({
      name: 'cordon_ingest_consumer_errors_total',
      help: 'Batches an event consumer (detection, asset refresh) failed on',
      labelNames: ['consumer'] as const,
      registers,
    }),
    writeErrors: new Counter({
      name: 'cordon_ingest_write_errors_total',
      help: 'Failed batch writes to the event store',
      registers,
    }),
    queueEvents: new Gauge({
      name: 'cordon_ingest_queue_events',
      help: 'Events accepted and not yet written and consumed',
      registers,
    }),
    queueBytes: new Gauge({
      name: 'cordon_ingest_queue_bytes',
      help: 'Raw bytes of the records accepted and not yet written and consumed',
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'cordon_ingest_batch_duration_seconds',
      help: 'From a batch entering the queue to being durable',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}
