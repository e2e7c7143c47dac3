/**
 * Per-tenant behavioural detector settings through the API, on SQLite and PostgreSQL: a client
 * viewer reads them and is refused changes; an analyst's bad thresholds (unknown names, not
 * positive, a cap lifted past its maximum) are refused with every problem named and nothing
 * stored; a valid change is journalled and takes effect on the tenant's next batch (a detector
 * switched off raises nothing, a raised threshold moves the boundary); allow-list entries are
 * added (journalled, a duplicate refused), silence that key live, and are removed.
 */
import type { JournalEntry } from '@cordon/core';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';

const T0 = Date.UTC(2024, 2, 4, 6, 0, 0);

function zeekConn(ms: number, src: string, dst: string, port: number): string {
  return JSON.stringify({
    ts: ms / 1000,
    uid: `C${ms}-${port}`,
    'id.orig_h': src,
    'id.orig_p': 40000 + (port % 20000),
    'id.resp_h': dst,
    'id.resp_p': port,
    proto: 'tcp',
    conn_state: 'REJ',
  });
}

/** `ports` distinct ports of one host from one source, a second apart. */
const verticalScan = (start: number, src: string, dst: string, ports: number): string[] =>
  Array.from({ length: ports }, (_, i) => zeekConn(start + i * 1000, src, dst, 1000 + i));

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`detector settings API (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let analyst: string;
    let viewer: string;
    let ingest: string;
    const base = (): string => `/api/v1/tenants/${tenantId}/detection/detectors`;

    const call = async (
      method: 'GET' | 'PUT' | 'POST' | 'DELETE',
      url: string,
      token: string,
      payload?: object,
    ) =>
      t.server.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

    const send = async (lines: string[]): Promise<void> => {
      const before = t.server.detection.behaviour.stats.batches;
      const response = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { ...bearer(ingest), 'content-type': 'application/x-ndjson' },
        payload: lines.join('\n') + '\n',
      });
      expect(response.statusCode).toBe(200);
      const deadline = Date.now() + 20_000;
      while (t.server.detection.behaviour.stats.batches <= before) {
        if (Date.now() > deadline) throw new Error('timed out waiting for the pipeline');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const scanAlerts = async (): Promise<{ title: string }[]> => {
      const response = await call(
        'GET',
        `/api/v1/tenants/${tenantId}/alerts?ruleId=cordon-behaviour-port-scan`,
        analyst,
      );
      expect(response.statusCode).toBe(200);
      return response.json<{ items: { title: string }[] }>().items;
    };
    const journalKinds = async (): Promise<JournalEntry[]> =>
      t.server.store.transaction((uow) => uow.forTenant(tenantId).journal.list({}, 1000));

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'acme')).id;
      analyst = await t.token(tenantId, 'analyst');
      viewer = await t.token(tenantId, 'client_viewer');
      ingest = await t.token(tenantId, 'ingest');
    });
    afterAll(async () => t?.dispose());

    it('shows every detector with its defaults, documentation and maxima to a viewer', async () => {
      const response = await call('GET', base(), viewer);
      expect(response.statusCode, response.body).toBe(200);
      const all = response.json<
        {
          detector: string;
          enabled: boolean;
          thresholds: Record<string, number>;
          defaults: Record<string, number>;
          maxima: Record<string, number>;
          documentation: Record<string, string>;
          overrides: Record<string, number>;
          updatedBy: string | null;
        }[]
      >();
      expect(all.map((d) => d.detector)).toEqual([
        'beaconing',
        'port-scan',
        'auth-attack',
        'rare-process',
        'login-pattern',
        'outbound-volume',
        'dns-tunnel',
      ]);
      const scan = all.find((d) => d.detector === 'port-scan')!;
      expect(scan).toMatchObject({ enabled: true, overrides: {}, updatedBy: null });
      expect(scan.thresholds).toEqual(scan.defaults);
      expect(scan.defaults['verticalPorts']).toBe(20);
      expect(scan.maxima['maxKeys']).toBe(80_000);
      expect(Object.keys(scan.documentation).sort()).toEqual(Object.keys(scan.defaults).sort());
      const one = await call('GET', `${base()}/beaconing`, viewer);
      expect(one.statusCode).toBe(200);
      expect(one.json<{ detector: string }>().detector).toBe('beaconing');
      expect((await call('GET', `${base()}/no-such-detector`, viewer)).statusCode).toBe(404);
    });

    it('refuses changes from a viewer, and bad thresholds from an analyst, storing nothing', async () => {
      const change = { enabled: false, thresholds: {} };
      const denied = await call('PUT', `${base()}/port-scan`, viewer, change);
      expect(denied.statusCode).toBe(403);
      const denyAllow = await call('POST', `${base()}/port-scan/allow-list`, viewer, {
        key: 'k',
        reason: 'r',
      });
      expect(denyAllow.statusCode).toBe(403);

      const bad = await call('PUT', `${base()}/port-scan`, analyst, {
        enabled: true,
        thresholds: { verticalPorts: 0, noSuchThreshold: 3, maxKeys: 80_001, windowMinutes: 30 },
      });
      expect(bad.statusCode, bad.body).toBe(400);
      const message = bad.json<{ error: { code: string; message: string } }>().error.message;
      expect(bad.json<{ error: { code: string } }>().error.code).toBe('invalid_input');
      expect(message).toContain('verticalPorts must be a positive number');
      expect(message).toContain('no threshold "noSuchThreshold"');
      expect(message).toContain('maxKeys may be at most 80000');
      // Schema bounds: not a number, too many names, an unknown body field.
      expect(
        (
          await call('PUT', `${base()}/port-scan`, analyst, {
            enabled: true,
            thresholds: { verticalPorts: 'many' },
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await call('PUT', `${base()}/port-scan`, analyst, {
            enabled: true,
            thresholds: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t${i}`, 1])),
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (await call('PUT', `${base()}/port-scan`, analyst, { ...change, extra: 1 })).statusCode,
      ).toBe(400);
      const after = await call('GET', `${base()}/port-scan`, viewer);
      expect(after.json<{ enabled: boolean; overrides: object }>()).toMatchObject({
        enabled: true,
        overrides: {},
      });
      expect((await journalKinds()).some((e) => e.kind === 'detector.settings_updated')).toBe(
        false,
      );
    });

    it('switches a detector off and moves its threshold, journalled, on the next batch', async () => {
      const off = await call('PUT', `${base()}/port-scan`, analyst, {
        enabled: false,
        thresholds: {},
      });
      expect(off.statusCode, off.body).toBe(200);
      await send(verticalScan(T0, '10.1.0.1', '10.2.0.1', 25));
      expect(await scanAlerts()).toHaveLength(0);

      const raised = await call('PUT', `${base()}/port-scan`, analyst, {
        enabled: true,
        thresholds: { verticalPorts: 40 },
      });
      expect(raised.statusCode, raised.body).toBe(200);
      expect(raised.json()).toMatchObject({
        enabled: true,
        overrides: { verticalPorts: 40 },
        thresholds: { verticalPorts: 40, windowMinutes: 60 },
        updatedBy: expect.stringContaining('token:') as unknown,
      });
      // 39 ports: just under the tenant's threshold, no alert; 40: over it.
      await send(verticalScan(T0 + 3_600_000, '10.1.0.2', '10.2.0.2', 39));
      expect(await scanAlerts()).toHaveLength(0);
      await send(verticalScan(T0 + 7_200_000, '10.1.0.3', '10.2.0.3', 40));
      const alerts = await scanAlerts();
      expect(alerts).toHaveLength(1);

      const entries = (await journalKinds()).filter((e) => e.kind === 'detector.settings_updated');
      expect(entries.map((e) => e.payload)).toEqual([
        {
          detector: 'port-scan',
          enabled: false,
          thresholds: {},
          previous: { enabled: true, thresholds: {} },
        },
        {
          detector: 'port-scan',
          enabled: true,
          thresholds: { verticalPorts: 40 },
          previous: { enabled: false, thresholds: {} },
        },
      ]);
    });

    it('adds, lists and removes allow-list keys, which silence the detector live', async () => {
      const key = '10.1.0.4>10.2.0.4';
      const added = await call('POST', `${base()}/port-scan/allow-list`, analyst, {
        key,
        reason: 'the vulnerability scanner',
      });
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json()).toMatchObject({ detector: 'port-scan', key, alertId: null });
      const again = await call('POST', `${base()}/port-scan/allow-list`, analyst, {
        key,
        reason: 'twice',
      });
      expect(again.statusCode).toBe(409);
      const listed = await call('GET', `${base()}/port-scan/allow-list`, viewer);
      expect(listed.json<{ key: string }[]>().map((e) => e.key)).toEqual([key]);
      expect(
        (await call('GET', `${base()}/port-scan`, viewer)).json<{ allowListed: number }>()
          .allowListed,
      ).toBe(1);

      const before = t.server.detection.behaviour.stats.allowListed;
      await send(verticalScan(T0 + 10_800_000, '10.1.0.4', '10.2.0.4', 45));
      expect(t.server.detection.behaviour.stats.allowListed).toBe(before + 1);
      expect(await scanAlerts()).toHaveLength(1);

      const removed = await call(
        'DELETE',
        `${base()}/port-scan/allow-list?key=${encodeURIComponent(key)}`,
        analyst,
      );
      expect(removed.statusCode, removed.body).toBe(204);
      const missing = await call(
        'DELETE',
        `${base()}/port-scan/allow-list?key=${encodeURIComponent(key)}`,
        analyst,
      );
      expect(missing.statusCode).toBe(404);
      const kinds = (await journalKinds()).map((e) => e.kind);
      expect(kinds).toContain('detector.allow_listed');
      expect(kinds).toContain('detector.allow_list_removed');
      // Bounded input: an over-long key is refused by the schema.
      const long = await call('POST', `${base()}/port-scan/allow-list`, analyst, {
        key: 'k'.repeat(1025),
        reason: 'r',
      });
      expect(long.statusCode).toBe(400);
    });

    it('carries request and response schemas in the OpenAPI document', async () => {
      const doc = (await t.server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
        paths: Record<string, Record<string, { requestBody?: unknown; responses?: object }>>;
      }>();
      const one = doc.paths['/api/v1/tenants/{tenantId}/detection/detectors/{detector}']!;
      expect(one['put']?.requestBody).toBeDefined();
      expect(Object.keys(one['put']?.responses ?? {})).toContain('200');
      const allow =
        doc.paths['/api/v1/tenants/{tenantId}/detection/detectors/{detector}/allow-list']!;
      expect(allow['post']?.requestBody).toBeDefined();
      expect(Object.keys(allow['post']?.responses ?? {})).toContain('201');
    });
  });
}
