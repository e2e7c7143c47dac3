/** Helpers for the ingestion tests: waiting for events in the store, sending over sockets. */
import { parseQuery } from '@cordon/core';
import { createSocket } from 'node:dgram';
import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { CordonServer } from '../../src/index.ts';

export type StoredDoc = Record<string, unknown> & {
  readonly log_source: Record<string, string>;
  readonly event: Record<string, unknown>;
  readonly fields: Record<string, unknown>;
};

export async function storedEvents(
  server: CordonServer,
  tenantId: string,
  query?: string,
): Promise<StoredDoc[]> {
  const result = await server.store.events.search(tenantId, {
    query: query === undefined ? undefined : parseQuery(query),
    limit: 1000,
    sort: 'asc',
  });
  return result.events.map((e) => e.event as StoredDoc);
}

/** Polls until `count` events match (or the time is up), then returns them. */
export async function waitForEvents(
  server: CordonServer,
  tenantId: string,
  count: number,
  query?: string,
  timeoutMs = 10_000,
): Promise<StoredDoc[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await storedEvents(server, tenantId, query);
    if (events.length >= count || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function sendUdp(port: number, messages: readonly (string | Buffer)[]): Promise<void> {
  const socket = createSocket('udp4');
  for (const message of messages) {
    await new Promise<void>((resolve, reject) =>
      socket.send(message, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  }
  socket.close();
}

/** Opens a TCP (or TLS, trusting any certificate) connection once it is ready to write. */
export async function openStream(port: number, tls = false): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket: Socket = tls
      ? connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => resolve(socket))
      : connectTcp({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes the chunks (each after the previous one has been flushed) and closes the stream. */
export async function sendStream(
  port: number,
  chunks: readonly (string | Buffer)[],
  tls = false,
): Promise<void> {
  const socket = await openStream(port, tls);
  for (const chunk of chunks) {
    await new Promise<void>((resolve, reject) =>
      socket.write(chunk, (error) => (error ? reject(error) : resolve())),
    );
  }
  await new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.end();
  });
}

/** RFC 6587 octet counting: `MSG-LEN SP MSG`. */
export const octetCounted = (message: string): string => `${Buffer.byteLength(message)} ${message}`;

/** Polls until at least `count` events match the query (or the time is up); returns the count. */
export async function waitForCount(
  server: CordonServer,
  tenantId: string,
  count: number,
  query: string,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await server.store.events.count(tenantId, { query: parseQuery(query) });
    if (n >= count || Date.now() > deadline) return n;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
