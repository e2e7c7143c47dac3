/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- response JSON, checked by the assertions */
/**
 * Threat-intel exchange on a running server, on both databases: an incident exported as STIX
 * 2.1 (every object and the bundle valid against the shipped OASIS schemas, the same bundle
 * twice) and as a MISP event; watchlists imported over HTTP (a STIX bundle, an IOC list,
 * platform-wide), then events sent to the server's ingest over a real socket raise alerts
 * through triage — a watched address within a second; expiry, tenant scoping, the journal,
 * and hostile inputs refused with a 4xx that names the bound.
 */
import type { Alert, JournalEntry } from '@cordon/core';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';
import { stixSchemasPresent, stixValidators } from './stix-schemas.ts';

const WATCHED_IP = '203.0.113.66';
const SHA256 = 'aeebad4a796fcc2e15dc4c6061b45ed9b373f26adfc798ca7d2d8cc58182718e';

const stixIndicator = (n: number, pattern: string, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  created: '2026-12-01T00:00:00.000Z',
  modified: '2026-12-01T00:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2026-12-01T00:00:00.000Z',
  ...extra,
});

const bundleText = (objects: readonly object[]) =>
  JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects });

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`threat-intel exchange (${dialect})`, () => {
    let t: TestServer;
    let base: string;
    let a: string;
    let b: string;
    let analystA: Record<string, string>;
    let ingestA: Record<string, string>;
    let analystB: Record<string, string>;
    let ingestB: Record<string, string>;

    beforeAll(async () => {
      t = await startTestServer(dialect);
      const { access } = t.server.services;
      a = (await access.createTenant(system, 'Acme')).id;
      b = (await access.createTenant(system, 'Globex')).id;
      analystA = bearer(await t.token(a, 'analyst'));
      ingestA = bearer(await t.token(a, 'ingest'));
      analystB = bearer(await t.token(b, 'analyst'));
      ingestB = bearer(await t.token(b, 'ingest'));
      base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    }, 240_000);
    afterAll(async () => t?.dispose());

    const api = async (
      method: string,
      path: string,
      auth: Record<string, string>,
      body?: unknown,
    ): Promise<{ status: number; body: any; headers: Headers; text: string }> => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: response.status, body: parsed, headers: response.headers, text };
    };
    const ingest = async (auth: Record<string, string>, events: readonly object[]) => {
      const response = await api('POST', '/api/v1/ingest', auth, JSON.stringify(events));
      expect(response.status, response.text).toBeLessThan(300);
    };
    const watchAlerts = async (tenantId: string): Promise<Alert[]> =>
      (
        await t.server.detection.alerts.list(system, tenantId, {}, { limit: 200, offset: 0 })
      ).items.filter((alert) => alert.ruleId.startsWith('watchlist:'));
    const journal = async (tenantId: string): Promise<JournalEntry[]> =>
      t.server.services.journal.list(system, tenantId, {}, 5000);
    const event = (fields: Record<string, unknown>) => ({
      '@timestamp': new Date().toISOString(),
      host: { name: 'web01' },
      message: 'connection',
      ...fields,
    });

    describe('incident export', () => {
      let incidentId: string;
      beforeAll(async () => {
        const { incidents } = t.server.services;
        const incident = await incidents.create(system, a, {
          title: 'Brute force then PowerShell on web01',
          summary: 'Guessed SSH passwords, then an encoded PowerShell download.',
          severity: 'high',
          firstActivityAt: Date.parse('2026-12-04T08:00:00Z'),
        });
        incidentId = incident.id;
        await incidents.update(system, a, incident.id, {
          attackTechniques: ['T1110', 't1059.001'],
          origins: [{ address: '198.51.100.23', scope: 'external' }],
        });
        for (const [kind, value] of [
          ['ip', '198.51.100.23'],
          ['ip', '2001:db8::66'],
          ['domain', 'c2.evil.example'],
          ['url', 'http://c2.evil.example/stage2.ps1'],
          ['file_hash', SHA256],
          ['user', 'root'],
          ['host', 'web01'],
        ] as const)
          await incidents.addObservable(system, a, incident.id, { kind, value });
      });

      it.skipIf(!stixSchemasPresent)(
        'is STIX 2.1 that the shipped schemas accept, object by object',
        async () => {
          const exported = await api(
            'GET',
            `/api/v1/tenants/${a}/incidents/${incidentId}/intel?format=stix`,
            analystA,
          );
          expect(exported.status).toBe(200);
          expect(exported.headers.get('content-type')).toContain('application/stix+json');
          const bundle = exported.body as { type: string; objects: { type: string; id: string }[] };
          const validators = stixValidators();
          // The shipped bundle.json predates the incident SDO: it lists every other type, and its
          // branch for other types wants exactly one of core / cyber-observable-core, both of
          // which any SDO meets. The bundle is checked without it, the incident on its own below.
          const validateBundle = validators.forType('bundle');
          const rest = { ...bundle, objects: bundle.objects.filter((o) => o.type !== 'incident') };
          expect(validateBundle(rest), JSON.stringify(validateBundle.errors)).toBe(true);
          expect(validateBundle({ ...bundle, objects: [] })).toBe(false);
          for (const object of bundle.objects) {
            const validate = validators.forType(object.type);
            expect(validate(object), `${object.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
          }
          // A broken object is refused by the same validators (the check can fail).
          const indicator = bundle.objects.find((o) => o.type === 'indicator')!;
          expect(validators.forType('indicator')({ ...indicator, valid_from: 'yesterday' })).toBe(
            false,
          );

          const count = (type: string) => bundle.objects.filter((o) => o.type === type).length;
          expect(count('identity')).toBe(2);
          expect(count('incident')).toBe(1);
          // Two addresses, a domain, a URL and a hash; users and hosts are not indicators.
          expect(count('indicator')).toBe(5);
          expect(count('observed-data')).toBe(5);
          expect(count('sighting')).toBe(5);
          expect(count('attack-pattern')).toBe(2);
          expect(
            count('ipv4-addr') +
              count('ipv6-addr') +
              count('domain-name') +
              count('url') +
              count('file'),
          ).toBe(5);
          const byType = (type: string) => bundle.objects.filter((o) => o.type === type) as any[];
          expect(
            byType('attack-pattern').map((p) => [p.name, p.external_references[0].external_id]),
          ).toEqual([
            ['PowerShell', 'T1059.001'],
            ['Brute Force', 'T1110'],
          ]);
          expect(byType('indicator').map((i) => i.pattern)).toContain(
            `[file:hashes.'SHA-256' = '${SHA256}']`,
          );
          expect(byType('indicator').map((i) => i.pattern)).toContain(
            "[ipv4-addr:value = '198.51.100.23']",
          );
          const incident = byType('incident')[0];
          expect(
            incident.extensions['extension-definition--ef765651-680c-498d-9894-99799f2fa126'],
          ).toMatchObject({
            extension_type: 'property-extension',
            investigation_status: 'new',
            criticality: 75,
            first_seen: '2026-12-04T08:00:00.000Z',
          });
          const ids = new Set(bundle.objects.map((o) => o.id));
          for (const rel of byType('relationship')) {
            expect(ids.has(rel.source_ref) && ids.has(rel.target_ref)).toBe(true);
          }
          expect(
            byType('relationship').filter((r) => r.relationship_type === 'indicates'),
          ).toHaveLength(10);
          // The SCO id of an address is the one STIX prescribes (UUIDv5 of {"value": …}).
          expect(byType('ipv4-addr')[0].id).toMatch(/^ipv4-addr--[0-9a-f]{8}-[0-9a-f]{4}-5/);

          const again = await api(
            'GET',
            `/api/v1/tenants/${a}/incidents/${incidentId}/intel`,
            analystA,
          );
          expect(again.text).toBe(exported.text);
          const exports = (await journal(a)).filter((e) => e.kind === 'intel.exported');
          expect(exports.at(-1)).toMatchObject({
            incidentId,
            payload: { format: 'stix', objects: bundle.objects.length },
          });
        },
      );

      it('is a MISP event with typed attributes and ATT&CK galaxy tags', async () => {
        const exported = await api(
          'GET',
          `/api/v1/tenants/${a}/incidents/${incidentId}/intel?format=misp`,
          analystA,
        );
        expect(exported.status).toBe(200);
        const event = exported.body.Event;
        expect(event.info).toContain('Brute force then PowerShell');
        expect(event.threat_level_id).toBe('1');
        expect(event.Attribute.map((x: any) => [x.type, x.category, x.value]).sort()).toEqual(
          [
            ['domain', 'Network activity', 'c2.evil.example'],
            ['ip-dst', 'Network activity', '2001:db8::66'],
            ['ip-src', 'Network activity', '198.51.100.23'],
            ['sha256', 'Payload delivery', SHA256],
            ['url', 'Network activity', 'http://c2.evil.example/stage2.ps1'],
          ].sort(),
        );
        expect(event.Tag.map((x: any) => x.name)).toEqual([
          'tlp:amber',
          'misp-galaxy:mitre-attack-pattern="PowerShell - T1059.001"',
          'misp-galaxy:mitre-attack-pattern="Brute Force - T1110"',
        ]);
      });

      it("is not handed to another tenant's caller", async () => {
        const refused = await api(
          'GET',
          `/api/v1/tenants/${a}/incidents/${incidentId}/intel`,
          analystB,
        );
        expect([403, 404]).toContain(refused.status);
        expect(refused.text).not.toContain('Brute force');
        const wrongTenant = await api(
          'GET',
          `/api/v1/tenants/${b}/incidents/${incidentId}/intel`,
          analystB,
        );
        expect(wrongTenant.status).toBe(404);
      });
    });

    describe('watchlists', () => {
      it('imports a STIX bundle, reports what it cannot watch, and a watched address raises an alert within a second', async () => {
        const imported = await api('POST', `/api/v1/tenants/${a}/watchlists`, analystA, {
          name: 'partner feed',
          source: 'ISAC bundle 2026-12-04',
          format: 'stix',
          content: bundleText([
            {
              type: 'identity',
              spec_version: '2.1',
              id: 'identity--00000000-0000-4000-8000-000000000009',
              name: 'ISAC',
            },
            stixIndicator(1, `[ipv4-addr:value = '${WATCHED_IP}']`),
            stixIndicator(2, "[domain-name:value = 'bad.example']"),
            stixIndicator(3, "[process:name = 'evil.exe']"),
            stixIndicator(4, "[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '1.2.3.5']"),
          ]),
        });
        expect(imported.status, imported.text).toBe(201);
        expect(imported.body.watchlist).toMatchObject({
          scope: 'tenant',
          indicatorCount: 2,
          active: true,
          level: 'high',
        });
        expect(imported.body.rejectedCount).toBe(2);
        expect(imported.body.rejected.map((r: any) => r.where)).toEqual([
          'indicator--00000000-0000-4000-8000-000000000003',
          'indicator--00000000-0000-4000-8000-000000000004',
        ]);
        const watchlistId = imported.body.watchlist.id as string;
        const indicators = await api(
          'GET',
          `/api/v1/tenants/${a}/watchlists/${watchlistId}/indicators`,
          analystA,
        );
        expect(indicators.body.map((i: any) => `${i.kind}:${i.value}`)).toEqual([
          'domain:bad.example',
          `ip:${WATCHED_IP}`,
        ]);

        // Nothing watched: no alert.
        await ingest(ingestA, [event({ source: { ip: '192.0.2.200' } })]);
        const sent = Date.now();
        await ingest(ingestA, [
          event({ source: { ip: WATCHED_IP }, destination: { ip: '192.0.2.10' } }),
        ]);
        const alert = await waitFor('the watchlist alert', async () => (await watchAlerts(a))[0]);
        const elapsed = Date.now() - sent;
        expect(elapsed).toBeLessThan(1000);
        expect(alert).toMatchObject({
          ruleId: `watchlist:${watchlistId}:ip:${WATCHED_IP}`,
          level: 'high',
          tags: ['watchlist', 'watchlist.ip'],
          source: 'tenant',
        });
        expect(alert.entities.sourceIps).toEqual([WATCHED_IP]);
        // Through triage like a rule's alert: grouped into an incident, journaled.
        expect(alert.incidentId).not.toBeNull();
        const kinds = (await journal(a)).map((e) => e.kind);
        expect(kinds).toEqual(
          expect.arrayContaining(['watchlist.imported', 'alert.raised', 'alert.grouped']),
        );
        expect(await watchAlerts(a)).toHaveLength(1);
      });

      it('matches networks, subdomains, URLs and Sysmon hashes from an IOC list; an expired list stops', async () => {
        const imported = await api('POST', `/api/v1/tenants/${a}/watchlists`, analystA, {
          name: 'analyst list',
          source: 'case notes',
          format: 'iocs',
          level: 'medium',
          content: [
            '# from the case',
            '198.18.128.0/17',
            'evil[.]example',
            'hxxp://drop.example/x.bin',
            SHA256.toUpperCase(),
            'junk line',
          ].join('\n'),
        });
        expect(imported.status, imported.text).toBe(201);
        expect(imported.body.rejectedCount).toBe(1);
        const id = imported.body.watchlist.id as string;
        const before = (await watchAlerts(a)).length;
        await ingest(ingestA, [
          event({ destination: { ip: '198.18.200.1' } }),
          event({ dns: { question: { name: 'cdn.a.evil.example' } } }),
          event({ url: { full: 'http://DROP.example/x.bin' } }),
          event({
            fields: {
              Hashes: `MD5=0123456789ABCDEF0123456789ABCDEF,SHA256=${SHA256.toUpperCase()}`,
            },
          }),
          event({
            dns: { question: { name: 'notevil.example' } },
            destination: { ip: '198.18.0.1' },
          }),
        ]);
        const alerts = await waitFor('four alerts', async () => {
          const now = (await watchAlerts(a)).filter((x) => x.ruleId.startsWith(`watchlist:${id}`));
          return now.length >= 4 ? now : undefined;
        });
        expect(alerts.map((x) => x.ruleId.slice(`watchlist:${id}:`.length)).sort()).toEqual([
          'domain:evil.example',
          'ip:198.18.128.0/17',
          `sha256:${SHA256}`,
          'url:http://drop.example/x.bin',
        ]);
        expect(alerts.every((x) => x.level === 'medium')).toBe(true);

        const expired = await api(
          'POST',
          `/api/v1/tenants/${a}/watchlists/${id}/expire`,
          analystA,
          {},
        );
        expect(expired.status).toBe(200);
        expect(expired.body.active).toBe(false);
        await ingest(ingestA, [
          event({ destination: { ip: '198.18.129.9' }, host: { name: 'db07' } }),
        ]);
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect((await watchAlerts(a)).length).toBe(before + 4);

        const deleted = await api('DELETE', `/api/v1/tenants/${a}/watchlists/${id}`, analystA);
        expect(deleted.status).toBe(204);
        const listed = await api('GET', `/api/v1/tenants/${a}/watchlists`, analystA);
        expect(listed.body.map((w: any) => w.id)).not.toContain(id);
        expect((await journal(a)).map((e) => e.kind)).toEqual(
          expect.arrayContaining(['watchlist.expired', 'watchlist.deleted']),
        );
      });

      it("keeps a tenant's watchlists its own; platform-wide ones match for every tenant", async () => {
        const listed = await api('GET', `/api/v1/tenants/${a}/watchlists`, analystA);
        const aId = listed.body[0].id as string;
        for (const [method, path] of [
          ['GET', `/api/v1/tenants/${b}/watchlists/${aId}`],
          ['GET', `/api/v1/tenants/${b}/watchlists/${aId}/indicators`],
          ['POST', `/api/v1/tenants/${b}/watchlists/${aId}/expire`],
          ['DELETE', `/api/v1/tenants/${b}/watchlists/${aId}`],
        ] as const) {
          const answer = await api(method, path, analystB, method === 'POST' ? {} : undefined);
          expect(answer.status, `${method} ${path}`).toBe(404);
        }
        expect((await api('GET', `/api/v1/tenants/${a}/watchlists`, analystB)).status).toBe(403);
        // B's events carrying A's watched address raise nothing in B.
        await ingest(ingestB, [event({ source: { ip: WATCHED_IP } })]);
        const refused = await api('POST', '/api/v1/platform/watchlists', analystB, {
          name: 'x',
          source: 'y',
          format: 'iocs',
          content: '192.0.2.1',
        });
        expect(refused.status).toBe(403);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(await watchAlerts(b)).toEqual([]);

        const platform = await t.server.intel.watchlists.import(
          system,
          { kind: 'platform' },
          {
            name: 'MSSP blocklist',
            source: 'mssp-intel',
            format: 'iocs',
            content: '192.0.2.99\n',
            level: 'critical',
          },
        );
        await ingest(ingestB, [event({ destination: { ip: '192.0.2.99' } })]);
        const alert = await waitFor(
          'the platform alert in B',
          async () => (await watchAlerts(b))[0],
        );
        expect(alert).toMatchObject({
          ruleId: `watchlist:${platform.watchlist.id}:ip:192.0.2.99`,
          source: 'server',
          level: 'critical',
        });
        const platformJournal = await t.server.store.transaction((uow) =>
          uow.platformJournal.list({}, 5000),
        );
        expect(platformJournal.map((e: JournalEntry) => e.kind)).toContain('watchlist.imported');
      });

      it('refuses hostile inputs with a 4xx that names the bound, storing nothing', async () => {
        const path = `/api/v1/tenants/${a}/watchlists`;
        const count = async () => (await api('GET', path, analystA)).body.length as number;
        const before = await count();
        const post = (content: string, format = 'iocs') =>
          api('POST', path, analystA, { name: 'hostile', source: 'attacker', format, content });

        const longLine = await post(`198.51.100.1\n${'a'.repeat(10 * 1024 * 1024)}`);
        expect(longLine.status, longLine.text.slice(0, 300)).toBe(400);
        expect(longLine.body.error.message).toMatch(
          /line 2 is 10485760 characters long; an IOC line may have at most \d+/,
        );

        const tooLong = await post('1'.repeat(32 * 1024 * 1024 + 1));
        expect(tooLong.status).toBe(413);
        expect(tooLong.body.error.message).toMatch(/at most 33554432 are read/);

        const tooManyObjects = await post(
          `{"type":"bundle","objects":[${'{},'.repeat(250_000)}{}]}`,
          'stix',
        );
        expect(tooManyObjects.status).toBe(413);
        expect(tooManyObjects.body.error.message).toMatch(/250001 objects; at most 250000/);

        const hugeBody = await api(
          'POST',
          path,
          analystA,
          `{"name":"x","source":"y","format":"iocs","content":"${'a'.repeat(41 * 1024 * 1024)}"}`,
        );
        expect(hugeBody.status).toBe(413);

        const malformed = await post(
          bundleText([
            stixIndicator(7, "[ipv4-addr:value = '1.2.3.4'"),
            stixIndicator(8, "[x:y MATCHES 'z']"),
          ]),
          'stix',
        );
        expect(malformed.status).toBe(400);
        expect(malformed.body.error.message).toMatch(/nothing in it can be watched/);
        expect(malformed.body.error.details.rejectedCount).toBe(2);

        expect((await post('{not json', 'stix')).status).toBe(400);
        expect(
          (await api('POST', path, analystA, { name: 'x', format: 'iocs', content: '1.2.3.4' }))
            .status,
        ).toBe(400);
        expect(
          (
            await api('POST', path, analystA, {
              name: 'x',
              source: 'y',
              format: 'iocs',
              content: '1.2.3.4',
              expiresAt: '2001-01-01T00:00:00Z',
            })
          ).status,
        ).toBe(400);
        expect(await count()).toBe(before);
      }, 120_000);
    });
  });
}
