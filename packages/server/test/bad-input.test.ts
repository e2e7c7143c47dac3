import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`bad input and evidence (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let auth: Record<string, string>;
    beforeAll(async () => {
      t = await startTestServer(dialect, { maxEvidenceBytes: 64 * 1024 });
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      auth = bearer(await t.token(tenantId, 'responder'));
    });
    afterAll(async () => t.dispose());

    const journalLength = async () =>
      (await t.server.services.journal.list(system, tenantId, {}, 1000)).length;
    const post = (url: string, payload: string, contentType = 'application/json') =>
      t.server.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${tenantId}${url}`,
        headers: { ...auth, 'content-type': contentType },
        payload,
      });

    it('answers each kind of bad input with a 4xx that says what is wrong, and writes nothing', async () => {
      const before = await journalLength();
      const cases: [string, string, number, RegExp][] = [
        ['malformed JSON', '{"title": "x", ', 400, /JSON/],
        ['wrong type', '{"title": 42, "severity": "high"}', 400, /body\.title must be string/],
        [
          'unknown field',
          '{"title": "x", "severity": "high", "owner": "me"}',
          400,
          /unknown field 'owner'/,
        ],
        ['bad enum', '{"title": "x", "severity": "apocalyptic"}', 400, /severity/],
        ['missing field', '{"severity": "high"}', 400, /title/],
        ['empty body', '', 400, /empty|JSON/],
        [
          'oversized body',
          JSON.stringify({ title: 'x', severity: 'high', summary: 'a'.repeat(2 * 1024 * 1024) }),
          413,
          /larger/,
        ],
      ];
      for (const [name, payload, status, message] of cases) {
        const response = await post('/incidents', payload);
        expect(response.statusCode, name).toBe(status);
        const body = response.json();
        expect(Object.keys(body), name).toEqual(['error']);
        expect(body.error.message, name).toMatch(message);
        expect(response.body, name).not.toMatch(/at .*\.ts:\d+/);
      }
      const wrongType = await post('/incidents', 'title=x', 'application/x-www-form-urlencoded');
      expect(wrongType.statusCode).toBe(415);
      expect(wrongType.json().error.code).toBe('unsupported_media_type');
      const badId = await t.server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenantId}/incidents/not-a-uuid`,
        headers: auth,
      });
      expect(badId.statusCode).toBe(400);
      expect(badId.json().error.message).toMatch(/incidentId/);
      const unknownId = await t.server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenantId}/incidents/00000000-0000-4000-8000-000000000000`,
        headers: auth,
      });
      expect(unknownId.statusCode).toBe(404);
      const noRoute = await t.server.app.inject({
        method: 'GET',
        url: '/api/v1/nothing-here',
        headers: auth,
      });
      expect(noRoute.json()).toMatchObject({ error: { code: 'not_found' } });
      const noAuth = await t.server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenantId}/incidents`,
      });
      expect(noAuth.statusCode).toBe(401);
      expect(await journalLength()).toBe(before);
      expect(
        (await t.server.services.incidents.list(system, tenantId, {}, { limit: 10, offset: 0 }))
          .total,
      ).toBe(0);
    });

    it('stores evidence by SHA-256, checks it on every read and journals each access', async () => {
      const content = Buffer.from('memory image fragment\n'.repeat(100));
      const upload = await post(
        '/evidence?filename=mem.bin&collectedFrom=FIN-WS-07%3A%2Fdev%2Fmem&method=avml%201.0',
        content.toString('latin1'),
        'application/octet-stream',
      );
      expect(upload.statusCode).toBe(201);
      const item = upload.json();
      const { createHash } = await import('node:crypto');
      expect(item).toMatchObject({
        sha256: createHash('sha256').update(content).digest('hex'),
        size: content.length,
        collectedFrom: 'FIN-WS-07:/dev/mem',
      });
      const download = await t.server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenantId}/evidence/${item.id}/content?purpose=export`,
        headers: auth,
      });
      expect(download.statusCode).toBe(200);
      expect(download.headers['x-content-sha256']).toBe(item.sha256);
      expect(download.rawPayload.equals(content)).toBe(true);
      const kinds = (await t.server.services.journal.list(system, tenantId, {}, 1000)).map(
        (e) => e.kind,
      );
      expect(kinds).toContain('evidence.collected');
      expect(kinds).toContain('evidence.exported');

      // Altering the stored bytes is detected and nothing is served.
      const blob = join(
        t.server.config.dataDir,
        'evidence',
        item.sha256.slice(0, 2),
        item.sha256.slice(2, 4),
        item.sha256,
      );
      chmodSync(blob, 0o600);
      writeFileSync(blob, 'tampered');
      const refused = await t.server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenantId}/evidence/${item.id}/content`,
        headers: auth,
      });
      expect(refused.statusCode).toBe(500);
      expect(refused.json().error.code).toBe('integrity_failure');
      const last = (await t.server.services.journal.list(system, tenantId, {}, 1000)).at(-1);
      expect(last).toMatchObject({ kind: 'evidence.integrity_failed' });
    });

    it('refuses evidence over the size limit and leaves nothing behind', async () => {
      const before = await journalLength();
      const big = 'x'.repeat(100 * 1024);
      const response = await post(
        '/evidence?filename=big.bin&collectedFrom=h&method=m',
        big,
        'application/octet-stream',
      );
      expect(response.statusCode).toBe(413);
      expect(await journalLength()).toBe(before);
      expect(readdirSync(join(t.server.config.dataDir, 'evidence', 'tmp'))).toEqual([]);
      const missingCustody = await post(
        '/evidence?filename=a.bin',
        'abc',
        'application/octet-stream',
      );
      expect(missingCustody.statusCode).toBe(400);
      expect(missingCustody.json().error.message).toMatch(/collectedFrom/);
    });
  });
}
