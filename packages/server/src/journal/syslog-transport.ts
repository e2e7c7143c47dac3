/**
 * Witness transport: each signed checkpoint as an RFC 5424 syslog message (facility local0,
 * severity notice, app-name `cordon`, msgid `journal-checkpoint`, the checkpoint's JSON as
 * the message) to a collector over UDP, or over TCP with octet-counting framing (RFC 6587).
 * `udp://host:514` or `tcp://host:601`.
 */
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { hostname } from 'node:os';
import type { WitnessTransport } from './remote-witness.ts';

const LOCAL0_NOTICE = 16 * 8 + 5;
const CONNECT_TIMEOUT_MS = 5000;

export function syslogMessage(line: string, now = new Date()): string {
  const host =
    hostname()
      .replace(/[^\x21-\x7e]/g, '')
      .slice(0, 255) || '-';
  return `<${LOCAL0_NOTICE}>1 ${now.toISOString()} ${host} cordon ${process.pid} journal-checkpoint - ${line}`;
}

export function syslogTransport(url: string): WitnessTransport {
  const target = new URL(url);
  const port = Number(target.port);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!port) throw new Error(`journal witness syslog needs a port: ${url}`);
  if (target.protocol === 'udp:') return udp(host, port);
  if (target.protocol === 'tcp:') return tcp(host, port);
  throw new Error(`journal witness syslog must be udp:// or tcp://, not ${target.protocol}`);
}

function udp(host: string, port: number): WitnessTransport {
  let socket: UdpSocket | undefined;
  return {
    name: `syslog udp://${host}:${port}`,
    send(line) {
      socket ??= createSocket(host.includes(':') ? 'udp6' : 'udp4');
      socket.unref();
      const message = Buffer.from(syslogMessage(line));
      return new Promise((resolve, reject) => {
        socket!.send(message, port, host, (error) => (error ? reject(error) : resolve()));
      });
    },
    close: async () => {
      socket?.close();
    },
  };
}

function tcp(host: string, port: number): WitnessTransport {
  let socket: Socket | undefined;
  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = connect({ host, port, timeout: CONNECT_TIMEOUT_MS });
      s.once('connect', () => {
        s.setTimeout(0);
        s.unref();
        resolve(s);
      });
      s.once('timeout', () => s.destroy(new Error('connect timed out')));
      s.once('error', reject);
      // A collector that closes or fails later: reconnect on the next send.
      s.on('close', () => {
        if (socket === s) socket = undefined;
      });
      s.on('error', () => undefined);
    });
  return {
    name: `syslog tcp://${host}:${port}`,
    async send(line) {
      socket ??= await open();
      const message = Buffer.from(syslogMessage(line));
      const frame = Buffer.concat([Buffer.from(`${message.length} `), message]);
      const s = socket;
      await new Promise<void>((resolve, reject) => {
        s.write(frame, (error) => (error ? reject(error) : resolve()));
      });
    },
    close: async () => {
      socket?.end();
      socket = undefined;
    },
  };
}
