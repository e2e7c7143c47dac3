/**
 * Playbooks through the public API on both dialects: stored with versions, refused with the
 * bad step named, suggested for an incident, and run — a manual step completed by a user (the
 * incident task done with it), an agent action queued and waited on until the agent's result,
 * a condition taking its branch on a search's count, an approval, parallel branches joining,
 * and a journal entry for every step change. Then a restart: the run resumes from the store.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CORDON_EXTENSION_ID, TriageService, systemClock } from '@cordon/core';
import { DIALECTS, dialectAvailable, postgresUrl } from '@cordon/storage/testing';
import type { DialectName } from '@cordon/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CordonServer } from '../src/index.ts';
import { createServer, defaultServerConfig } from '../src/index.ts';
import { bearer, system } from './test-server.ts';

const u = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const id = {
  start: `start--${u(1)}`,
  parallel: `parallel--${u(2)}`,
  note: `action--${u(3)}`,
  isolate: `action--${u(4)}`,
  endNote: `end--${u(5)}`,
  endIsolate: `end--${u(6)}`,
  hunt: `action--${u(7)}`,
  branch: `if-condition--${u(8)}`,
  approve: `action--${u(9)}`,
  wide: `action--${u(10)}`,
  narrow: `action--${u(11)}`,
  endTrue: `end--${u(12)}`,
  endFalse: `end--${u(13)}`,
  end: `end--${u(14)}`,
  declined: `end--${u(15)}`,
};
const TEAM = `group--${u(90)}`;
const AGENTS = `group--${u(91)}`;
const PLAYBOOK_ID = `playbook--${u(100)}`;
const ext = (params: Record<string, unknown>) => ({ [CORDON_EXTENSION_ID]: params });
const manual = (name: string, phase: string, role: string, next: string) => ({
  type: 'action',
  name,
  agent: TEAM,
  commands: [{ type: 'manual', description: name }],
  step_extensions: ext({ kind: 'manual', phase, owner_role: role }),
  on_completion: next,
});

const document = (name = 'Workstation beacon') => ({
  type: 'playbook',
  spec_version: 'cacao-2.0',
  id: PLAYBOOK_ID,
  name,
  created: '2026-12-03T18:00:00.000Z',
  modified: '2026-12-03T18:00:00.000Z',
  workflow_start: id.start,
  agent_definitions: {
    [TEAM]: { type: 'group', name: 'team' },
    [AGENTS]: { type: 'group', name: 'agents' },
  },
  extension_definitions: {},
  playbook_extensions: ext({ categories: ['command_and_control'], techniques: ['T1071.001'] }),
  playbook_variables: {
    __affected_host__: { type: 'string', external: true },
    __hits__: { type: 'integer', value: '0' },
  },
  workflow: {
    [id.start]: { type: 'start', on_completion: id.parallel },
    [id.parallel]: { type: 'parallel', next_steps: [id.note, id.isolate], on_completion: id.hunt },
    [id.note]: manual('Tell the user', 'contained', 'responder', id.endNote),
    [id.isolate]: {
      type: 'action',
      name: 'Isolate',
      agent: AGENTS,
      commands: [{ type: 'x-cordon-agent-action' }],
      step_extensions: ext({
        kind: 'agent-action',
        host: '__affected_host__',
        action: { kind: 'isolate' },
      }),
      on_completion: id.endIsolate,
    },
    [id.endNote]: { type: 'end' },
    [id.endIsolate]: { type: 'end' },
    [id.hunt]: {
      type: 'action',
      name: 'Hunt',
      agent: AGENTS,
      out_args: ['__hits__'],
      commands: [{ type: 'x-cordon-search' }],
      step_extensions: ext({
        kind: 'search',
        query: 'event.action:beacon and host.name:__affected_host__',
        window_hours: 24,
        outputs: { count: '__hits__' },
      }),
      on_completion: id.branch,
    },
    [id.branch]: {
      type: 'if-condition',
      condition: '__hits__ > 2',
      on_true: id.approve,
      on_false: id.narrow,
      on_completion: id.end,
    },
    [id.approve]: {
      type: 'action',
      name: 'Approve wider containment',
      agent: TEAM,
      commands: [{ type: 'x-cordon-approval' }],
      step_extensions: ext({ kind: 'approval' }),
      on_success: id.wide,
      on_failure: id.declined,
    },
    [id.wide]: manual('Contain the whole segment', 'eradicated', 'analyst', id.endTrue),
    [id.narrow]: manual('Clean the one host', 'eradicated', 'responder', id.endFalse),
    [id.endTrue]: { type: 'end' },
    [id.endFalse]: { type: 'end' },
    [id.declined]: { type: 'end' },
    [id.end]: { type: 'end' },
  },
});

interface Harness {
  server: CordonServer;
  config: typeof defaultServerConfig;
  url: string | undefined;
  schema: string | undefined;
  dataDir: string;
}

async function openHarness(dialect: DialectName): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cordon-playbook-test-'));
  const url = dialect === 'postgres' ? postgresUrl() : undefined;
  const schema =
    dialect === 'postgres'
      ? `p_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
      : undefined;
  const config = {
    ...defaultServerConfig,
    dataDir,
    databaseUrl: url,
    databaseSchema: schema,
    port: 0,
  };
  return { server: await createServer({ config, logger: false }), config, url, schema, dataDir };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`playbook runs (${dialect})`, () => {
    let h: Harness;
    let tenantId: string;
    let lead: string;
    let responder: string;
    let analyst: string;
    let viewer: string;
    let incidentId: string;
    let runId: string;
    const base = () => `/api/v1/tenants/${tenantId}`;
    const call = async (method: string, url: string, token: string, payload?: object) => {
      const response = await h.server.app.inject({
        method: method as 'GET',
        url,
        headers: bearer(token),
        ...(payload === undefined ? {} : { payload }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
      return { status: response.statusCode, body: response.json<Record<string, any>>() };
    };
    const token = async (role: 'incident_lead' | 'responder' | 'analyst' | 'client_viewer') =>
      (await h.server.services.access.createToken(system, { tenantId, role })).token;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON
    type Json = Record<string, any>;
    const step = (run: Json, key: string): Json =>
      (run.steps as Json[]).find((s) => s.key === key) ?? {};
    const getRun = async () => (await call('GET', `${base()}/playbook-runs/${runId}`, viewer)).body;

    beforeAll(async () => {
      h = await openHarness(dialect);
      tenantId = (await h.server.services.access.createTenant(system, 'Acme')).id;
      [lead, responder, analyst, viewer] = await Promise.all([
        token('incident_lead'),
        token('responder'),
        token('analyst'),
        token('client_viewer'),
      ]);
      const issued = await call('POST', `${base()}/agents/enrolment-tokens`, lead, {
        ttlMinutes: 5,
      });
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
      const facts = {
        hostname: 'ws-07',
        os: { platform: 'linux', release: '6.1' },
        addresses: { v4: ['192.0.2.7'], v6: [] },
        agentVersion: '0.1.0',
        isolated: false,
      };
      const enrolled = await h.server.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enrol',
        payload: { token: issued.body.token, publicKey, facts },
      });
      expect(enrolled.statusCode).toBe(201);
      expect(
        (
          await call('POST', `${base()}/assets`, lead, {
            name: 'ws-07',
            kind: 'workstation',
            addresses: ['192.0.2.7'],
          })
        ).status,
      ).toBe(201);
      // The incident opens on a detection on ws-07: its opening alert names the host a run acts on.
      const [opened] = (
        await new TriageService(h.server.store, systemClock).triage(tenantId, [
          {
            ruleId: 'beacon-rule',
            ruleName: undefined,
            ruleTitle: 'beacon from ws-07',
            level: 'high',
            tags: [],
            source: 'server',
            entities: { hosts: ['ws-07'], users: [], sourceIps: [], ips: [] },
            firstSeen: Date.now(),
            lastSeen: Date.now(),
            eventIds: ['beacon-event'],
            eventCount: 1,
            lookup: () => undefined,
          },
        ])
      ).incidents;
      const incident = opened!.incident;
      await h.server.services.incidents.update(system, tenantId, incident.id, {
        affectedAssets: ['ws-07'],
        attackTechniques: ['T1071.001'],
      });
      incidentId = incident.id;
      const now = Date.now();
      const beacon = (i: number) => ({
        '@timestamp': new Date(now - 60_000 * (i + 1)).toISOString(),
        event: { action: 'beacon' },
        host: { name: 'ws-07' },
        message: 'beacon',
      });
      await h.server.store.events.appendBatch(tenantId, {
        batchId: 'beacons',
        events: [0, 1, 2, 3].map(beacon),
      });
    });
    afterAll(async () => {
      await h.server.close();
      if (h.url && h.schema) {
        const client = new pg.Client({ connectionString: h.url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${h.schema} CASCADE`);
        await client.end();
      }
      rmSync(h.dataDir, { recursive: true, force: true });
    });

    it('refuses a playbook with a bad step, naming the step and the reason, and stores nothing', async () => {
      const bad = document();
      (bad.workflow as Record<string, unknown>)[id.isolate] = {
        ...bad.workflow[id.isolate],
        step_extensions: ext({
          kind: 'agent-action',
          host: 'ws-07',
          action: { kind: 'wipe-disk' },
        }),
      };
      const refused = await call('POST', `${base()}/playbooks`, analyst, { document: bad });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain(id.isolate);
      expect(refused.body.error.details.problems).toContainEqual(
        expect.objectContaining({ stepId: id.isolate, code: 'unknown_agent_action' }),
      );
      const yamlAlias = await call('POST', `${base()}/playbooks`, analyst, {
        text: 'a: &x [1]\nb: *x\n',
      });
      expect(yamlAlias.status).toBe(400);
      const listed = await call('GET', `${base()}/playbooks`, viewer);
      expect(listed.body.items.filter((p: { source: string }) => p.source === 'tenant')).toEqual(
        [],
      );
    });

    it('stores versions: create, update, list, get a version; viewers may not write', async () => {
      expect(
        (await call('POST', `${base()}/playbooks`, viewer, { document: document() })).status,
      ).toBe(403);
      const created = await call('POST', `${base()}/playbooks`, analyst, {
        document: document('First name'),
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: PLAYBOOK_ID, latestVersion: 1, source: 'tenant' });
      expect(
        (await call('POST', `${base()}/playbooks`, analyst, { document: document() })).status,
      ).toBe(409);
      const updated = await call('PUT', `${base()}/playbooks/${PLAYBOOK_ID}`, analyst, {
        document: document(),
      });
      expect(updated.body.latestVersion).toBe(2);
      const versions = await call('GET', `${base()}/playbooks/${PLAYBOOK_ID}/versions`, viewer);
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      const first = await call('GET', `${base()}/playbooks/${PLAYBOOK_ID}?version=1`, viewer);
      expect(first.body.document.name).toBe('First name');
      const listed = await call('GET', `${base()}/playbooks`, viewer);
      expect(
        listed.body.items.filter((p: { source: string }) => p.source === 'shipped'),
      ).toHaveLength(6);
      const suggested = await call(
        'GET',
        `${base()}/incidents/${incidentId}/playbook-suggestions`,
        viewer,
      );
      // Both name T1071.001 exactly (3 points each); ties go by name.
      expect(suggested.body.items.slice(0, 2)).toEqual([
        expect.objectContaining({ name: 'Command-and-control beaconing', score: 3 }),
        expect.objectContaining({
          playbookId: PLAYBOOK_ID,
          score: 3,
          reasons: ['technique T1071.001'],
        }),
      ]);
      // With the category recorded by identification, the category counts 10 more.
      await h.server.services.identification.correct(system, tenantId, incidentId, {
        action: 'set',
        fact: { kind: 'category', category: 'command_and_control' },
        reason: 'beaconing',
      });
      const byCategory = await call(
        'GET',
        `${base()}/incidents/${incidentId}/playbook-suggestions`,
        viewer,
      );
      expect(byCategory.body.items[1]).toMatchObject({
        playbookId: PLAYBOOK_ID,
        score: 13,
        reasons: ['category command_and_control', 'technique T1071.001'],
      });
    });

    it('runs: parallel branches, a manual step done by a user, an agent action waited on', async () => {
      expect(
        (
          await call('POST', `${base()}/incidents/${incidentId}/playbook-runs`, analyst, {
            playbookId: PLAYBOOK_ID,
          })
        ).status,
      ).toBe(403);
      const started = await call(
        'POST',
        `${base()}/incidents/${incidentId}/playbook-runs`,
        responder,
        { playbookId: PLAYBOOK_ID },
      );
      expect(started.status).toBe(201);
      runId = started.body.id;
      expect(started.body).toMatchObject({ status: 'waiting', playbookVersion: 2 });
      expect(step(started.body, id.start).state).toBe('done');
      expect(step(started.body, id.parallel).state).toBe('running');
      expect(step(started.body, id.note)).toMatchObject({
        state: 'waiting',
        phase: 'contained',
        ownerRole: 'responder',
      });
      const isolate = step(started.body, id.isolate);
      expect(isolate).toMatchObject({ state: 'waiting', actionId: expect.any(String) });
      const action = await call('GET', `${base()}/actions/${isolate.actionId}`, viewer);
      expect(action.body).toMatchObject({
        incidentId,
        state: 'approved',
        action: { kind: 'isolate' },
      });
      const tasks = await h.server.services.incidents.tasks(system, tenantId, incidentId);
      expect(tasks).toEqual([
        expect.objectContaining({
          id: step(started.body, id.note).taskId,
          phase: 'contained',
          status: 'open',
        }),
      ]);

      // An analyst does not own the responder's task; the responder does.
      expect(
        (
          await call('POST', `${base()}/playbook-runs/${runId}/steps/complete`, analyst, {
            step: id.note,
          })
        ).status,
      ).toBe(403);
      const done = await call(
        'POST',
        `${base()}/playbook-runs/${runId}/steps/complete`,
        responder,
        { step: id.note, note: 'called the user' },
      );
      expect(step(done.body, id.note)).toMatchObject({
        state: 'done',
        actor: expect.stringMatching(/^token:/),
      });
      expect(step(done.body, id.hunt).state).toBe('pending');
      expect(
        (
          await call('POST', `${base()}/playbook-runs/${runId}/steps/complete`, responder, {
            step: id.note,
          })
        ).status,
      ).toBe(409);
      expect(
        (await h.server.services.incidents.tasks(system, tenantId, incidentId))[0]!.status,
      ).toBe('done');
    });

    it('survives a restart while waiting, then the agent result joins the branches and the search picks the branch', async () => {
      await h.server.close();
      h.server = await createServer({ config: h.config, logger: false });
      const before = await getRun();
      expect(before.status).toBe('waiting');
      const actionId = step(before, id.isolate).actionId as string;
      // The agent's report, as the gateway records it.
      const queue = h.server.containment.queue;
      await queue.transition(tenantId, actionId, 'sent', 'agent:test');
      await queue.transition(tenantId, actionId, 'applied', 'agent:test');
      await expect.poll(async () => String(step(await getRun(), id.approve).state)).toBe('waiting');
      const run = await getRun();
      expect(step(run, id.isolate).state).toBe('done');
      expect(step(run, id.parallel).state).toBe('done');
      expect(step(run, id.hunt)).toMatchObject({ state: 'done', outputs: { count: 4 } });
      expect(run.variables.__hits__).toBe(4);
      expect(step(run, id.branch)).toMatchObject({ state: 'running', outputs: { result: true } });
      expect(step(run, id.narrow).state).toBe('pending');
    });

    it('an approval step: only an incident lead decides; the run then finishes on the true branch', async () => {
      expect(
        (
          await call('POST', `${base()}/playbook-runs/${runId}/steps/decide`, responder, {
            step: id.approve,
            decision: 'approved',
          })
        ).status,
      ).toBe(403);
      const approved = await call('POST', `${base()}/playbook-runs/${runId}/steps/decide`, lead, {
        step: id.approve,
        decision: 'approved',
        reason: 'segment is small',
      });
      expect(step(approved.body, id.approve)).toMatchObject({
        state: 'done',
        outputs: { decision: 'approved' },
      });
      expect(step(approved.body, id.wide)).toMatchObject({ state: 'waiting', phase: 'eradicated' });
      const finished = await call(
        'POST',
        `${base()}/playbook-runs/${runId}/steps/complete`,
        analyst,
        { step: id.wide },
      );
      expect(finished.body).toMatchObject({ status: 'completed', endedAt: expect.any(String) });
      expect(step(finished.body, id.branch).state).toBe('done');
      expect(step(finished.body, id.end).state).toBe('done');
      expect(step(finished.body, id.narrow).state).toBe('skipped');
      expect(step(finished.body, id.declined).state).toBe('skipped');
      for (const record of finished.body.steps.filter((s: { state: string }) => s.state === 'done'))
        expect(record.startedAt !== null && record.endedAt !== null, record.key).toBe(true);
    });

    it('journals every step change of the run, against the incident', async () => {
      const journal = await h.server.services.journal.list(system, tenantId, { incidentId }, 1000);
      const kinds = journal.map((e) => e.kind);
      expect(kinds).toContain('playbook.run_started');
      expect(kinds).toContain('playbook.run_completed');
      const changes = journal
        .filter((e) => e.kind === 'playbook.step_changed')
        .map((e) => e.payload as { runId: string; step: string; to: string });
      expect(changes.every((c) => c.runId === runId)).toBe(true);
      const run = await getRun();
      for (const record of run.steps) {
        const last = changes.filter((c) => c.step === record.key).at(-1);
        expect(last?.to, record.key).toBe(record.state);
      }
      expect(changes).toContainEqual(
        expect.objectContaining({ step: id.note, from: 'waiting', to: 'done' }),
      );
      const verified = await h.server.services.journal.checkpoint(tenantId);
      expect(verified).toBeDefined();
    });

    it('runs a shipped playbook for another incident (installed as version 1), its variables filled from the incident', async () => {
      const incident = await h.server.services.incidents.create(system, tenantId, {
        title: 'failed logins',
        severity: 'medium',
      });
      await h.server.services.incidents.update(system, tenantId, incident.id, {
        affectedAssets: ['ws-07'],
        origins: [{ address: '203.0.113.9', scope: 'external' }],
      });
      const [openingAlert] = (await call('GET', `${base()}/incidents/${incidentId}/alerts`, viewer))
        .body as unknown as string[];
      expect(
        (
          await call('POST', `${base()}/incidents/${incident.id}/alerts`, analyst, {
            alertId: openingAlert,
          })
        ).status,
      ).toBeLessThan(300);
      const listed = await call('GET', `${base()}/playbooks`, viewer);
      const shipped = listed.body.items.find(
        (p: { name: string }) => p.name === 'Compromised credentials or brute force',
      );
      const started = await call(
        'POST',
        `${base()}/incidents/${incident.id}/playbook-runs`,
        responder,
        { playbookId: shipped.id },
      );
      expect(started.status).toBe(201);
      expect(started.body.playbookVersion).toBe(1);
      const block = started.body.steps.find(
        (s: { name: string }) => s.name === 'Block the origin address',
      );
      expect(block).toMatchObject({ state: 'waiting' });
      const action = await call('GET', `${base()}/actions/${block.actionId}`, viewer);
      expect(action.body.action).toEqual({ kind: 'block', target: '203.0.113.9' });
      expect(
        (await call('GET', `${base()}/incidents/${incident.id}/playbook-runs`, viewer)).body.items,
      ).toHaveLength(1);
    });
  });
}
