/** A playbook with a bad step is refused with the step and the reason, one test per reason. */
import { describe, expect, it } from 'vitest';
import { parsePlaybookText } from './parse-playbook-text.ts';
import { CORDON_EXTENSION_ID } from './playbook-document.ts';
import { validatePlaybook } from './validate-playbook.ts';
import { evaluateCondition, parseCondition } from './condition-expression.ts';

const u = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const START = `start--${u(1)}`;
const TASK = `action--${u(2)}`;
const END = `end--${u(3)}`;
const TEAM = `group--${u(9)}`;

function playbook(workflow: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    type: 'playbook',
    spec_version: 'cacao-2.0',
    id: `playbook--${u(100)}`,
    name: 'test',
    created: '2026-12-03T18:00:00.000Z',
    modified: '2026-12-03T18:00:00.000Z',
    workflow_start: START,
    agent_definitions: { [TEAM]: { type: 'group', name: 'team' } },
    playbook_variables: { __hits__: { type: 'integer', value: '0' } },
    workflow,
    ...extra,
  };
}

const manual = (
  next: Record<string, string>,
  ext: Record<string, unknown> = { phase: 'eradicated', owner_role: 'responder' },
) => ({
  type: 'action',
  name: 'clean up',
  agent: TEAM,
  commands: [{ type: 'manual', description: 'clean up' }],
  step_extensions: { [CORDON_EXTENSION_ID]: { kind: 'manual', ...ext } },
  ...next,
});

const good = () => ({
  [START]: { type: 'start', on_completion: TASK },
  [TASK]: manual({ on_completion: END }),
  [END]: { type: 'end' },
});

function refusal(value: unknown) {
  const result = validatePlaybook(value);
  if (result.ok) throw new Error('accepted');
  return result.problems.map((p) => ({ stepId: p.stepId, code: p.code }));
}

describe('validatePlaybook', () => {
  it('accepts a small well-formed playbook', () => {
    expect(validatePlaybook(playbook(good())).ok).toBe(true);
  });

  it('refuses an unknown step type, naming the step', () => {
    const workflow = { ...good(), [`teleport--${u(4)}`]: { type: 'teleport', on_completion: END } };
    expect(refusal(playbook(workflow))).toContainEqual({
      stepId: `teleport--${u(4)}`,
      code: 'unknown_step_type',
    });
  });

  it('refuses a dangling on_completion and a dangling next_steps entry', () => {
    const workflow = { ...good(), [TASK]: manual({ on_completion: `end--${u(77)}` }) };
    expect(refusal(playbook(workflow))).toContainEqual({
      stepId: TASK,
      code: 'dangling_reference',
    });
    const par = `parallel--${u(5)}`;
    const withParallel = {
      ...good(),
      [START]: { type: 'start', on_completion: par },
      [par]: { type: 'parallel', next_steps: [TASK, `action--${u(78)}`], on_completion: END },
    };
    expect(refusal(playbook(withParallel))).toContainEqual({
      stepId: par,
      code: 'dangling_reference',
    });
  });

  it('refuses an unreachable step and a cycle without a while-condition', () => {
    const orphan = `action--${u(6)}`;
    expect(
      refusal(playbook({ ...good(), [orphan]: manual({ on_completion: END }) })),
    ).toContainEqual({ stepId: orphan, code: 'unreachable_step' });
    const back = { ...good(), [TASK]: manual({ on_completion: START }) };
    expect(refusal(playbook(back)).map((p) => p.code)).toContain('cycle');
  });

  it('refuses an unknown command type and an unknown agent action', () => {
    const bash = {
      ...good(),
      [TASK]: { ...manual({ on_completion: END }), commands: [{ type: 'bash' }] },
    };
    expect(refusal(playbook(bash))).toContainEqual({ stepId: TASK, code: 'unknown_command_type' });
    const format = {
      ...good(),
      [TASK]: {
        type: 'action',
        agent: TEAM,
        commands: [{ type: 'x-cordon-agent-action' }],
        step_extensions: {
          [CORDON_EXTENSION_ID]: {
            kind: 'agent-action',
            host: 'ws-1',
            action: { kind: 'format-disk' },
          },
        },
        on_completion: END,
      },
    };
    expect(refusal(playbook(format))).toContainEqual({
      stepId: TASK,
      code: 'unknown_agent_action',
    });
  });

  it('refuses a bad variable reference and a condition that does not parse', () => {
    const cond = `if-condition--${u(7)}`;
    const workflow = {
      ...good(),
      [START]: { type: 'start', on_completion: cond },
      [cond]: {
        type: 'if-condition',
        condition: '__nobody__ > 0',
        on_true: TASK,
        on_completion: END,
      },
      [TASK]: manual({ on_completion: `end--${u(8)}` }),
      [`end--${u(8)}`]: { type: 'end' },
    };
    expect(refusal(playbook(workflow))).toContainEqual({
      stepId: cond,
      code: 'bad_variable_reference',
    });
    const broken = {
      ...workflow,
      [cond]: { type: 'if-condition', condition: '__hits__ >', on_true: TASK, on_completion: END },
    };
    expect(refusal(playbook(broken))).toContainEqual({ stepId: cond, code: 'bad_condition' });
    const evalLike = {
      ...workflow,
      [cond]: {
        type: 'if-condition',
        condition: 'process.exit(1)',
        on_true: TASK,
        on_completion: END,
      },
    };
    expect(refusal(playbook(evalLike))).toContainEqual({ stepId: cond, code: 'bad_condition' });
  });

  it('refuses a missing required property: a manual step without its phase, an if without on_true', () => {
    const noPhase = {
      ...good(),
      [TASK]: manual({ on_completion: END }, { owner_role: 'responder' }),
    };
    expect(refusal(playbook(noPhase))).toContainEqual({ stepId: TASK, code: 'missing_property' });
    const { workflow_start: _, ...noStart } = playbook(good());
    expect(refusal(noStart)).toContainEqual({ stepId: null, code: 'missing_property' });
    const cond = `if-condition--${u(7)}`;
    const noTrue = {
      ...good(),
      [START]: { type: 'start', on_completion: cond },
      [cond]: { type: 'if-condition', condition: 'true', on_completion: TASK },
    };
    expect(refusal(playbook(noTrue))).toContainEqual({ stepId: cond, code: 'missing_property' });
  });

  it('refuses a step that ends nowhere', () => {
    const workflow = { ...good(), [TASK]: manual({}) };
    expect(refusal(playbook(workflow))).toContainEqual({ stepId: TASK, code: 'no_end' });
  });
});

