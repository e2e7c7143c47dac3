/**
 * Hostile and broken input at every door: malformed syslog, invalid UTF-8, control bytes,
 * 1 MB lines, truncated and corrupt gzip, wrong content types. Each bad record is
 * dead-lettered with its reason and raw bytes (or the request refused with a 4xx), the good
 * records around it are stored, and the listeners keep serving. Then dead-letter replay.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyslogListener } from '../../src/index.ts';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';
import {
  octetCounted,
  sendStream,
  sendUdp,
  storedEvents,
  waitForEvents,
} from './ingest-test-support.ts';

const good = (host: string, n: number): string =>
  `Oct 11 22:14:${String(n % 60).padStart(2, '0')} ${host} sshd[${n}]: Failed password for root from 198.51.100.${n % 250} port ${40000 + n} ssh2`;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`bad input to ingestion (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let auth: Record<string, string>;
    let udp: SyslogListener;
    let tcp: SyslogListener;
    beforeAll(async () => {
      t = await startTestServer(dialect, {});
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      auth = bearer(await t.token(tenantId, 'ingest'));
      udp = await t.server.ingestion.addListener({
        transport: 'udp',
        host: '127.0.0.1',
        port: 0,
        tenant: tenantId,
      });
      tcp = await t.server.ingestion.addListener({
        transport: 'tcp',
        host: '127.0.0.1',
        port: 0,
        tenant: tenantId,
      });
    });
    afterAll(async () => t?.dispose());

    const post = async (payload: string | Buffer, headers: Record<string, string>, query = '') => {
      const response = await t.server.app.inject({
        method: 'POST',
        url: `/api/v1/ingest${query}`,
        headers: { ...auth, ...headers },
        payload,
      });
      return {
        status: response.statusCode,
        headers: response.headers,
        body: response.json<Record<string, unknown>>(),
      };
    };
    const letters = async () =>
      (await t.server.store.events.listDeadLetters(tenantId, { limit: 1000, offset: 0 })).items;

    it('dead-letters each bad line with its reason and bytes, and stores the rest of the batch', async () => {
      const invalidUtf8 = Buffer.concat([
        Buffer.from('<13>Oct 11 22:14:15 h x: caf'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(' bad'),
      ]);
      const huge = `<13>Oct 11 22:14:15 h x: ${'A'.repeat(1024 * 1024)}`;
      const body = Buffer.concat([
        Buffer.from(`${good('http-bad', 1)}\n`),
        Buffer.from('this is not syslog, CEF or JSON\n'),
        invalidUtf8,
        Buffer.from('\n'),
        Buffer.from(`${good('http-bad', 2)}\n`),
        Buffer.from('<13>Oct 11 22:14:15 h x: nul\u0000byte\n'),
        Buffer.from(`${huge}\n`),
        Buffer.from('{"truncated": \n'),
        Buffer.from(`${good('http-bad', 3)}\n`),
      ]);
      const before = (await letters()).length;
      const { status, body: receipt } = await post(body, { 'content-type': 'text/plain' });
      expect(status).toBe(200);
      expect(receipt).toMatchObject({ records: 8, accepted: 3, deadLettered: 5, duplicate: false });
      expect(await storedEvents(t.server, tenantId, 'host.name:"http-bad"')).toHaveLength(3);
      const added = (await letters()).slice(0, (await letters()).length - before);
      const byCode = new Map(added.map((l) => [l.code, l]));
      expect([...byCode.keys()].sort()).toEqual(
        ['binary', 'invalid_utf8', 'malformed', 'too_large', 'unrecognised_format'].sort(),
      );
      expect(Buffer.from(byCode.get('invalid_utf8')!.raw)).toEqual(invalidUtf8);
      expect(byCode.get('invalid_utf8')!.reason).toMatch(/not valid UTF-8/);
      expect(byCode.get('too_large')!.raw.byteLength).toBe(Buffer.byteLength(huge));
      expect(byCode.get('malformed')!.reason).toMatch(/JSON/);
    });

    it('keeps the whole lines of a truncated gzip body and dead-letters the cut', async () => {
      const lines = Array.from({ length: 400 }, (_, n) => good('gz-cut', n)).join('\n') + '\n';
      const gz = gzipSync(lines);
      const cut = gz.subarray(0, Math.floor(gz.byteLength * 0.6));
      const { status, body } = await post(cut, {
        'content-type': 'text/plain',
        'content-encoding': 'gzip',
      });
      expect(status).toBe(200);
      const accepted = body['accepted'] as number;
      expect(accepted).toBeGreaterThan(50);
      expect(accepted).toBeLessThan(400);
      expect(body['deadLettered']).toBe(1);
      expect(await storedEvents(t.server, tenantId, 'host.name:"gz-cut"')).toHaveLength(accepted);
      const [letter] = (await letters()).filter((l) => l.code === 'truncated_gzip');
      expect(letter!.reason).toMatch(/gzip stream ended early/);
      // The bytes after the last whole line are kept: the start of the line that was cut.
      expect(lines).toContain(Buffer.from(letter!.raw).toString('utf8'));
    });

    it('dead-letters a body that is not gzip at all', async () => {
      const { status, body } = await post(Buffer.from('plain text, says gzip'), {
        'content-type': 'application/gzip',
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({ accepted: 0, deadLettered: 1 });
      expect((await letters()).some((l) => l.code === 'invalid_gzip')).toBe(true);
    });

    it('refuses wrong content types with 415, too-large bodies with 413, and stores nothing', async () => {
      const before = (await storedEvents(t.server, tenantId)).length;
      const cases: [Record<string, string>, number, RegExp][] = [
        [{ 'content-type': 'text/html' }, 415, /text\/html is not accepted/],
        [{ 'content-type': 'application/xml' }, 415, /not accepted/],
        [{ 'content-type': 'application/octet-stream' }, 415, /EVTX/],
        [{ 'content-type': 'text/plain', 'content-encoding': 'br' }, 415, /Content-Encoding br/],
      ];
      for (const [headers, status, message] of cases) {
        const response = await post(good('wrong-type', 1), headers);
        expect(response.status, JSON.stringify(headers)).toBe(status);
        expect((response.body['error'] as { message: string }).message).toMatch(message);
      }
      const noType = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: auth,
        payload: Buffer.from(good('wrong-type', 2)),
      });
      expect(noType.statusCode).toBe(415);
      const tooLarge = await post('x'.repeat(65 * 1024 * 1024), { 'content-type': 'text/plain' });
      expect(tooLarge.status).toBe(413);
      expect(await storedEvents(t.server, tenantId)).toHaveLength(before);
    });

    it('keeps the listeners up through garbage, oversized frames and bad bytes', async () => {
      await sendUdp(udp.port, [
        Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]),
        Buffer.alloc(0),
        'definitely not syslog',
        good('udp-after', 1),
      ]);
      expect(await waitForEvents(t.server, tenantId, 1, 'host.name:"udp-after"')).toHaveLength(1);
      // A 2 MiB line (over the 1 MiB record limit), binary bytes, then a good line.
      await sendStream(tcp.port, [
        Buffer.alloc(2 * 1024 * 1024, 0x41),
        Buffer.from('\n\u0000\u0001\u0002garbage\n'),
        `${good('tcp-after', 2)}\n`,
      ]);
      expect(await waitForEvents(t.server, tenantId, 1, 'host.name:"tcp-after"')).toHaveLength(1);
      // A broken octet count closes that connection only; the next one is served.
      await sendStream(tcp.port, [
        `${octetCounted('<13>1 2024-10-11T22:14:15Z a b - - - x')}99999999999 <13>`,
      ]).catch(() => undefined);
      await sendStream(tcp.port, [
        octetCounted(`<13>1 2024-10-11T22:14:15Z tcp-again app - - - ok`),
      ]);
      expect(await waitForEvents(t.server, tenantId, 1, 'host.name:"tcp-again"')).toHaveLength(1);
      const codes = new Set((await letters()).map((l) => l.code));
      expect(codes).toContain('frame_too_large');
      expect(codes).toContain('binary');
      const tooLarge = (await letters()).find((l) => l.code === 'frame_too_large')!;
      expect(tooLarge.raw.byteLength).toBeLessThanOrEqual(1024);
      expect(tooLarge.source).toMatch(/^syslog_tcp from 127\.0\.0\.1/);
    });

    it('replays dead letters with the current parsers, once', async () => {
      // A record an older parser refused (inserted as such), and one no parser can read.
      const [fixed, hopeless] = await t.server.store.events.addDeadLetters(tenantId, [
        {
          source: 'http format=syslog',
          reason: 'an older parser refused it',
          code: 'malformed',
          raw: Buffer.from(good('replayed-host', 7)),
          receivedAt: Date.parse('2024-10-11T22:15:00Z'),
        },
        {
          source: 'http',
          reason: 'not syslog',
          code: 'unrecognised_format',
          raw: Buffer.from('still not a log record'),
          receivedAt: Date.now(),
        },
      ]);
      const replay = (payload: object) =>
        t.server.app.inject({
          method: 'POST',
          url: `/api/v1/tenants/${tenantId}/deadletters/replay`,
          headers: { ...bearer(auth.authorization!.slice(7)) },
          payload,
        });
      // An ingest token may send, not replay.
      expect((await replay({ ids: [fixed] })).statusCode).toBe(403);
      const analyst = bearer(await t.token(tenantId, 'analyst'));
      const run = async (payload: object) =>
        (
          await t.server.app.inject({
            method: 'POST',
            url: `/api/v1/tenants/${tenantId}/deadletters/replay`,
            headers: analyst,
            payload,
          })
        ).json<Record<string, unknown>>();
      expect(await run({ ids: [fixed, hopeless] })).toEqual({
        tried: 2,
        replayed: 1,
        failed: 1,
        events: 1,
        skipped: [],
      });
      expect(await storedEvents(t.server, tenantId, 'host.name:"replayed-host"')).toHaveLength(1);
      const after = await t.server.store.events.getDeadLetter(tenantId, fixed!);
      expect(after).toMatchObject({ status: 'replayed' });
      expect((await t.server.store.events.getDeadLetter(tenantId, hopeless!))?.status).toBe(
        'failed',
      );
      // Again: the replayed one is skipped, nothing is stored twice.
      expect(await run({ ids: [fixed] })).toMatchObject({ tried: 0, skipped: [fixed] });
      const all = await run({ all: true });
      expect(all['replayed']).toBe(0);
      expect(all['tried']).toBeGreaterThan(1);
      expect(await storedEvents(t.server, tenantId, 'host.name:"replayed-host"')).toHaveLength(1);
    });
  });
}
