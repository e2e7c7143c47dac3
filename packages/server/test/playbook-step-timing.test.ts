/**
 * CACAO step `delay` and `timeout` through the public API on both databases (issue 14: the run
 * engine ignored both). A delayed step starts only once its delay has passed, by the server's
 * own timer; the time it may start is stored with the run, so a restart before it neither
 * skips nor restarts the wait (the server's clock is moved, not waited for); a step that does
 * not complete within its timeout fails with ACTION_TIMEOUT and goes on by its on_failure, or
 * fails the run without one, and a completion that comes after the timeout is refused. A
 * playbook whose delay or timeout is out of bounds is refused with the step and the reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CORDON_EXTENSION_ID } from '@cordon/core';
import { DIALECTS, dialectAvailable, postgresUrl } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CordonServer } from '../src/index.ts';
import { createServer, defaultServerConfig } from '../src/index.ts';
import { bearer, system } from './test-server.ts';

const u = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const TEAM = `group--${u(90)}`;
const START = `start--${u(1)}`;
const FIRST = `action--${u(2)}`;
const RECOVER = `action--${u(3)}`;
const END = `end--${u(4)}`;
const HOUR = 3_600_000;
const ext = (params: Record<string, unknown>) => ({ [CORDON_EXTENSION_ID]: params });
const manual = (name: string, next: Record<string, string>, timing: Record<string, unknown>) => ({
  type: 'action',
  name,
  agent: TEAM,
  commands: [{ type: 'manual', description: name }],
  step_extensions: ext({ kind: 'manual', phase: 'contained', owner_role: 'responder' }),
  ...next,
  ...timing,
});

/** start → FIRST (with `timing`) → end; with `onFailure`, FIRST's failure goes to RECOVER. */
const playbook = (n: number, timing: Record<string, unknown>, onFailure = false) => ({
  type: 'playbook',
  spec_version: 'cacao-2.0',
  id: `playbook--${u(400 + n)}`,
  name: `timing ${n}`,
  created: '2026-12-07T18:00:00.000Z',
  modified: '2026-12-07T18:00:00.000Z',
  workflow_start: START,
  agent_definitions: { [TEAM]: { type: 'group', name: 'team' } },
  workflow: {
    [START]: { type: 'start', on_completion: FIRST },
    [FIRST]: manual(
      'First',
      onFailure ? { on_success: END, on_failure: RECOVER } : { on_completion: END },
      timing,
    ),
    ...(onFailure ? { [RECOVER]: manual('Recover', { on_completion: END }, {}) } : {}),
    [END]: { type: 'end' },
  },
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(
    `playbook step delay and timeout (${dialect})`,
    () => {
      let server: CordonServer;
      let config: typeof defaultServerConfig;
      let dataDir: string;
      let schema: string | undefined;
      /** What the server's clock is ahead of real time (restart tests move it). */
      let offset = 0;
      const clock = { now: () => Date.now() + offset };
      let tenantId: string;
      let responder: string;
      let incidentId: string;
      const base = () => `/api/v1/tenants/${tenantId}`;
      const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
        const response = await server.app.inject({
          method,
          url: `${base()}${url}`,
          headers: bearer(responder),
          ...(payload === undefined ? {} : { payload }),
        });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
        return { status: response.statusCode, body: response.json<Record<string, any>>() };
      };
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON
      type Json = Record<string, any>;
      const step = (run: Json, key: string): Json =>
        (run['steps'] as Json[]).find((s) => s['key'] === key) ?? {};
      const restart = async () => {
        await server.close();
        server = await createServer({ config, logger: false, clock });
      };
      const startRun = async (document: Json) => {
        expect((await call('POST', '/playbooks', { document })).status).toBe(201);
        const started = await call('POST', `/incidents/${incidentId}/playbook-runs`, {
          playbookId: document['id'],
        });
        expect(started.status).toBe(201);
        return started.body;
      };
      const getRun = async (id: string) => (await call('GET', `/playbook-runs/${id}`)).body;

      beforeAll(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'cordon-playbook-timing-'));
        schema =
          dialect === 'postgres'
            ? `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
            : undefined;
        config = {
          ...defaultServerConfig,
          dataDir,
          databaseUrl: dialect === 'postgres' ? postgresUrl() : undefined,
          databaseSchema: schema,
          port: 0,
        };
        server = await createServer({ config, logger: false, clock });
        tenantId = (await server.services.access.createTenant(system, 'Acme')).id;
        responder = (
          await server.services.access.createToken(system, { tenantId, role: 'responder' })
        ).token;
        incidentId = (
          await server.services.incidents.create(system, tenantId, { title: 'x', severity: 'low' })
        ).id;
      });
      afterAll(async () => {
        await server.close();
        if (schema) {
          const client = new pg.Client({ connectionString: postgresUrl() });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await client.end();
        }
        rmSync(dataDir, { recursive: true, force: true });
      });

      it('starts a delayed step only once its delay has passed, by itself', async () => {
        const run = await startRun(playbook(1, { delay: 150 }));
        expect(run['status']).toBe('waiting');
        const first = step(run, FIRST);
        expect(first).toMatchObject({ state: 'pending', startedAt: null });
        expect(first).not.toHaveProperty('taskId');
        const until = Date.parse(first['waitingUntil'] as string);
        expect(until - Date.parse(run['startedAt'] as string)).toBeGreaterThanOrEqual(150);
        await expect
          .poll(async () => step(await getRun(run['id'] as string), FIRST)['state'] as string, {
            timeout: 5_000,
            interval: 20,
          })
          .toBe('waiting');
        const started = step(await getRun(run['id'] as string), FIRST);
        expect(Date.parse(started['startedAt'] as string)).toBeGreaterThanOrEqual(until);
        expect(started['taskId']).toEqual(expect.any(String));
      });

      it('keeps the wait across restarts: not skipped, not restarted, resumed when due', async () => {
        const run = await startRun(playbook(2, { delay: HOUR }));
        const id = run['id'] as string;
        const until = step(run, FIRST)['waitingUntil'] as string;
        offset += HOUR / 2;
        await restart();
        const halfway = await getRun(id);
        expect(halfway['status']).toBe('waiting');
        expect(step(halfway, FIRST)).toMatchObject({ state: 'pending', waitingUntil: until });
        offset += HOUR / 2 + 1_000;
        await restart();
        const due = await getRun(id);
        expect(step(due, FIRST)).toMatchObject({ state: 'waiting', waitingUntil: until });
        expect(Date.parse(step(due, FIRST)['startedAt'] as string)).toBeGreaterThanOrEqual(
          Date.parse(until),
        );
      });

      it('a step not completed within its timeout fails with ACTION_TIMEOUT and follows on_failure', async () => {
        const run = await startRun(playbook(3, { timeout: 100 }, true));
        const id = run['id'] as string;
        expect(step(run, FIRST)).toMatchObject({
          state: 'waiting',
          timesOutAt: expect.any(String),
        });
        await expect
          .poll(async () => step(await getRun(id), RECOVER)['state'] as string, {
            timeout: 5_000,
            interval: 20,
          })
          .toBe('waiting');
        const after = await getRun(id);
        expect(after['status']).toBe('waiting');
        expect(step(after, FIRST)).toMatchObject({
          state: 'failed',
          detail: `ACTION_TIMEOUT: step ${FIRST} did not complete within 100 ms`,
          outputs: { timedOut: true },
        });
        const journal = await server.services.journal.list(system, tenantId, { incidentId }, 1000);
        expect(
          journal.some(
            (e) =>
              e.kind === 'playbook.step_changed' &&
              (e.payload as { runId: string; step: string; to: string }).runId === id &&
              (e.payload as { step: string }).step === FIRST &&
              (e.payload as { to: string }).to === 'failed',
          ),
        ).toBe(true);
      });

      it('without on_failure the timeout fails the run; a completion after the timeout is refused', async () => {
        const run = await startRun(playbook(4, { timeout: HOUR }));
        const id = run['id'] as string;
        // The server's clock passes the timeout before its timer (an hour of real time) fires.
        offset += 2 * HOUR;
        const late = await call('POST', `/playbook-runs/${id}/steps/complete`, { step: FIRST });
        expect(late.status).toBe(409);
        const failed = await getRun(id);
        expect(failed).toMatchObject({
          status: 'failed',
          failure: expect.stringContaining(`ACTION_TIMEOUT: step ${FIRST} did not complete`),
        });
        expect(step(failed, FIRST)['state']).toBe('failed');
      });

      it('refuses a delay or timeout out of bounds, naming the step and the reason', async () => {
        for (const [timing, reason] of [
          [{ delay: -1 }, 'delay is a whole number of milliseconds from 0 to 604800000 (7 days)'],
          [{ delay: 1.5 }, 'delay is a whole number'],
          [{ delay: '100' }, 'delay is a whole number'],
          [{ delay: 8 * 24 * HOUR }, 'delay is a whole number'],
          [{ timeout: 7 * 24 * HOUR + 1 }, 'timeout is a whole number'],
          [{ timeout: -5 }, 'timeout is a whole number'],
        ] as const) {
          const refused = await call('POST', '/playbooks', { document: playbook(5, timing) });
          expect(refused.status, JSON.stringify(timing)).toBe(400);
          expect(refused.body['error'].details.problems).toContainEqual(
            expect.objectContaining({
              stepId: FIRST,
              code: 'bad_value',
              message: expect.stringContaining(reason),
            }),
          );
        }
        const onStart = playbook(6, {});
        (onStart.workflow as Json)[START] = { type: 'start', on_completion: FIRST, timeout: 10 };
        const refused = await call('POST', '/playbooks', { document: onStart });
        expect(refused.body['error'].details.problems).toContainEqual(
          expect.objectContaining({
            stepId: START,
            message: 'timeout is honoured on action steps only, not on a start step',
          }),
        );
        const bounds = await call('POST', '/playbooks/validate', {
          document: playbook(7, { delay: 0, timeout: 7 * 24 * HOUR }),
        });
        expect(bounds.body).toMatchObject({ ok: true });
      });
    },
  );
}
