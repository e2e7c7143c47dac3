/** The ingestion pipeline's public surface: configuration, listener specs, the pipeline. */
export { defaultIngestConfig, ingestConfigFromEnv } from './ingest-config.ts';
export type { IngestConfig } from './ingest-config.ts';
export {
  ListenerSpecError,
  parseListenerSpec,
  parseSenderHostBinding,
  parseTenantRoute,
} from './syslog/listener-spec.ts';
export type { SyslogListenerSpec, SyslogTransport, TenantRoute } from './syslog/listener-spec.ts';
export type { SyslogListener } from './syslog/syslog-listener.ts';
export { IngestPipeline } from './ingest-pipeline.ts';
export type { IngestReceipt, ParsedBatch, RecordSubmission } from './ingest-pipeline.ts';
export type { IngestSource } from './ingest-metrics.ts';
export type { Ingestion } from './ingestion.ts';
export { BULK_FORMATS } from './bulk-body.ts';
export type { BulkFormat } from './bulk-body.ts';
