/**
 * The analysis routes on both dialects with real telemetry: EVTX samples (Sysmon 1 of a
 * reverse shell under svchost, Security 4688 of WMI starting calc) sent through the ingest API,
 * and process telemetry from the agent's own `ProcessWatch` watching a real shell start a real
 * child, submitted as agent telemetry. The timeline of an incident holds its alert, the alert's
 * event, the related events of the same host in the window (not those of another host or
 * year), its action, note, transition and evidence, in time order, with filters and paging; the
 * process trees link Sysmon by GUID and 4688 / agent events by pid; both show root cause and
 * scope.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';
import { ProcessWatch } from '@cordon/agent';
import { TriageService, systemClock } from '@cordon/core';
import { readEvtx, recordJson } from '@cordon/evtx';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentTelemetrySubmission } from '../src/agents/agent-telemetry.ts';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const SAMPLES = new URL('../../../../shared/data/evtx/attack-samples/', import.meta.url);
const SYSMON = new URL('Execution/revshell_cmd_svchost_sysmon_1.evtx', SAMPLES);
const SECURITY = new URL('Lateral%20Movement/LM_WMI_4624_4688_TargetHost.evtx', SAMPLES);
const missing = [SYSMON, SECURITY].some((url) => !existsSync(url));
if (missing) console.warn('skipping the analysis tests: ../shared/data/evtx samples are absent');

const ndjson = (url: URL): string =>
  [...readEvtx(readFileSync(url))]
    .filter((item) => item.kind === 'record')
    .map((item) => JSON.stringify(recordJson(item)))
    .join('\n');

/** Polls until `check` holds (beforeAll cannot use expect.poll); fails with what it saw last. */
async function until<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Entry {
  at: string;
  kind: string;
  refId: string;
  title: string;
  host: string | null;
  detail: Record<string, unknown>;
}
interface Node {
  key: string;
  parentKey: string | null;
  depth: number;
  pid: number | null;
  name: string | null;
  source: string | null;
  flagged: boolean;
  startedAt: string | null;
}

