/**
 * Settings of the ingestion pipeline and its listeners, with defaults sized for one
 * `cordon serve` process: a queue of 200,000 events / 256 MiB, request bodies up to 64 MiB
 * (256 MiB inflated) and 100,000 records.
 */
import { DEFAULT_MAX_RECORD_BYTES } from '@cordon/ingest';
import type { SenderHostBinding, SyslogListenerSpec, TenantRoute } from './syslog/listener-spec.ts';
import {
  ListenerSpecError,
  parseListenerSpec,
  parseSenderHostBinding,
  parseTenantRoute,
  splitList,
} from './syslog/listener-spec.ts';

export interface IngestConfig {
  /** A bulk request body as sent (compressed or not). */
  readonly maxBodyBytes: number;
  /** A bulk request body once decompressed. */
  readonly maxDecompressedBytes: number;
  /** One record (line, syslog message); larger ones are dead-lettered. */
  readonly maxRecordBytes: number;
  /**
   * Records (and the events they expand to) of one bulk request or agent submission; past
   * it the request answers 413 (see bulk-ingestion.ts for what is then stored).
   */
  readonly maxRecordsPerRequest: number;
  /** How long a bulk request part-way through its body waits for room before answering 429. */
  readonly admissionWaitMs: number;
  /** Accepted and not yet stored and consumed, before sources are pushed back. */
  readonly queueMaxEvents: number;
  readonly queueMaxBytes: number;
  /** Listener and agent records are coalesced into batches of this many. */
  readonly batchMaxEvents: number;
  readonly flushIntervalMs: number;
  readonly retryAfterSeconds: number;
  readonly syslog: readonly SyslogListenerSpec[];
  /** Source address → tenant, for listeners not bound to one tenant (first match wins). */
  readonly syslogMap: readonly TenantRoute[];
  /** Sender address → the hosts it speaks for in a tenant (provenance; auto-containment). */
  readonly syslogHosts: readonly SenderHostBinding[];
  /**
   * Whether a UDP sender's host binding confirms the host. Off by default: a UDP source address
   * is whatever the datagram says, so anyone who can reach the listener can claim to be it.
   */
  readonly syslogUdpConfirmsHosts: boolean;
  /** Per listener. */
  readonly maxConnections: number;
  /** A stream connection that sends nothing for this long is closed. */
  readonly idleTimeoutMs: number;
}

export const defaultIngestConfig: IngestConfig = {
  maxBodyBytes: 64 * 1024 * 1024,
  maxDecompressedBytes: 256 * 1024 * 1024,
  maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
  maxRecordsPerRequest: 100_000,
  admissionWaitMs: 30_000,
  queueMaxEvents: 200_000,
  queueMaxBytes: 256 * 1024 * 1024,
  batchMaxEvents: 5_000,
  flushIntervalMs: 50,
  retryAfterSeconds: 1,
  syslog: [],
  syslogMap: [],
  syslogHosts: [],
  syslogUdpConfirmsHosts: false,
  maxConnections: 1_000,
  idleTimeoutMs: 10 * 60 * 1000,
};

/**
 * `CORDON_SYSLOG_UDP`, `CORDON_SYSLOG_TCP`, `CORDON_SYSLOG_TLS` (comma-separated
 * `HOST:PORT[=TENANT]`), `CORDON_SYSLOG_MAP` (`CIDR=TENANT,…`), `CORDON_SYSLOG_HOSTS`
 * (`ADDRESS=TENANT:HOST[+HOST…],…`), `CORDON_SYSLOG_UDP_CONFIRMS_HOSTS=1`, `CORDON_INGEST_MAX_BODY_BYTES`,
 * `CORDON_INGEST_MAX_DECOMPRESSED_BYTES`, `CORDON_INGEST_MAX_RECORDS_PER_REQUEST`,
 * `CORDON_INGEST_QUEUE_EVENTS`, `CORDON_INGEST_QUEUE_BYTES`, `CORDON_INGEST_BATCH_EVENTS`.
 * Throws `ListenerSpecError` for a malformed spec.
 */
export function ingestConfigFromEnv(env: NodeJS.ProcessEnv): IngestConfig {
  const number = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
      throw new ListenerSpecError(`${name}=${text} is not a positive integer`);
    }
    return value;
  };
  const d = defaultIngestConfig;
  return {
    ...d,
    maxBodyBytes: number('CORDON_INGEST_MAX_BODY_BYTES', d.maxBodyBytes),
    maxDecompressedBytes: number('CORDON_INGEST_MAX_DECOMPRESSED_BYTES', d.maxDecompressedBytes),
    maxRecordsPerRequest: number('CORDON_INGEST_MAX_RECORDS_PER_REQUEST', d.maxRecordsPerRequest),
    queueMaxEvents: number('CORDON_INGEST_QUEUE_EVENTS', d.queueMaxEvents),
    queueMaxBytes: number('CORDON_INGEST_QUEUE_BYTES', d.queueMaxBytes),
    batchMaxEvents: number('CORDON_INGEST_BATCH_EVENTS', d.batchMaxEvents),
    syslog: [
      ...splitList(env['CORDON_SYSLOG_UDP']).map((s) => parseListenerSpec('udp', s)),
      ...splitList(env['CORDON_SYSLOG_TCP']).map((s) => parseListenerSpec('tcp', s)),
      ...splitList(env['CORDON_SYSLOG_TLS']).map((s) => parseListenerSpec('tls', s)),
    ],
    syslogMap: splitList(env['CORDON_SYSLOG_MAP']).map(parseTenantRoute),
    syslogHosts: splitList(env['CORDON_SYSLOG_HOSTS']).map(parseSenderHostBinding),
    syslogUdpConfirmsHosts: env['CORDON_SYSLOG_UDP_CONFIRMS_HOSTS'] === '1',
  } satisfies IngestConfig;
}
