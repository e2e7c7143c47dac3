/**
 * issue 13 item 4: the remote journal witnesses, on loopback — a webhook that is down at
 * first, and syslog over UDP and TCP. Each signed checkpoint arrives, verifiable with the
 * server's public key, and a witness that does not answer never holds up the journal.
 */
import type { Principal } from '@cordon/core';
import {
  AccessService,
  JournalService,
  LoginThrottle,
  checkpointMessage,
  systemClock,
} from '@cordon/core';
import type { ServerKey } from '@cordon/storage';
import { loadOrCreateServerKey, parseWitnessLine, signatureVerifier } from '@cordon/storage';
import type { TestStore } from '@cordon/storage/testing';
import { openTestStore } from '@cordon/storage/testing';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteWitness, syslogTransport, webhookTransport } from '../src/index.ts';

const system: Principal = { kind: 'system', name: 'test' };

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('remote journal witnesses', () => {
  let t: TestStore;
  let key: ServerKey;
  let tenantId: string;
  const errors: string[] = [];
  beforeEach(async () => {
    t = await openTestStore('sqlite');
    key = loadOrCreateServerKey(t.dataDir);
    tenantId = (
      await new AccessService(t.store, systemClock, new LoginThrottle()).createTenant(
        system,
        'Acme',
      )
    ).id;
  });
  afterEach(async () => t.dispose());

  const journalWith = (witness: RemoteWitness) =>
    new JournalService({ store: t.store, clock: systemClock, signer: key, witnesses: [witness] });
  const expectSigned = (line: string) => {
    const checkpoint = parseWitnessLine(line);
    if (typeof checkpoint === 'string') throw new Error(checkpoint);
    expect(checkpoint).toMatchObject({ tenantId, seq: 1, chain: { number: 1, entries: 1 } });
    const verify = signatureVerifier(key.publicKeyPem);
    expect(verify(checkpoint.keyId, checkpointMessage(checkpoint), checkpoint.signature)).toBe(
      true,
    );
  };
  const witnessOf = (transport: ReturnType<typeof webhookTransport>) =>
    new RemoteWitness({
      transport,
      retryDelaysMs: [20, 50],
      closeDeadlineMs: 500,
      onError: (message) => errors.push(message),
    });

  it('posts each checkpoint to a webhook, retrying while it fails, without waiting for it', async () => {
    const bodies: string[] = [];
    let held: ServerResponse | undefined;
    let calls = 0;
    const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        calls += 1;
        if (calls === 1) {
          held = response; // the first attempt hangs until the test lets it go
          return;
        }
        if (calls <= 3) {
          response.writeHead(503).end();
          return;
        }
        bodies.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const witness = witnessOf(webhookTransport(`http://127.0.0.1:${port}/witness`));
    try {
      const checkpoint = await journalWith(witness).checkpoint(tenantId);
      expect(checkpoint?.chain?.number).toBe(1);
      // The checkpoint is signed and stored while the webhook still holds its first request.
      await until(() => held !== undefined, 'the first webhook request');
      expect(witness.queued).toBe(1);
      held!.writeHead(500).end();
      await until(() => bodies.length === 1, 'the checkpoint to be delivered');
      expectSigned(bodies[0]!);
      await until(() => witness.queued === 0, 'the queue to empty');
      expect(errors.some((e) => e.includes('delivery failed, retrying'))).toBe(true);
    } finally {
      await witness.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends each checkpoint as an RFC 5424 message over UDP', async () => {
    const socket = createSocket('udp4');
    const messages: string[] = [];
    socket.on('message', (m) => messages.push(m.toString()));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const witness = witnessOf(syslogTransport(`udp://127.0.0.1:${socket.address().port}`));
    try {
      await journalWith(witness).checkpoint(tenantId);
      await until(() => messages.length === 1, 'the syslog datagram');
      const match = /^<133>1 \S+Z \S+ cordon \d+ journal-checkpoint - (\{.*\})$/.exec(messages[0]!);
      expect(match, messages[0]).not.toBeNull();
      expectSigned(match![1]!);
    } finally {
      await witness.close();
      socket.close();
    }
  });

  it('sends each checkpoint over TCP with octet-counting framing', async () => {
    let received = '';
    const server = createTcpServer((s) => s.on('data', (d) => (received += d.toString())));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const witness = witnessOf(syslogTransport(`tcp://127.0.0.1:${port}`));
    try {
      await journalWith(witness).checkpoint(tenantId);
      await until(
        () => /^\d+ /.test(received) && received.length >= Number(received.split(' ')[0]),
        'the syslog frame',
      );
      const [length, ...rest] = received.split(' ');
      const message = rest.join(' ');
      expect(Buffer.byteLength(message)).toBe(Number(length));
      expectSigned(/ journal-checkpoint - (\{.*\})$/.exec(message)![1]!);
    } finally {
      await witness.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