for (const dialect of DIALECTS) {
  describe.skipIf(missing || !dialectAvailable(dialect))(`incident analysis (${dialect})`, () => {
    let t: TestServer;
    let tenantId = '';
    let lead: Record<string, string>;
    let viewer: Record<string, string>;
    let incidentId = '';
    let cmdEventId = '';
    const api = async (
      method: 'GET' | 'POST' | 'PATCH',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => {
      const response = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${url}`,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      return { status: response.statusCode, body: response.json() };
    };
    const search = async (query: string): Promise<{ id: string }[]> =>
      (
        await api('POST', '/events/search', viewer, {
          query,
          from: '2019-01-01T00:00:00Z',
          to: '2031-01-01T00:00:00Z',
          limit: 100,
        })
      ).body.events as { id: string }[];

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      lead = bearer(await t.token(tenantId, 'incident_lead'));
      viewer = bearer(await t.token(tenantId, 'client_viewer'));
      const ingest = bearer(await t.token(tenantId, 'ingest'));
      for (const url of [SYSMON, SECURITY]) {
        const sent = await t.server.app.inject({
          method: 'POST',
          url: '/api/v1/ingest',
          headers: { ...ingest, 'content-type': 'application/x-ndjson' },
          payload: ndjson(url),
        });
        expect(sent.statusCode).toBe(200);
      }
      await until(
        async () => (await search('host.name:MSEDGEWIN10')).length,
        (n) => n === 4,
        'Sysmon events stored',
      );
      await until(
        async () => (await search('host.name:"WIN-77LTAPHIQ1R.example.corp"')).length,
        (n) => n >= 2,
        'Security events stored',
      );
      const cmd = (
        await search('host.name:MSEDGEWIN10 AND Image:"C:\\\\Windows\\\\System32\\\\cmd.exe"')
      )[0]!;
      cmdEventId = cmd.id;

      // An alert on the reverse shell (below the incident level: it opens nothing by itself),
      // linked to an incident opened by hand.
      await new TriageService(t.server.store, systemClock).triage(tenantId, [
        {
          ruleId: 'cmd-from-svchost',
          ruleName: undefined,
          ruleTitle: 'cmd.exe started by svchost',
          level: 'low',
          tags: ['attack.t1059.003'],
          source: 'server',
          entities: { hosts: ['msedgewin10'], users: [], sourceIps: [], ips: [] },
          firstSeen: Date.parse('2020-05-13T00:28:16.122Z'),
          lastSeen: Date.parse('2020-05-13T00:28:16.122Z'),
          eventIds: [cmdEventId],
          eventCount: 1,
          lookup: () => undefined,
        },
      ]);
      const alertId = (
        await t.server.detection.alerts.list(system, tenantId, {}, { limit: 10, offset: 0 })
      ).items.find((alert) => alert.ruleId === 'cmd-from-svchost')!.id;
      incidentId = (
        await api('POST', '/incidents', lead, {
          title: 'reverse shell on MSEDGEWIN10',
          severity: 'high',
        })
      ).body.id;
      expect((await api('POST', `/incidents/${incidentId}/alerts`, lead, { alertId })).status).toBe(
        201,
      );
      await api('PATCH', `/incidents/${incidentId}`, lead, {
        rootCause: 'svchost spawned cmd.exe bound to a remote listener',
        scope: 'MSEDGEWIN10 only',
        affectedAssets: ['MSEDGEWIN10'],
      });
      await api('POST', `/incidents/${incidentId}/notes`, lead, {
        body: 'cmd.exe parent is svchost',
      });
      await api('POST', `/incidents/${incidentId}/transitions`, lead, {
        to: 'identified',
        overrideJustification: 'identified in the review call, facts follow',
      });
      await t.server.services.evidence.add(
        system,
        tenantId,
        {
          filename: 'memory.txt',
          description: 'notes from the memory image',
          incidentId,
          collectedFrom: 'MSEDGEWIN10',
          method: 'analyst upload',
        },
        Readable.from([Buffer.from('strings')]),
      );
      const issued = await api('POST', '/agents/enrolment-tokens', lead, {});
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
      await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enrol',
        payload: {
          token: issued.body.token,
          publicKey,
          facts: {
            hostname: 'MSEDGEWIN10',
            os: { platform: 'windows', release: '10' },
            addresses: { v4: ['192.0.2.77'], v6: [] },
            agentVersion: '0.1.0',
            isolated: false,
          },
        },
      });
      const responder = bearer(await t.token(tenantId, 'responder'));
      expect(
        (
          await api('POST', '/actions', responder, {
            host: 'MSEDGEWIN10',
            incidentId,
            action: { kind: 'kill-process', pid: 8052 },
          })
        ).status,
      ).toBe(201);
    }, 60_000);
    afterAll(async () => t?.dispose());

    it('puts alert, events, related events, action, note, transition and evidence in order', async () => {
      const answer = await api('GET', `/incidents/${incidentId}/timeline?limit=500`, viewer);
      expect(answer.status).toBe(200);
      const { entries, findings, pivots, window } = answer.body as {
        entries: Entry[];
        findings: Record<string, unknown>;
        pivots: Record<string, string[]>;
        window: { from: string; to: string };
      };
      expect(findings).toMatchObject({
        rootCause: 'svchost spawned cmd.exe bound to a remote listener',
        scope: 'MSEDGEWIN10 only',
      });
      expect(pivots.hosts).toContain('MSEDGEWIN10');
      expect(Date.parse(window.from)).toBeLessThan(Date.parse('2020-05-13T00:28:16Z'));
      const kinds = (kind: string) => entries.filter((entry) => entry.kind === kind);
      expect(kinds('alert').map((e) => e.title)).toEqual(['cmd.exe started by svchost (low, 1×)']);
      expect(kinds('alert-event').map((e) => e.refId)).toEqual([cmdEventId]);
      expect(kinds('alert-event')[0]!.title).toContain('cmd.exe');
      // The three svchost starts on the same host 36 s later; nothing of the 2019 host.
      const related = kinds('related-event');
      expect(related).toHaveLength(3);
      for (const entry of related) {
        expect(entry.host).toBe('msedgewin10');
        expect(entry.title).toContain('svchost.exe');
        expect(entry.detail.shared).toContain('host:MSEDGEWIN10');
      }
      expect(kinds('note').map((e) => e.title)).toEqual(['cmd.exe parent is svchost']);
      expect(kinds('transition').map((e) => e.title)).toEqual([
        'detected → identified (guard overridden)',
      ]);
      expect(kinds('evidence')[0]).toMatchObject({ host: 'msedgewin10' });
      expect(kinds('action')[0]).toMatchObject({ host: 'msedgewin10' });
      expect(kinds('action')[0]!.title).toMatch(/^kill-process on MSEDGEWIN10: requested/);
      const times = entries.map((entry) => Date.parse(entry.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(answer.body.total).toBe(entries.length);

      // Filters and paging.
      const only = await api(
        'GET',
        `/incidents/${incidentId}/timeline?kinds=related-event,alert-event`,
        viewer,
      );
      expect(only.body.entries.map((e: Entry) => e.kind).sort()).toEqual([
        'alert-event',
        'related-event',
        'related-event',
        'related-event',
      ]);
      const early = await api(
        'GET',
        `/incidents/${incidentId}/timeline?to=2020-05-13T00:28:30Z`,
        viewer,
      );
      expect(early.body.entries.map((e: Entry) => e.kind)).toEqual(['alert', 'alert-event']);
      expect(
        (await api('GET', `/incidents/${incidentId}/timeline?host=win-77ltaphiq1r`, viewer)).body
          .total,
      ).toBe(0);
      const page = await api('GET', `/incidents/${incidentId}/timeline?limit=2&offset=1`, viewer);
      expect(page.body.entries).toEqual(entries.slice(1, 3));
      const narrow = await api(
        'GET',
        `/incidents/${incidentId}/timeline?relatedLimit=1&kinds=related-event`,
        viewer,
      );
      expect(narrow.body).toMatchObject({ relatedTruncated: true, total: 1 });
      expect(
        (await api('GET', `/incidents/${incidentId}/timeline?kinds=gossip`, viewer)).body.error
          .code,
      ).toBe('invalid_input');
      expect(
        (await api('GET', `/incidents/00000000-0000-4000-8000-000000000001/timeline`, viewer))
          .status,
      ).toBe(404);
    });

    it('builds the Sysmon process tree by GUID and flags the alert’s process', async () => {
      const answer = await api(
        'GET',
        // The host defaults to the incident's first affected asset.
        `/incidents/${incidentId}/process-tree`,
        viewer,
      );
      expect(answer.status).toBe(200);
      expect(answer.body.findings.scope).toBe('MSEDGEWIN10 only');
      const nodes = answer.body.nodes as Node[];
      const view = nodes.map((n) => [n.depth, n.name, n.pid, n.source, n.flagged]);
      expect(view).toEqual([
        // Parents never seen starting are roots, named from what their children say.
        [0, 'svchost.exe', 732, null, false],
        [1, 'cmd.exe', 8052, 'sysmon', true],
        [0, 'services.exe', 588, null, false],
        [1, 'svchost.exe', 3080, 'sysmon', false],
        [1, 'svchost.exe', 6344, 'sysmon', false],
        [1, 'svchost.exe', 6372, 'sysmon', false],
      ]);
      expect(nodes[1]!.parentKey).toBe('guid:747F3D96-3821-5EBB-0000-001040690000');
    });

    it('builds a Security 4688 tree by pid, and an agent one from real process telemetry', async () => {
      const security = await api(
        'GET',
        `/incidents/${incidentId}/process-tree?host=WIN-77LTAPHIQ1R.example.corp&from=2019-03-18T00:00:00Z&to=2019-03-19T00:00:00Z`,
        viewer,
      );
      expect(
        (security.body.nodes as Node[]).map((n) => [n.depth, n.name, n.pid, n.source]),
      ).toEqual([
        [0, null, 0x248, null],
        [1, 'WmiPrvSE.exe', 0xae8, 'security-4688'],
        [2, 'calc.exe', 0x424, 'security-4688'],
      ]);

      // The agent's own collector, watching a shell start a child here.
      const watch = new ProcessWatch({ hostname: 'lnx-01' });
      await watch.poll();
      const shell = spawn('sh', ['-c', 'sleep 5; true'], { stdio: 'ignore' });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- agent events, checked by assertions
      const seen: Record<string, any>[] = [];
      await expect
        .poll(async () => {
          seen.push(...(await watch.poll()));
          return seen.some((e) => e.process.pid === shell.pid) &&
            seen.some((e) => e.process.parent.pid === shell.pid)
            ? 'both'
            : 'waiting';
        })
        .toBe('both');
      shell.kill();
      const mine = seen.filter(
        (e) => e.process.pid === shell.pid || e.process.parent.pid === shell.pid,
      );
      await t.server.ingestion.pipeline.submitRecords(
        tenantId,
        agentTelemetrySubmission({ agentId: 'agent-00000000000000aa', host: 'lnx-01' }, mine),
      );
      await expect.poll(async () => (await search('host.name:lnx-01')).length).toBe(mine.length);
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 60_000).toISOString();
      const agent = await api(
        'GET',
        `/incidents/${incidentId}/process-tree?host=lnx-01&from=${from}&to=${to}`,
        viewer,
      );
      const nodes = agent.body.nodes as Node[];
      const sh = nodes.find((n) => n.pid === shell.pid)!;
      const sleep = nodes.find((n) => n.name === 'sleep')!;
      expect(sh).toMatchObject({ name: 'sh', source: 'agent' });
      expect(sleep).toMatchObject({ parentKey: sh.key, depth: sh.depth + 1, source: 'agent' });
    });
  });
}
