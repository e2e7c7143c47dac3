/**
 * Syslog over TCP (RFC 6587: newline or octet-counting framing, detected per connection) and
 * over TLS (RFC 5425, octet counting; node:tls with the configured certificate and key).
 *
 * Nothing a peer sends can take the listener down: frames over the record limit are
 * dead-lettered with their first bytes and the stream goes on; a broken octet count closes
 * that connection only; idle connections are closed after `idleTimeoutMs`; connections over
 * `maxConnections` are refused. When the pipeline is full the socket is paused (TCP flow
 * control pushes back on the sender) and resumed once the queue has drained to half.
 */
import { createServer as createTcpServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { SyslogStreamDecoder } from '@cordon/ingest';
import type { FrameEvent } from '@cordon/ingest';
import type { IngestPipeline } from '../ingest-pipeline.ts';
import type { IngestSource } from '../ingest-metrics.ts';
import type { SyslogListenerSpec } from './listener-spec.ts';
import type { ListenerLog, SyslogListener } from './syslog-listener.ts';
import type { TenantRouter } from './tenant-router.ts';
import { SenderProvenance } from './sender-provenance.ts';
import type { SenderBindingOptions } from './sender-provenance.ts';

export interface StreamListenerOptions extends SenderBindingOptions {
  readonly spec: SyslogListenerSpec;
  readonly router: TenantRouter;
  readonly pipeline: IngestPipeline;
  readonly maxRecordBytes: number;
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
  /** The server's certificate and key (PEM); required for `tls`. */
  readonly tls?: () => { readonly cert: Buffer; readonly key: Buffer };
  readonly log: ListenerLog;
}

export async function startStreamListener(options: StreamListenerOptions): Promise<SyslogListener> {
  const { spec, log } = options;
  const source: IngestSource = spec.transport === 'tls' ? 'syslog_tls' : 'syslog_tcp';
  const sockets = new Set<Socket>();
  let bound = spec.port;
  const provenance = new SenderProvenance({
    spec,
    port: () => bound,
    bindings: options.hostBindings,
    udpConfirmsHosts: options.udpConfirmsHosts,
  });
  const accept = (socket: Socket): void =>
    serveConnection(socket, { source, provenance: provenance }, sockets, options);
  let server: Server;
  if (spec.transport === 'tls') {
    if (options.tls === undefined) {
      throw new Error('a TLS syslog listener needs a certificate and key (--tls-cert, --tls-key)');
    }
    const { cert, key } = options.tls();
    const tlsServer = createTlsServer({ cert, key, handshakeTimeout: 10_000 }, accept);
    tlsServer.on('tlsClientError', (error) => {
      options.pipeline.metrics.rejected.inc({ source, reason: 'tls_handshake' });
      log.debug({ err: error }, 'syslog TLS handshake failed');
    });
    server = tlsServer;
  } else {
    server = createTcpServer(accept);
  }
  server.maxConnections = options.maxConnections;
  server.on('drop', () =>
    options.pipeline.metrics.rejected.inc({ source, reason: 'max_connections' }),
  );
  server.on('error', (error) =>
    log.warn({ err: error }, `syslog ${spec.transport} listener error`),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(spec.port, spec.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : spec.port;
  bound = port;
  log.info({ host: spec.host, port }, `syslog ${spec.transport} listener started`);
  return {
    transport: spec.transport,
    host: spec.host,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function serveConnection(
  socket: Socket,
  listener: { readonly source: IngestSource; readonly provenance: SenderProvenance },
  sockets: Set<Socket>,
  options: StreamListenerOptions,
): void {
  const { pipeline, router } = options;
  const { source } = listener;
  const peer = socket.remoteAddress;
  const tenantId = router.tenantFor(peer);
  if (tenantId === undefined) {
    pipeline.metrics.rejected.inc({ source, reason: 'unknown_sender' });
    socket.destroy();
    return;
  }
  // A connection's address is fixed by its handshake: one provenance for all its records.
  const origin = { source, provenance: listener.provenance.of(tenantId, peer) };
  sockets.add(socket);
  const decoder = new SyslogStreamDecoder({ maxMessageBytes: options.maxRecordBytes });
  // Frames decoded from the socket but not yet offered. A chunk of the socket can hold tens of
  // thousands of short messages: they are offered one by one while the pipeline has room, the
  // rest wait here (one chunk's worth: the socket is paused meanwhile), so the queue's limit
  // is passed by at most one message per connection, not by a chunk's worth of events.
  let backlog: FrameEvent[] = [];
  let next = 0;
  let waiting = false;
  let ended = false;
  const offer = (frame: FrameEvent, receivedAt: Date): void => {
    if (frame.kind === 'message') {
      pipeline.offer(tenantId, origin, frame.bytes, {
        receivedAt,
        ...(peer === undefined ? {} : { sourceAddress: peer }),
        hint: 'auto',
        maxBytes: options.maxRecordBytes,
      });
      return;
    }
    pipeline.offerFailure(
      tenantId,
      source,
      {
        code: frame.code,
        reason: frame.reason,
        raw: frame.head,
        receivedAt: receivedAt.toISOString(),
        ...(peer === undefined ? {} : { sourceAddress: peer }),
      },
      'auto',
    );
    if (frame.fatal) socket.destroy();
  };
  const drain = (): void => {
    const receivedAt = new Date();
    while (next < backlog.length) {
      if (pipeline.isFull()) {
        if (!waiting) {
          waiting = true;
          socket.pause();
          void pipeline.whenRoom().then(() => {
            waiting = false;
            drain();
          });
        }
        return;
      }
      offer(backlog[next]!, receivedAt);
      next += 1;
    }
    backlog = [];
    next = 0;
    if (ended) socket.end();
    else if (!socket.destroyed) socket.resume();
  };
  socket.setTimeout(options.idleTimeoutMs, () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) backlog.push(frame);
    drain();
  });
  socket.on('end', () => {
    ended = true;
    for (const frame of decoder.end()) backlog.push(frame);
    drain();
  });
  socket.on('error', (error) =>
    options.log.debug({ err: error, peer }, `syslog ${source} connection error`),
  );
  socket.on('close', () => sockets.delete(socket));
}
