/**
 * Ingestion as the composition root starts it: the pipeline over the event store, dead-letter
 * replay, and the syslog listeners of the configuration (tenants resolved by id or name now, so
 * that a typo stops the server at start, not at the first record). `close` stops the
 * listeners first, then drains the pipeline.
 */
import type { EventStore } from '@cordon/core';
import type { Registry } from 'prom-client';
import { DeadLetterReplay } from './dead-letter-replay.ts';
import type { IngestConfig } from './ingest-config.ts';
import { ingestMetrics } from './ingest-metrics.ts';
import { IngestPipeline } from './ingest-pipeline.ts';
import type { ListenerLog, SyslogListener } from './syslog/syslog-listener.ts';
import { startStreamListener } from './syslog/stream-listener.ts';
import { TenantRouter } from './syslog/tenant-router.ts';
import type { ResolvedHostBinding } from './syslog/sender-provenance.ts';
import type { ResolvedRoute } from './syslog/tenant-router.ts';
import type { SenderHostBinding, SyslogListenerSpec, TenantRoute } from './syslog/listener-spec.ts';
import { startUdpListener } from './syslog/udp-listener.ts';

export interface IngestionOptions {
  readonly config: IngestConfig;
  readonly events: EventStore;
  readonly registry: Registry;
  readonly log: ListenerLog & { error(fields: object, message: string): void };
  /** Certificate and key for TLS listeners (the server's, shared with the agent gateway). */
  readonly tls: () => { readonly cert: Buffer; readonly key: Buffer };
  /** Tenant id or name → tenant id; throws for an unknown tenant. */
  readonly resolveTenant: (idOrName: string) => Promise<string>;
}

export interface Ingestion {
  readonly pipeline: IngestPipeline;
  readonly replay: DeadLetterReplay;
  /** Listeners as bound (ports picked for port 0 are filled in). */
  readonly listeners: readonly SyslogListener[];
  /**
   * Starts one more listener (`map`: its own address → tenant routes instead of the config's;
   * `hosts`: its own sender → host bindings instead of the config's).
   */
  addListener(
    spec: SyslogListenerSpec,
    map?: readonly TenantRoute[],
    hosts?: readonly SenderHostBinding[],
  ): Promise<SyslogListener>;
  close(): Promise<void>;
}

export async function startIngestion(options: IngestionOptions): Promise<Ingestion> {
  const { config, log } = options;
  const pipeline = new IngestPipeline({
    sink: options.events,
    metrics: ingestMetrics(options.registry),
    log,
    maxQueueEvents: config.queueMaxEvents,
    maxQueueBytes: config.queueMaxBytes,
    batchMaxEvents: config.batchMaxEvents,
    flushIntervalMs: config.flushIntervalMs,
    retryAfterSeconds: config.retryAfterSeconds,
    maxRecordsPerSubmission: config.maxRecordsPerRequest,
  });
  const replay = new DeadLetterReplay(options.events, pipeline, config.maxRecordBytes);
  const resolveRoutes = (map: readonly TenantRoute[]): Promise<ResolvedRoute[]> =>
    Promise.all(
      map.map(async (route) => ({
        network: route.network,
        tenantId: await options.resolveTenant(route.tenant),
      })),
    );
  const routes = await resolveRoutes(config.syslogMap);
  const resolveBindings = (
    bindings: readonly SenderHostBinding[],
  ): Promise<ResolvedHostBinding[]> =>
    Promise.all(
      bindings.map(async (binding) => ({
        address: binding.address,
        tenantId: await options.resolveTenant(binding.tenant),
        hosts: binding.hosts,
      })),
    );
  const hostBindings = await resolveBindings(config.syslogHosts);
  const listeners: SyslogListener[] = [];
  const closeListeners = async (): Promise<void> => {
    await Promise.all(listeners.map((listener) => listener.close()));
  };
  const addListener = async (
    spec: SyslogListenerSpec,
    map?: readonly TenantRoute[],
    hosts?: readonly SenderHostBinding[],
  ): Promise<SyslogListener> => {
    const tenantId =
      spec.tenant === undefined ? undefined : await options.resolveTenant(spec.tenant);
    const listenerRoutes = map === undefined ? routes : await resolveRoutes(map);
    if (tenantId === undefined && listenerRoutes.length === 0) {
      throw new Error(
        `syslog ${spec.transport} listener ${spec.host}:${spec.port} names no tenant and there is no --syslog-map`,
      );
    }
    const router = new TenantRouter(tenantId, listenerRoutes);
    const common = {
      spec,
      router,
      pipeline,
      maxRecordBytes: config.maxRecordBytes,
      log,
      hostBindings: hosts === undefined ? hostBindings : await resolveBindings(hosts),
      udpConfirmsHosts: config.syslogUdpConfirmsHosts,
    };
    const listener =
      spec.transport === 'udp'
        ? await startUdpListener(common)
        : await startStreamListener({
            ...common,
            maxConnections: config.maxConnections,
            idleTimeoutMs: config.idleTimeoutMs,
            tls: options.tls,
          });
    listeners.push(listener);
    return listener;
  };
  try {
    for (const spec of config.syslog) await addListener(spec);
  } catch (error) {
    await closeListeners();
    throw error;
  }
  return {
    pipeline,
    replay,
    listeners,
    addListener,
    close: async () => {
      await closeListeners();
      await pipeline.close();
    },
  };
}
