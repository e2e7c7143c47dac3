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

  it('agrees with a direct recomputation on random streams, out of order and tied times included', () => {
    // mulberry32: reproducible.
    let seed = 0x5eed;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = (n: number): number => Math.floor(random() * n);
    const TYPES: Record<string, { condition: string; field?: boolean; rules: string }> = {
      event_count: { condition: 'gte: 6', rules: '[failed_login]' },
      value_count: { condition: 'gte: 4', field: true, rules: '[failed_login]' },
      value_sum: { condition: 'gt: 40', field: true, rules: '[failed_login]' },
      value_avg: { condition: 'gte: 7', field: true, rules: '[failed_login]' },
      value_percentile: { condition: 'lte: 10', field: true, rules: '[failed_login]' },
      temporal: { condition: 'gte: 3', rules: '[failed_login, successful_login, recon]' },
      temporal_ordered: { condition: 'gte: 3', rules: '[failed_login, successful_login, recon]' },
    };
    for (const [type, spec] of Object.entries(TYPES)) {
      const e = engine(
        `  type: ${type}\n  rules: ${spec.rules}\n  group-by: [Host]\n  timespan: 10s\n  condition:\n` +
          (spec.field ? '    field: N\n' : '') +
          `    ${spec.condition}\n`,
      );
      const rules = type.startsWith('temporal') ? [failed, success, recon] : [failed];
      // The reference: the window as a plain list, every measure recomputed from it.
      const windows = new Map<string, { time: number; rule: number; value?: string }[]>();
      let now = 0;
      for (let i = 0; i < 3000; i++) {
        now += pick(4) * 500;
        const time = Math.max(0, now - (pick(5) === 0 ? pick(12_000) : 0)); // some late events
        const host = `h${pick(3)}`;
        const rule = pick(rules.length);
        const value = pick(8) === 0 ? 'x' : String(pick(10));
        const alerts = e.observe(rules[rule]!, { Host: host, N: value }, time);

        const list = windows.get(host) ?? [];
        let at = list.length;
        while (at > 0 && list[at - 1]!.time > time) at--;
        list.splice(at, 0, { time, rule, value });
        const latest = list[list.length - 1]!.time;
        while (list.length > 0 && latest - list[0]!.time > 10 * S) list.shift();
        windows.set(host, list);
        const numbers = list.map((x) => Number(x.value)).filter((n) => Number.isFinite(n));
        let measured: number | undefined;
        if (type === 'event_count') measured = list.length >= 6 ? list.length : undefined;
        if (type === 'value_count') {
          const distinct = new Set(list.map((x) => x.value)).size;
          measured = distinct >= 4 ? distinct : undefined;
        }
        if (type === 'value_sum') {
          const sum = numbers.reduce((a, b) => a + b, 0);
          measured = numbers.length > 0 && sum > 40 ? sum : undefined;
        }
        if (type === 'value_avg') {
          const avg = numbers.reduce((a, b) => a + b, 0) / numbers.length;
          measured = numbers.length > 0 && avg >= 7 ? avg : undefined;
        }
        if (type === 'value_percentile') {
          const share = (100 * list.filter((x) => x.value === value).length) / list.length;
          measured = share <= 10 ? share : undefined;
        }
        if (type === 'temporal') {
          const distinct = new Set(list.map((x) => x.rule)).size;
          measured = distinct >= 3 ? distinct : undefined;
        }
        if (type === 'temporal_ordered') {
          let next = 0;
          for (const x of list) if (x.rule === next) next++;
          measured = next >= 3 ? next : undefined;
        }
        const expected =
          measured === undefined
            ? []
            : [{ value: measured, events: list.length, firstMs: list[0]!.time, lastMs: latest }];
        if (measured !== undefined) windows.delete(host);
        expect(
          alerts.map((a) => ({
            value: a.value,
            events: a.events,
            firstMs: a.firstMs,
            lastMs: a.lastMs,
          })),
          `${type}, event ${i}`,
        ).toEqual(expected);
      }
      let held = 0;
      for (const list of windows.values()) held += list.length;
      expect(e.stateSize, type).toBe(held);
    }
  });

  it('stays fast when one group is flooded (no work proportional to the window per event)', () => {
    // 150,000 events of one group inside one window, a tenth of them late: quadratic work
    // (a pass over the window per event) would take minutes; this takes well under a second.
    for (const type of ['value_sum', 'value_percentile', 'temporal_ordered', 'event_count']) {
      const e = engine(
        `  type: ${type}\n  rules: [failed_login, successful_login]\n  group-by: [Host]\n  timespan: 1d\n  condition:\n` +
          (type.startsWith('value') ? '    field: N\n' : '') +
          (type === 'value_percentile' ? '    lt: 0\n' : '    gt: 1000000000\n'),
      );
      const N = 150_000;
      for (let i = 0; i < N; i++) {
        const late = i % 10 === 0;
        e.observe(i % 2 ? success : failed, { Host: 'h', N: '1' }, late ? i - 5000 : i);
      }
      expect(e.stateSize, type).toBe(N);
    }
  }, 60_000);
});