describe('parsePlaybookText', () => {
  it('reads YAML and refuses aliases, depth and size', () => {
    const yaml = `type: playbook\nname: x\nlabels: [a, b]\n`;
    expect(parsePlaybookText(yaml)).toMatchObject({
      ok: true,
      value: { type: 'playbook', labels: ['a', 'b'] },
    });
    expect(parsePlaybookText('a: &x [1, 2]\nb: *x\n')).toMatchObject({
      ok: false,
      problem: { code: 'not_a_document' },
    });
    expect(parsePlaybookText('['.repeat(100) + ']'.repeat(100))).toMatchObject({ ok: false });
    expect(parsePlaybookText('{"a":' + '['.repeat(100) + ']'.repeat(100) + '}')).toMatchObject({
      ok: false,
      problem: { code: 'too_large' },
    });
    expect(parsePlaybookText(`{"a":"${'x'.repeat(1_100_000)}"}`)).toMatchObject({
      ok: false,
      problem: { code: 'too_large' },
    });
  });
});

describe('conditions', () => {
  const run = (text: string, variables: Record<string, string | number | boolean | null> = {}) =>
    evaluateCondition(parseCondition(text), variables);
  it('compares, combines and reads variables (numbers in strings compare as numbers)', () => {
    expect(run('__hits__ > 0', { __hits__: 3 })).toBe(true);
    expect(run('__hits__ > 0', { __hits__: 0 })).toBe(false);
    expect(
      run('__hits__ >= 2 and not (__sev__ == "low")', { __hits__: '2', __sev__: 'high' }),
    ).toBe(true);
    expect(run("__sev__ == 'critical' or __unset__ != null", { __sev__: 'low' })).toBe(false);
  });
  it('refuses deep nesting and long text in bounded time', () => {
    expect(() => parseCondition('('.repeat(200) + 'true' + ')'.repeat(200))).toThrow(
      /nests at most|tokens/,
    );
    expect(() => parseCondition('true and '.repeat(400) + 'true')).toThrow();
  });
});
