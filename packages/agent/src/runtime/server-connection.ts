/**
 * The agent's one outbound WebSocket, kept up with reconnects (exponential backoff with full
 * jitter, so a fleet that lost its server does not come back in lockstep). TLS is checked by
 * pinning: the server certificate's SHA-256 must equal the configured one; CA validation is
 * not used because lab and on-premises servers run self-signed certificates. Nothing is sent
 * before the pin is checked.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import WebSocket from 'ws';

export interface ServerConnectionOptions {
  readonly url: string;
  /** Addresses to connect to instead of resolving the URL's host name at each reconnect. */
  readonly addresses?: readonly string[];
  /** Lowercase hex SHA-256 of the server's DER certificate; required for wss://. */
  readonly certificateSha256?: string;
  readonly onOpen: () => void;
  readonly onMessage: (text: string) => void;
  readonly onClose: (reason: string) => void;
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  /** WebSocket ping interval; a connection silent for two intervals is dropped. Default 15 s. */
  readonly keepaliveMs?: number;
  readonly random?: () => number;
}

export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)));
}

export class ServerConnection {
  readonly #options: ServerConnectionOptions;
  #socket: WebSocket | undefined;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #open = false;

  constructor(options: ServerConnectionOptions) {
    this.#options = options;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  /** Sends one frame; returns false (and drops it) when the socket is not open. */
  send(message: unknown): boolean {
    if (!this.#open || this.#socket === undefined) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** A successful authentication resets the backoff. */
  markHealthy(): void {
    this.#attempt = 0;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.terminate();
    this.#socket = undefined;
    this.#open = false;
  }

  #connect(): void {
    const url = new URL(this.#options.url);
    const secure = url.protocol === 'wss:';
    const socket = new WebSocket(this.#options.url, {
      handshakeTimeout: 10_000,
      maxPayload: 16 * 1024 * 1024,
      perMessageDeflate: false,
      ...(secure ? { rejectUnauthorized: false } : {}),
      ...this.#lookupOption(),
    });
    this.#socket = socket;
    let pinned = !secure;
    let closeReason = 'connection closed';
    let pinFailure: string | undefined;
    socket.on('upgrade', (response: IncomingMessage) => {
      if (!secure) return;
      const certificate = (response.socket as TLSSocket).getPeerCertificate();
      const actual =
        certificate.raw === undefined
          ? ''
          : createHash('sha256').update(certificate.raw).digest('hex');
      if (
        this.#options.certificateSha256 === undefined ||
        actual !== this.#options.certificateSha256
      ) {
        pinFailure = `server certificate ${actual || '(none)'} does not match the pinned one`;
        socket.terminate();
        return;
      }
      pinned = true;
    });
    // A half-open TCP connection (server gone without a FIN) is only noticed by pinging it.
    let alive = true;
    const keepalive = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (!alive) {
        closeReason = 'server stopped answering pings';
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, this.#options.keepaliveMs ?? 15_000);
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('open', () => {
      if (!pinned) {
        socket.terminate();
        return;
      }
      this.#open = true;
      this.#options.onOpen();
    });
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!pinned || isBinary) return;
      this.#options.onMessage(
        Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.concat(data as Buffer[]).toString('utf8'),
      );
    });
    socket.on('error', (error: Error) => {
      closeReason = error.message;
    });
    socket.on('close', () => {
      clearInterval(keepalive);
      if (this.#socket !== socket) return;
      this.#open = false;
      this.#options.onClose(pinFailure ?? closeReason);
      this.#scheduleReconnect();
    });
  }

  #lookupOption(): { lookup?: LookupFunction } {
    const addresses = this.#options.addresses ?? [];
    if (addresses.length === 0) return {};
    const resolved = addresses.map((address) => ({ address, family: isIP(address) }));
    const lookup = ((
      _host: string,
      options: { all?: boolean },
      callback: (...args: unknown[]) => void,
    ) => {
      if (options.all === true) callback(null, resolved);
      else callback(null, resolved[0]?.address, resolved[0]?.family);
    }) as unknown as LookupFunction;
    return { lookup };
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    const { baseMs, maxMs } = this.#options.backoff ?? { baseMs: 500, maxMs: 30_000 };
    const delay = backoffDelay(this.#attempt, baseMs, maxMs, this.#options.random ?? Math.random);
    this.#attempt += 1;
    this.#timer = setTimeout(() => this.#connect(), delay);
  }
}
