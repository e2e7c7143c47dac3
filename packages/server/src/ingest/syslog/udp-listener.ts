/**
 * Syslog over UDP (RFC 5426): one datagram is one record. UDP cannot push back on a sender,
 * so when the pipeline is full a datagram is dropped and counted
 * (`cordon_ingest_rejected_total{source="syslog_udp",reason="queue_full"}`); use TCP or TLS
 * where loss matters. The kernel receive buffer is raised to ride out short bursts.
 */
import { createSocket } from 'node:dgram';
import type { IngestPipeline } from '../ingest-pipeline.ts';
import type { SyslogListenerSpec } from './listener-spec.ts';
import type { ListenerLog, SyslogListener } from './syslog-listener.ts';
import type { TenantRouter } from './tenant-router.ts';
import { SenderProvenance } from './sender-provenance.ts';
import type { SenderBindingOptions } from './sender-provenance.ts';

export interface UdpListenerOptions extends SenderBindingOptions {
  readonly spec: SyslogListenerSpec;
  readonly router: TenantRouter;
  readonly pipeline: IngestPipeline;
  readonly maxRecordBytes: number;
  readonly log: ListenerLog;
}

const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

export async function startUdpListener(options: UdpListenerOptions): Promise<SyslogListener> {
  const { spec, router, pipeline, log } = options;
  const socket = createSocket({ type: spec.host.includes(':') ? 'udp6' : 'udp4' });
  const { rejected } = pipeline.metrics;
  let bound = spec.port;
  const provenance = new SenderProvenance({
    spec,
    port: () => bound,
    bindings: options.hostBindings,
    udpConfirmsHosts: options.udpConfirmsHosts,
  });
  socket.on('message', (message, peer) => {
    const tenantId = router.tenantFor(peer.address);
    if (tenantId === undefined) {
      rejected.inc({ source: 'syslog_udp', reason: 'unknown_sender' });
      return;
    }
    if (pipeline.isFull()) {
      rejected.inc({ source: 'syslog_udp', reason: 'queue_full' });
      return;
    }
    const origin = {
      source: 'syslog_udp' as const,
      provenance: provenance.of(tenantId, peer.address),
    };
    pipeline.offer(tenantId, origin, message, {
      receivedAt: new Date(),
      sourceAddress: peer.address,
      hint: 'auto',
      maxBytes: options.maxRecordBytes,
    });
  });
  socket.on('error', (error) => log.warn({ err: error }, 'syslog UDP socket error'));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(spec.port, spec.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  try {
    socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
  } catch {
    // The system maximum (net.core.rmem_max) may be lower; the default still works.
  }
  const port = socket.address().port;
  bound = port;
  log.info({ host: spec.host, port }, 'syslog UDP listener started');
  return {
    transport: 'udp',
    host: spec.host,
    port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
