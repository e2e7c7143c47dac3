/**
 * Fuzzing the bulk ingest endpoint as an ingest token holder could: mutated NDJSON, JSON
 * arrays, CEF and syslog lines, plain and gzip-compressed (valid gzip of mutated text, and
 * damaged gzip bytes), under every content type and format the endpoint names, on a real
 * server. Every answer is a success with counts, or a 4xx (or 429) with a stable error
 * code; never a 5xx. The records the server reports stored plus those it dead-lettered never
 * exceed the records it was sent, and the server still answers `/healthz` at the end.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';
import { fuzz, utf8 } from './fuzz-kit.ts';

const ERROR_CODES = [
  'invalid_input',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
];

const ssh = (n: number): string =>
  `Oct 11 22:14:${String(n % 60).padStart(2, '0')} bastion sshd[${n}]: Failed password for root from 198.51.100.${n % 250} port ${40000 + n} ssh2`;
const json = (n: number): string =>
  JSON.stringify({
    '@timestamp': `2026-11-27T08:${String(n % 60).padStart(2, '0')}:00Z`,
    message: `login failure ${n}`,
    host: { name: `ws-${n % 4}` },
    source: { ip: `203.0.113.${n % 250}` },
    user: { name: 'alice' },
  });

const SAMPLES = [
  Array.from({ length: 20 }, (_, i) => json(i)).join('\n'),
  `[${Array.from({ length: 20 }, (_, i) => json(i)).join(',')}]`,
  Array.from({ length: 20 }, (_, i) => ssh(i)).join('\n'),
  'CEF:0|Vendor|Product|1.0|100|Denied|5|src=198.51.100.9 dst=10.0.0.5 act=deny\n'.repeat(5),
].map(utf8);

const CONTENT_TYPES = [
  'application/x-ndjson',
  'application/json',
  'text/plain',
  'application/gzip',
  'application/octet-stream',
  'text/csv',
];
const FORMATS = ['auto', 'json', 'syslog', 'cef', 'windows', 'zeek', 'suricata', 'cloudtrail'];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(
    `fuzzing bulk ingest bodies (${dialect}; issue 13 item 2: keep it closed)`,
    () => {
      let t: TestServer;
      let auth: Record<string, string>;
      beforeAll(async () => {
        t = await startTestServer(dialect);
        const tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
        auth = bearer(await t.token(tenantId, 'ingest'));
      });
      afterAll(async () => t?.dispose());

      it('answers every body with counts or a 4xx, never a 5xx', { timeout: 280_000 }, async () => {
        const statuses = new Map<number, number>();
        await fuzz({
          seed: 0xb0d7 + dialect.length,
          cases: dialect === 'sqlite' ? 500 : 250,
          samples: SAMPLES,
          mutation: {
            dictionary: ['\n', '\r\n', '{', '[', ']', '"', ',', '\u0000', '\\', '\xff'],
            maxBytes: 256 * 1024,
          },
          target: async (input, d) => {
            const contentType = d.pick(CONTENT_TYPES);
            const compress = contentType === 'application/gzip' || d.chance(0.2);
            let payload: Buffer = Buffer.from(compress ? gzipSync(input) : input);
            if (compress && d.chance(0.3)) {
              // damage the compressed bytes themselves: cut, flip or append garbage
              payload = Buffer.from(payload);
              if (d.chance(0.5)) payload = payload.subarray(0, d.int(payload.length));
              else if (payload.length > 0) {
                const at = d.int(payload.length);
                payload[at] = payload[at]! ^ (1 << d.int(8));
              }
            }
            const headers: Record<string, string> = { ...auth, 'content-type': contentType };
            if (compress && contentType !== 'application/gzip' && d.chance(0.5))
              headers['content-encoding'] = 'gzip';
            const response = await t.server.app.inject({
              method: 'POST',
              url: `/api/v1/ingest?format=${d.pick(FORMATS)}`,
              headers,
              payload,
            });
            statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
            expect(response.statusCode, response.body).toBeLessThan(500);
            const body = response.json<Record<string, unknown>>();
            if (response.statusCode >= 400) {
              const error = body['error'] as { code: string; message: string };
              expect(ERROR_CODES).toContain(error.code);
              expect(error.message.length).toBeGreaterThan(0);
            } else {
              const lines = input.reduce((n, byte) => n + (byte === 0x0a ? 1 : 0), 1);
              const accepted = Number(body['accepted'] ?? 0);
              const failed = Number(body['failed'] ?? body['deadLettered'] ?? 0);
              expect(accepted + failed).toBeLessThanOrEqual(Math.max(lines, 1) + 64);
            }
            return response.body.length;
          },
        });
        expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
        expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
        const health = await t.server.app.inject({ method: 'GET', url: '/healthz' });
        expect(health.statusCode).toBe(200);
      });
    },
  );
}
