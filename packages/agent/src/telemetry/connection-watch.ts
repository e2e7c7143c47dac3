/**
 * Network connections from `/proc/net/{tcp,tcp6,udp,udp6}`: each newly seen established TCP
 * connection or connected UDP socket becomes an event with its owning process. The first poll
 * only takes the baseline.
 */
import { readSockets, socketOwners } from '../system/proc-net.ts';
import type { SocketRecord } from '../system/proc-net.ts';
import type { TelemetryCollector, TelemetryEvent } from './telemetry-event.ts';

function key(socket: SocketRecord): string {
  return `${socket.protocol} ${socket.localAddress}:${socket.localPort} ${socket.remoteAddress}:${socket.remotePort} ${socket.inode}`;
}

export class ConnectionWatch implements TelemetryCollector {
  readonly name = 'connection-watch';
  readonly #hostname: string;
  #seen: Set<string> | undefined;

  constructor(options: { hostname: string }) {
    this.#hostname = options.hostname;
  }

  async poll(): Promise<TelemetryEvent[]> {
    const sockets = (await readSockets()).filter((socket) =>
      socket.protocol.startsWith('tcp')
        ? socket.state === 'established'
        : socket.state === 'connected',
    );
    const previous = this.#seen;
    this.#seen = new Set(sockets.map(key));
    if (previous === undefined) return [];
    const fresh = sockets.filter((socket) => !previous.has(key(socket)));
    if (fresh.length === 0) return [];
    const owners = await socketOwners();
    const now = new Date().toISOString();
    return fresh.map((socket) => {
      const pid = owners.get(socket.inode);
      const transport = socket.protocol.startsWith('tcp') ? 'tcp' : 'udp';
      return {
        '@timestamp': now,
        event: {
          kind: 'event',
          category: ['network'],
          type: ['connection'],
          action: 'connection-observed',
          dataset: 'agent.network',
          ingested: now,
        },
        host: { name: this.#hostname },
        source: { ip: socket.localAddress, port: socket.localPort },
        destination: { ip: socket.remoteAddress, port: socket.remotePort },
        network: { transport, type: socket.protocol.endsWith('6') ? 'ipv6' : 'ipv4' },
        ...(pid === undefined ? {} : { process: { pid } }),
        user: { id: String(socket.uid) },
        log_source: { product: 'linux', category: 'network_connection' },
        fields: {
          SourceIp: socket.localAddress,
          SourcePort: socket.localPort,
          DestinationIp: socket.remoteAddress,
          DestinationPort: socket.remotePort,
          Protocol: transport,
          ...(pid === undefined ? {} : { ProcessId: pid }),
        },
      };
    });
  }
}
