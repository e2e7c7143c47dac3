/**
 * Syslog over real sockets: UDP datagrams, TCP with newline framing and with octet counting,
 * and TLS (RFC 5425) with the server's certificate. Every record lands in the event store of
 * the right tenant — the listener's own, or the one its address map names — with the sender's
 * address kept, and closing the server closes the listeners.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTenantRoute } from '../../src/index.ts';
import type { SyslogListener } from '../../src/index.ts';
import type { TestServer } from '../test-server.ts';
import { startTestServer, system } from '../test-server.ts';
import { octetCounted, sendStream, sendUdp, waitForEvents } from './ingest-test-support.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`syslog listeners (${dialect})`, () => {
    let t: TestServer;
    let acme: string;
    let globex: string;
    let udp: SyslogListener;
    let tcp: SyslogListener;
    let tls: SyslogListener;
    beforeAll(async () => {
      t = await startTestServer(dialect);
      const { access } = t.server.services;
      acme = (await access.createTenant(system, 'acme')).id;
      globex = (await access.createTenant(system, 'globex')).id;
      const { ingestion } = t.server;
      udp = await ingestion.addListener({
        transport: 'udp',
        host: '127.0.0.1',
        port: 0,
        tenant: 'acme',
      });
      // No tenant of its own: the sender's address decides (here, loopback → globex).
      tcp = await ingestion.addListener(
        { transport: 'tcp', host: '127.0.0.1', port: 0, tenant: undefined },
        [parseTenantRoute('10.0.0.0/8=acme'), parseTenantRoute('127.0.0.0/8=globex')],
      );
      tls = await ingestion.addListener({
        transport: 'tls',
        host: '127.0.0.1',
        port: 0,
        tenant: acme,
      });
    });
    afterAll(async () => t?.dispose());

    it('takes RFC 3164, RFC 5424 and CEF datagrams over UDP into the listener tenant', async () => {
      await sendUdp(udp.port, [
        '<38>Oct 11 22:14:15 udp-host sshd[991]: Invalid user oracle from 203.0.113.8 port 41000',
        '<34>1 2024-10-11T22:14:15.003Z udp-host sshd 8710 - - Failed password for root from 203.0.113.5 port 40022 ssh2',
        '<134>Oct 11 22:14:16 fw-01 CEF:0|Palo Alto Networks|PAN-OS|10.2.4|end|TRAFFIC|3|src=198.51.100.9 dst=10.0.0.5 dpt=3389 act=deny',
      ]);
      const events = await waitForEvents(t.server, acme, 3, 'log.source.address:127.0.0.1');
      expect(events).toHaveLength(3);
      expect(events.map((e) => e['host'])).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'udp-host' })]),
      );
      expect(events.some((e) => (e['destination'] as { port?: number })?.port === 3389)).toBe(true);
    });

    it('takes newline-framed and octet-counted TCP streams, split anywhere, into the mapped tenant', async () => {
      const lines =
        'Oct 11 22:20:00 tcp-nl sshd[1]: Failed password for root from 198.51.100.1 port 1 ssh2\r\n' +
        'Oct 11 22:20:01 tcp-nl sshd[2]: Failed password for root from 198.51.100.1 port 2 ssh2\n' +
        'Oct 11 22:20:02 tcp-nl sshd[3]: Failed password for root from 198.51.100.1 port 3 ssh2';
      // Chunk boundaries inside messages, inside a CRLF, and a last line without LF.
      await sendStream(tcp.port, [lines.slice(0, 10), lines.slice(10, 87), lines.slice(87)]);
      const counted = [1, 2, 3]
        .map((n) =>
          octetCounted(
            `<38>1 2024-10-11T22:21:0${n}Z tcp-oc sshd ${n} - - Accepted password for deploy from 10.0.0.${n} port 22 ssh2\nwith a line break inside`,
          ),
        )
        .join('');
      await sendStream(tcp.port, [counted.slice(0, 3), counted.slice(3, 150), counted.slice(150)]);
      const newline = await waitForEvents(t.server, globex, 3, 'host.name:"tcp-nl"');
      expect(newline).toHaveLength(3);
      const octets = await waitForEvents(t.server, globex, 3, 'host.name:"tcp-oc"');
      expect(octets).toHaveLength(3);
      expect(String(octets[0]!['message'])).toContain('with a line break inside');
      expect(await waitForEvents(t.server, acme, 1, 'host.name:"tcp-nl"', 200)).toHaveLength(0);
    });

    it('takes RFC 5425 syslog over TLS', async () => {
      const messages = [1, 2]
        .map((n) =>
          octetCounted(
            `<86>1 2024-10-11T22:30:0${n}Z tls-host sudo - - - deploy : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id`,
          ),
        )
        .join('');
      await sendStream(tls.port, [messages], true);
      const events = await waitForEvents(t.server, acme, 2, 'host.name:"tls-host"');
      expect(events).toHaveLength(2);
      expect(events[0]!.log_source).toMatchObject({ product: 'linux', service: 'sudo' });
    });

    it('refuses a plain-text connection on the TLS port without harm', async () => {
      await sendStream(tls.port, ['<13>Oct 11 22:31:00 sneaky x: not over TLS\n']).catch(
        () => undefined,
      );
      await sendStream(
        tls.port,
        [octetCounted('<13>1 2024-10-11T22:31:01Z tls-after - - - - still listening')],
        true,
      );
      expect(await waitForEvents(t.server, acme, 1, 'host.name:"tls-after"')).toHaveLength(1);
      expect(await waitForEvents(t.server, acme, 1, 'host.name:"sneaky"', 200)).toHaveLength(0);
    });

    it('closes every listener when the server closes', async () => {
      const own = await startTestServer(dialect);
      const tenant = (await own.server.services.access.createTenant(system, 'solo')).id;
      const l1 = await own.server.ingestion.addListener({
        transport: 'tcp',
        host: '127.0.0.1',
        port: 0,
        tenant,
      });
      const l2 = await own.server.ingestion.addListener({
        transport: 'udp',
        host: '127.0.0.1',
        port: 0,
        tenant,
      });
      await own.dispose();
      const refused = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: l1.port });
        socket.on('connect', () => resolve('connected'));
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
      // The UDP port is free again: binding it works.
      const rebind = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        rebind.once('error', reject);
        rebind.bind(l2.port, '127.0.0.1', () => resolve());
      });
      rebind.close();
    });
  });
}
