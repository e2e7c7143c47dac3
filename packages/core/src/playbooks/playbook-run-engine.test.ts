/**
 * The run engine over an in-memory port: a while loop bounded and ended by its condition, a
 * switch taking its case, a sub-playbook with its out_args copied back, a declined approval
 * without on_failure failing the run, and the iteration bound.
 */
import { describe, expect, it } from 'vitest';
import type { CacaoPlaybook } from './playbook-document.ts';
import { CORDON_EXTENSION_ID } from './playbook-document.ts';
import type { RunEffects } from './playbook-run-engine.ts';
import {
  PlaybookRunEngine,
  RUN_LIMITS,
  initialVariables,
  pendingRecords,
  runWakeAt,
} from './playbook-run-engine.ts';
import type { PlaybookRun } from './playbook-run.ts';
import { validatePlaybook } from './validate-playbook.ts';

const u = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const TEAM = `group--${u(90)}`;
const ext = (params: Record<string, unknown>) => ({ [CORDON_EXTENSION_ID]: params });

function playbook(
  id: number,
  workflow: Record<string, unknown>,
  variables: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): CacaoPlaybook {
  const document = {
    type: 'playbook',
    spec_version: 'cacao-2.0',
    id: `playbook--${u(id)}`,
    name: `p${id}`,
    created: '2026-12-03T18:00:00.000Z',
    modified: '2026-12-03T18:00:00.000Z',
    workflow_start: `start--${u(1)}`,
    agent_definitions: { [TEAM]: { type: 'group', name: 'team' } },
    playbook_variables: variables,
    workflow,
    ...extra,
  };
  const result = validatePlaybook(document);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.playbook;
}

const search = (next: string, count: string) => ({
  type: 'action',
  agent: TEAM,
  commands: [{ type: 'x-cordon-search' }],
  step_extensions: ext({ kind: 'search', query: 'x', outputs: { count } }),
  on_completion: next,
});

const manualStep = (next: string | undefined) => ({
  type: 'action',
  agent: TEAM,
  commands: [{ type: 'manual' }],
  step_extensions: ext({ kind: 'manual', phase: 'contained', owner_role: 'responder' }),
  ...(next === undefined ? {} : { on_completion: next }),
});

function harness(
  root: CacaoPlaybook,
  others: CacaoPlaybook[] = [],
  counts: number[] = [],
  clock?: () => number,
) {
  let run: PlaybookRun = {
    id: u(500),
    tenantId: 't',
    incidentId: 'i',
    playbookId: root.id,
    playbookVersion: 1,
    playbookName: root.name,
    status: 'running',
    startedBy: 'user:a',
    startedAt: 0,
    endedAt: null,
    failure: null,
    revision: 1,
    position: {
      cursors: [
        {
          id: 'c0',
          scope: '',
          stepId: root.workflow_start,
          join: null,
          entered: false,
          waiting: false,
        },
      ],
      joins: {},
      scopes: { '': { playbookId: root.id, version: 1, variables: initialVariables(root, {}) } },
      steps: pendingRecords('', root),
      nextId: 1,
      executed: 0,
    },
  };
  let n = 0;
  const searches = [...counts];
  const effects: RunEffects = {
    now: clock ?? (() => ++n),
    newId: () => `id${++n}`,
    requestAction: () => Promise.reject(new Error('no agents here')),
    findAction: () => Promise.resolve(undefined),
    actionState: () => Promise.resolve(undefined),
    search: () => Promise.resolve({ count: searches.shift() ?? 0, hits: [] }),
    loadPlaybook: (id) => {
      const found = others.find((p) => p.id === id);
      return Promise.resolve(found && { playbook: found, version: 1 });
    },
    save: (next) => {
      run = { ...next, revision: next.revision + 1 };
      return Promise.resolve(run);
    },
  };
  const documents = () =>
    new Map([
      ['', root],
      ...Object.keys(run.position.scopes)
        .filter((s) => s !== '')
        .map((s) => [s, others.find((p) => p.id === run.position.scopes[s]!.playbookId)!] as const),
    ]);
  return {
    advance: () => new PlaybookRunEngine(run, documents(), effects).advance(),
    engine: () => new PlaybookRunEngine(run, documents(), effects),
  };
}

