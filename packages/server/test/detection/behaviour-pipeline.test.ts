/**
 * Behavioural detection in the live pipeline of a real server, on SQLite and PostgreSQL: Zeek
 * connection records posted to `/api/v1/ingest` become a beaconing alert that states its score,
 * features and baseline, maps to ATT&CK and opens an incident through the same triage as rule
 * alerts; the alert closed as a false positive allow-lists its key (journalled), so the same
 * beacon does not alert again; a host's process baseline survives a restart of the server (a
 * new process after it is rare, with no relearning); and `/metrics` counts it all.
 */
import type { Alert } from '@cordon/core';
import { DIALECTS, dialectAvailable, postgresUrl } from '@cordon/storage/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '@cordon/storage';
import { createServer } from '../../src/create-server.ts';
import type { CordonServer } from '../../src/create-server.ts';
import { defaultServerConfig } from '../../src/server-config.ts';
import { bearer, system } from '../test-server.ts';

const T0 = Date.UTC(2024, 2, 4, 6, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

function zeekConn(ms: number, src: string, dst: string, port: number, bytes: number): string {
  return JSON.stringify({
    ts: ms / 1000,
    uid: `C${ms}`,
    'id.orig_h': src,
    'id.orig_p': 40000 + (ms % 20000),
    'id.resp_h': dst,
    'id.resp_p': port,
    proto: 'tcp',
    conn_state: 'SF',
    orig_bytes: bytes,
    resp_bytes: 900,
  });
}

function processStart(ms: number, host: string, image: string, parent: string): string {
  return JSON.stringify({
    '@timestamp': iso(ms),
    winlog: {
      channel: 'Security',
      computer_name: host,
      event_id: 4688,
      provider_name: 'Microsoft-Windows-Security-Auditing',
      event_data: {
        NewProcessName: `C:\\Program Files\\${image}`,
        ParentProcessName: `C:\\Windows\\${parent}`,
        SubjectUserName: 'erin',
        NewProcessId: '0x1a4',
        ProcessId: '0x2b8',
      },
    },
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`behavioural detectors live (${dialect})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-behave-'));
    const url = dialect === 'postgres' ? postgresUrl() : undefined;
    const schema = url ? `b_${process.pid}_${Math.random().toString(36).slice(2, 8)}` : undefined;
    let server: CordonServer;
    let tenantId: string;
    let analyst: string;
    let ingest: string;

    const start = async (name: DialectName): Promise<CordonServer> =>
      createServer({
        config: {
          ...defaultServerConfig,
          dataDir,
          databaseUrl: name === 'postgres' ? url : undefined,
          databaseSchema: schema,
          port: 0,
        },
        logger: false,
      });
    const send = async (lines: string[]): Promise<void> => {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { ...bearer(ingest), 'content-type': 'application/x-ndjson' },
        payload: lines.join('\n') + '\n',
      });
      expect(response.statusCode).toBe(200);
    };
    const alertsOf = async (detector: string): Promise<(Alert & { explanation?: never })[]> => {
      const response = await server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenantId}/alerts?ruleId=cordon-behaviour-${detector}`,
        headers: bearer(analyst),
      });
      expect(response.statusCode).toBe(200);
      return response.json<{ items: (Alert & { explanation?: never })[] }>().items;
    };
    const settled = async (): Promise<void> => {
      // The pipeline delivers in order: a marker batch seen by the consumer means all before it were.
      const before = server.detection.behaviour.stats.batches;
      await send([zeekConn(T0, '10.9.9.9', '10.9.9.8', 53, 1)]);
      await waitFor('the pipeline', async () =>
        server.detection.behaviour.stats.batches > before ? true : undefined,
      );
    };

    beforeAll(async () => {
      server = await start(dialect);
      tenantId = (await server.services.access.createTenant(system, 'acme')).id;
      analyst = (await server.services.access.createToken(system, { tenantId, role: 'analyst' }))
        .token;
      ingest = (await server.services.access.createToken(system, { tenantId, role: 'ingest' }))
        .token;
    });
    afterAll(async () => {
      await server?.close();
      if (url && schema) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('raises a beacon with its explanation, through triage into an incident', async () => {
      const beacon = Array.from({ length: 16 }, (_, i) =>
        zeekConn(
          T0 + i * 600_000 + ((i * 7919) % 60_000),
          '10.0.0.5',
          '203.0.113.50',
          443,
          310 + (i % 5),
        ),
      );
      await send(beacon);
      const [alert] = await waitFor('a beaconing alert', async () => {
        const found = await alertsOf('beaconing');
        return found.length > 0 ? found : undefined;
      });
      const explanation = (alert as unknown as { explanation: Record<string, never> }).explanation;
      expect(explanation).toMatchObject({ detector: 'beaconing', threshold: 0.8 });
      expect(explanation['score']).toBeGreaterThanOrEqual(0.8);
      expect(explanation['features']).toHaveProperty('connections');
      expect(explanation['baseline']).toHaveProperty('minConnections', 10);
      expect(alert!.tags).toContain('attack.t1071');
      expect(alert!.entities.sourceIps).toEqual(['203.0.113.50']);
      expect(alert!.incidentId).not.toBeNull();
    });

    it('a false-positive verdict allow-lists the pair: the next day the beacon is quiet', async () => {
      const [alert] = await alertsOf('beaconing');
      const closed = await server.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${tenantId}/alerts/${alert!.id}/close`,
        headers: bearer(analyst),
        payload: { reason: 'False positive: the backup agent checks in every 10 minutes' },
      });
      expect(closed.statusCode).toBe(200);
      const entries = await server.store.transaction((uow) =>
        uow.forTenant(tenantId).detectors.allowList(),
      );
      expect(entries.map((e) => [e.detector, e.key, e.alertId])).toEqual([
        ['beaconing', '10.0.0.5>203.0.113.50:443/', alert!.id],
      ]);
      const journal = await server.store.transaction((uow) =>
        uow.forTenant(tenantId).journal.list({}, 1000),
      );
      expect(journal.some((e) => e.kind === 'detector.allow_listed')).toBe(true);
      const before = server.detection.behaviour.stats.allowListed;
      const nextDay = T0 + 26 * 3_600_000;
      await send(
        Array.from({ length: 16 }, (_, i) =>
          zeekConn(nextDay + i * 600_000, '10.0.0.5', '203.0.113.50', 443, 310),
        ),
      );
      await settled();
      expect(server.detection.behaviour.stats.allowListed).toBeGreaterThan(before);
      expect(await alertsOf('beaconing')).toHaveLength(1);
    });

    it('keeps a host process baseline across a restart of the server', async () => {
      const lines: string[] = [];
      for (let h = 0; h < 30; h++) {
        lines.push(processStart(T0 + h * 3_600_000, 'WS01', 'chrome.exe', 'explorer.exe'));
        lines.push(processStart(T0 + h * 3_600_000 + 1000, 'WS01', 'outlook.exe', 'explorer.exe'));
      }
      await send(lines);
      await settled();
      expect(await alertsOf('rare-process')).toEqual([]);
      await server.close();
      server = await start(dialect);
      await send([processStart(T0 + 31 * 3_600_000, 'WS01', 'rclone.exe', 'cmd.exe')]);
      const [alert] = await waitFor('a rare-process alert', async () => {
        const found = await alertsOf('rare-process');
        return found.length > 0 ? found : undefined;
      });
      expect(alert!.entities.hosts).toEqual(['ws01']);
      const explanation = (
        alert as unknown as { explanation: { baseline: Record<string, unknown> } }
      ).explanation;
      expect(explanation.baseline['hostProcesses']).toBe(2);
    });

    it('counts findings and held state in /metrics', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/metrics' });
      expect(response.body).toMatch(/cordon_behaviour_findings_total\{detector="rare-process"\} 1/);
      expect(response.body).toMatch(
        /cordon_behaviour_state_entries\{detector="rare-process"\} [1-9]/,
      );
      expect(response.body).toContain('cordon_behaviour_batch_seconds_count');
    });
  });
}
