import { describe, expect, it } from 'vitest';
import { loadRules } from '../rule/load-rules.ts';
import { CorrelationEngine } from './correlation-engine.ts';

const BASE = [
  { id: '00000000-0000-0000-0000-00000000000a', name: 'failed_login' },
  { id: '00000000-0000-0000-0000-00000000000b', name: 'successful_login' },
  { id: '00000000-0000-0000-0000-00000000000c', name: 'recon' },
];
const [failed, success, recon] = BASE as [(typeof BASE)[0], (typeof BASE)[0], (typeof BASE)[0]];

function engine(correlation: string, options = {}): CorrelationEngine {
  const loaded = loadRules([
    { file: 'c.yml', text: `title: c\nname: corr\ncorrelation:\n${correlation}` },
  ]);
  expect(loaded.rejected).toEqual([]);
  const e = new CorrelationEngine(loaded.correlations, BASE, options);
  expect(e.rejected).toEqual([]);
  return e;
}
const S = 1000;

describe('CorrelationEngine', () => {
  it('event_count: fires when the count is reached inside the window, boundary inclusive', () => {
    const e = engine(
      `  type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 10s\n  condition:\n    gte: 3\n`,
    );
    expect(e.observe(failed, { User: 'bob' }, 0)).toEqual([]);
    expect(e.observe(failed, { User: 'alice' }, 1 * S)).toEqual([]);
    expect(e.observe(failed, { User: 'bob' }, 5 * S)).toEqual([]);
    // exactly one timespan after the first: still in the window
    const alerts = e.observe(failed, { User: 'bob' }, 10 * S);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.group).toEqual({ User: 'bob' });
    expect(alerts[0]!.value).toBe(3);
    expect(e.observe(failed, { User: 'bob' }, 11 * S)).toEqual([]); // window cleared on firing
  });

  it('event_count: one millisecond past the window, the oldest event no longer counts', () => {
    const e = engine(
      `  type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 10s\n  condition:\n    gte: 3\n`,
    );
    e.observe(failed, { User: 'bob' }, 0);
    e.observe(failed, { User: 'bob' }, 5 * S);
    expect(e.observe(failed, { User: 'bob' }, 10 * S + 1)).toEqual([]);
    expect(e.stateSize).toBe(2);
  });

  it('value_count counts distinct values; ranges combine operators', () => {
    const e = engine(
      `  type: value_count\n  rules: [failed_login]\n  group-by: [Host]\n  timespan: 1m\n  condition:\n    field: User\n    gt: 1\n    lte: 3\n`,
    );
    e.observe(failed, { Host: 'h', User: 'a' }, 0);
    expect(e.observe(failed, { Host: 'h', User: 'a' }, S)).toEqual([]);
    expect(e.observe(failed, { Host: 'h', User: 'b' }, 2 * S)[0]?.value).toBe(2);
  });

  it('value_count: values that leave the window stop counting, repeats count once', () => {
    const e = engine(
      `  type: value_count\n  rules: [failed_login]\n  group-by: [Host]\n  timespan: 10s\n  condition:\n    field: User\n    gte: 3\n`,
    );
    e.observe(failed, { Host: 'h', User: 'a' }, 0);
    e.observe(failed, { Host: 'h', User: 'b' }, 1 * S);
    e.observe(failed, { Host: 'h', User: 'b' }, 2 * S);
    // 'a' has left the window: still two distinct users (b, c)
    expect(e.observe(failed, { Host: 'h', User: 'c' }, 10 * S + 1)).toEqual([]);
    // one 'b' leaves at 11 s, the other is still in: b, c, d are three
    expect(e.observe(failed, { Host: 'h', User: 'd' }, 11 * S + 1)[0]?.value).toBe(3);
  });

  it('temporal: all referenced rules in the window, any order, same group', () => {
    const e = engine(
      `  type: temporal\n  rules: [recon, failed_login, successful_login]\n  group-by: [Host]\n  timespan: 5m\n`,
    );
    e.observe(success, { Host: 'h' }, 0);
    e.observe(recon, { Host: 'other' }, S);
    e.observe(recon, { Host: 'h' }, 2 * S);
    expect(e.observe(failed, { Host: 'h' }, 300 * S)).toHaveLength(1);
    const late = engine(
      `  type: temporal\n  rules: [recon, failed_login]\n  group-by: [Host]\n  timespan: 5m\n`,
    );
    late.observe(recon, { Host: 'h' }, 0);
    expect(late.observe(failed, { Host: 'h' }, 300 * S + 1)).toEqual([]);
  });

  it('temporal_ordered: only in the order given', () => {
    const text = `  type: temporal_ordered\n  rules: [failed_login, successful_login]\n  group-by: [User]\n  timespan: 10m\n`;
    const wrong = engine(text);
    wrong.observe(success, { User: 'u' }, 0);
    expect(wrong.observe(failed, { User: 'u' }, S)).toEqual([]);
    const right = engine(text);
    right.observe(failed, { User: 'u' }, 0);
    expect(right.observe(success, { User: 'u' }, S)).toHaveLength(1);
  });

  it('value_sum and value_avg', () => {
    const sum = engine(
      `  type: value_sum\n  rules: [recon]\n  group-by: [Src]\n  timespan: 1h\n  condition:\n    field: Bytes\n    gt: 1000\n`,
    );
    sum.observe(recon, { Src: 'x', Bytes: 600 }, 0);
    expect(sum.observe(recon, { Src: 'x', Bytes: '500' }, S)[0]?.value).toBe(1100);
    const avg = engine(
      `  type: value_avg\n  rules: [recon]\n  group-by: [Src]\n  timespan: 1h\n  condition:\n    field: Bytes\n    gt: 500\n`,
    );
    avg.observe(recon, { Src: 'x', Bytes: 100 }, 0);
    expect(avg.observe(recon, { Src: 'x', Bytes: 800 }, S)).toEqual([]); // avg 450
    expect(avg.observe(recon, { Src: 'x', Bytes: 1000 }, 2 * S)[0]?.value).toBeCloseTo(633.33, 1);
  });

  it('value_percentile: a value rarer than the threshold share of its group', () => {
    const e = engine(
      `  type: value_percentile\n  rules: [recon]\n  group-by: [Host]\n  timespan: 1d\n  condition:\n    field: Image\n    lte: 10\n`,
    );
    for (let i = 0; i < 19; i++)
      expect(e.observe(recon, { Host: 'h', Image: 'svchost.exe' }, i * S)).toEqual([]);
    expect(e.observe(recon, { Host: 'h', Image: 'evil.exe' }, 20 * S)[0]?.value).toBe(5);
  });

  it('aliases map group-by names to each rule’s field; chains through named correlations', () => {
    const loaded = loadRules([
      {
        file: 'chain.yml',
        text: `title: brute force then success\ncorrelation:\n  type: temporal_ordered\n  rules: [many_failed, successful_login]\n  group-by: [user]\n  timespan: 10m\n  aliases:\n    user:\n      many_failed: user\n      successful_login: TargetUserName\n---\ntitle: many failed\nname: many_failed\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [user]\n  timespan: 10m\n  aliases:\n    user:\n      failed_login: SubjectUserName\n  condition:\n    gte: 2\n`,
      },
    ]);
    const e = new CorrelationEngine(loaded.correlations, BASE);
    expect(e.rejected).toEqual([]);
    e.observe(failed, { SubjectUserName: 'eve' }, 0);
    const inner = e.observe(failed, { SubjectUserName: 'eve' }, S);
    expect(inner.map((a) => a.correlation.title)).toEqual(['many failed']);
    const outer = e.observe(success, { TargetUserName: 'eve' }, 2 * S);
    expect(outer.map((a) => a.correlation.title)).toEqual(['brute force then success']);
    expect(outer[0]!.group).toEqual({ user: 'eve' });
  });

  it('rejects unknown references and bounds its memory', () => {
    const loaded = loadRules([
      {
        file: 'c.yml',
        text: `title: c\ncorrelation:\n  type: event_count\n  rules: [nope]\n  group-by: [U]\n  timespan: 1h\n  condition:\n    gte: 2\n`,
      },
    ]);
    expect(new CorrelationEngine(loaded.correlations, BASE).rejected[0]?.reason).toMatch(
      /unknown rule\(s\): nope/,
    );
    const e = engine(
      `  type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 1d\n  condition:\n    gte: 1000\n`,
      { maxEntries: 100 },
    );
    for (let i = 0; i < 1000; i++) e.observe(failed, { User: `u${i}` }, i);
    expect(e.stateSize).toBeLessThanOrEqual(100);
    expect(e.evictedGroups).toBe(900);
  });
});