describe('PlaybookRunEngine', () => {
  it('loops while the condition holds, then goes on; a switch takes its case', async () => {
    const loop = `while-condition--${u(2)}`;
    const pick = `switch-condition--${u(3)}`;
    const root = playbook(
      100,
      {
        [`start--${u(1)}`]: { type: 'start', on_completion: loop },
        [loop]: {
          type: 'while-condition',
          condition: '__left__ > 0',
          on_true: `action--${u(4)}`,
          on_completion: pick,
        },
        [`action--${u(4)}`]: search(`end--${u(5)}`, '__left__'),
        [`end--${u(5)}`]: { type: 'end' },
        [pick]: {
          type: 'switch-condition',
          switch: '__left__',
          cases: { '0': `action--${u(6)}`, default: `end--${u(7)}` },
          on_completion: `end--${u(8)}`,
        },
        [`action--${u(6)}`]: search(`end--${u(9)}`, '__seen__'),
        [`end--${u(7)}`]: { type: 'end' },
        [`end--${u(8)}`]: { type: 'end' },
        [`end--${u(9)}`]: { type: 'end' },
      },
      { __left__: { type: 'integer', value: '3' }, __seen__: { type: 'integer', value: '0' } },
    );
    const run = await harness(root, [], [2, 1, 0, 7]).advance();
    expect(run.status).toBe('completed');
    expect(run.position.steps[`action--${u(4)}`]).toMatchObject({ state: 'done', iteration: 3 });
    expect(run.position.steps[loop]).toMatchObject({ state: 'done', detail: '3 iterations' });
    expect(run.position.steps[`action--${u(6)}`]!.state).toBe('done');
    expect(run.position.steps[`end--${u(7)}`]!.state).toBe('skipped');
    expect(run.position.scopes['']!.variables['__seen__']).toBe(7);
  });

  it('fails a loop past its bound', async () => {
    const loop = `while-condition--${u(2)}`;
    const root = playbook(101, {
      [`start--${u(1)}`]: { type: 'start', on_completion: loop },
      [loop]: {
        type: 'while-condition',
        condition: 'true',
        on_true: `end--${u(5)}`,
        on_completion: `end--${u(8)}`,
      },
      [`end--${u(5)}`]: { type: 'end' },
      [`end--${u(8)}`]: { type: 'end' },
    });
    const run = await harness(root).advance();
    expect(run.status).toBe('failed');
    expect(run.failure).toContain(`more than ${RUN_LIMITS.maxWhileIterations} iterations`);
  });

  it('runs a sub-playbook in its own scope and copies its out_args back', async () => {
    const child = playbook(
      200,
      {
        [`start--${u(1)}`]: { type: 'start', on_completion: `action--${u(2)}` },
        [`action--${u(2)}`]: search(`end--${u(3)}`, '__found__'),
        [`end--${u(3)}`]: { type: 'end' },
      },
      { __found__: { type: 'integer', value: '0' } },
    );
    const call = `playbook-action--${u(2)}`;
    const root = playbook(
      102,
      {
        [`start--${u(1)}`]: { type: 'start', on_completion: call },
        [call]: {
          type: 'playbook-action',
          playbook_id: child.id,
          out_args: ['__found__'],
          on_completion: `end--${u(3)}`,
        },
        [`end--${u(3)}`]: { type: 'end' },
      },
      { __found__: { type: 'integer', value: '0' } },
    );
    const run = await harness(root, [child], [5]).advance();
    expect(run.status).toBe('completed');
    expect(run.position.steps[`${call}/action--${u(2)}`]).toMatchObject({
      state: 'done',
      outputs: { count: 5 },
    });
    expect(run.position.scopes['']!.variables['__found__']).toBe(5);
  });

  it('a declined approval without on_failure fails the run, naming the step', async () => {
    const ask = `action--${u(2)}`;
    const root = playbook(103, {
      [`start--${u(1)}`]: { type: 'start', on_completion: ask },
      [ask]: {
        type: 'action',
        agent: TEAM,
        commands: [{ type: 'x-cordon-approval' }],
        step_extensions: ext({ kind: 'approval' }),
        on_success: `end--${u(3)}`,
      },
      [`end--${u(3)}`]: { type: 'end' },
    });
    const h = harness(root);
    expect((await h.advance()).status).toBe('waiting');
    const engine = h.engine();
    engine.decide(ask, 'declined', 'user:lead', 'not now');
    const run = await engine.advance();
    expect(run.status).toBe('failed');
    expect(run.failure).toContain(ask);
    expect(run.position.steps[ask]).toMatchObject({
      state: 'failed',
      actor: 'user:lead',
      outputs: { decision: 'declined' },
    });
    expect(() => h.engine().decide(ask, 'approved', 'user:lead', null)).toThrow(
      /not waiting as a approval step/,
    );
  });

  it('a failure with no on_failure runs the workflow_exception steps, then fails the run with it', async () => {
    const ask = `action--${u(2)}`;
    const cleanup = `action--${u(4)}`;
    const root = playbook(
      104,
      {
        [`start--${u(1)}`]: { type: 'start', on_completion: ask },
        [ask]: {
          type: 'action',
          agent: TEAM,
          commands: [{ type: 'x-cordon-approval' }],
          step_extensions: ext({ kind: 'approval' }),
          on_success: `end--${u(3)}`,
        },
        [`end--${u(3)}`]: { type: 'end' },
        [cleanup]: search(`end--${u(5)}`, '__left__'),
        [`end--${u(5)}`]: { type: 'end' },
      },
      { __left__: { type: 'integer', value: '0' } },
      { workflow_exception: cleanup },
    );
    const h = harness(root, [], [4]);
    expect((await h.advance()).status).toBe('waiting');
    const engine = h.engine();
    engine.decide(ask, 'declined', 'user:lead', 'not now');
    const run = await engine.advance();
    expect(run.status).toBe('failed');
    expect(run.failure).toContain(ask);
    expect(run.position.steps[cleanup]).toMatchObject({ state: 'done', outputs: { count: 4 } });
    expect(run.position.scopes['']!.variables['__left__']).toBe(4);
    expect(run.position.steps[`end--${u(3)}`]!.state).toBe('skipped');
    expect(run.position.cursors).toEqual([]);
  });

  it('holds a delayed step until its delay is over, then starts it (issue 14)', async () => {
    let now = 1_000;
    const task = `action--${u(2)}`;
    const root = playbook(105, {
      [`start--${u(1)}`]: { type: 'start', on_completion: task },
      [task]: { ...manualStep(`end--${u(3)}`), delay: 500 },
      [`end--${u(3)}`]: { type: 'end' },
    });
    const h = harness(root, [], [], () => now);
    let run = await h.advance();
    expect(run.status).toBe('waiting');
    expect(run.position.steps[task]).toMatchObject({ state: 'pending', startedAt: null });
    expect(run.position.cursors[0]).toMatchObject({ waitingUntil: 1_500, waiting: true });
    expect(runWakeAt(run.position)).toBe(1_500);
    now = 1_499;
    expect(h.engine().isDue()).toBe(false);
    run = await h.advance();
    expect(run.position.steps[task]!.state).toBe('pending');
    now = 1_500;
    run = await h.advance();
    expect(run.position.steps[task]).toMatchObject({ state: 'waiting', startedAt: 1_500 });
    expect(run.position.steps[task]!.iteration).toBe(1);
    expect(runWakeAt(run.position)).toBeUndefined();
  });

  it('fails a step past its timeout with ACTION_TIMEOUT and takes its on_failure (issue 14)', async () => {
    let now = 0;
    const [task, recover] = [`action--${u(2)}`, `action--${u(4)}`];
    const root = playbook(106, {
      [`start--${u(1)}`]: { type: 'start', on_completion: task },
      [task]: {
        ...manualStep(undefined),
        timeout: 250,
        on_success: `end--${u(3)}`,
        on_failure: recover,
      },
      [recover]: manualStep(`end--${u(3)}`),
      [`end--${u(3)}`]: { type: 'end' },
    });
    const h = harness(root, [], [], () => now);
    let run = await h.advance();
    expect(runWakeAt(run.position)).toBe(250);
    now = 249;
    run = await h.advance();
    expect(run.position.steps[task]!.state).toBe('waiting');
    now = 250;
    run = await h.advance();
    expect(run.position.steps[task]).toMatchObject({
      state: 'failed',
      detail: `ACTION_TIMEOUT: step ${task} did not complete within 250 ms`,
    });
    expect(run.position.steps[recover]!.state).toBe('waiting');
    expect(run.status).toBe('waiting');
    expect(runWakeAt(run.position)).toBeUndefined();
  });
});
