/**
 * issue 13 items 1 and 6: a rule's text must not be able to ask for unbounded work. Each
 * case goes through the public entry points (loadRules, SigmaEngine) with the limits the
 * server uses, and checks counts (nodes, values, steps), not time.
 */
import { describe, expect, it } from 'vitest';
import {
  CorrelationEngine,
  DEFAULT_RULE_LIMITS,
  SigmaEngine,
  TENANT_RULE_LIMITS,
  loadRules,
  parseYamlDocuments,
} from '@cordon/sigma';
import type { RuleLimits } from '@cordon/sigma';

const SOURCE = { product: 'test' };

/** `length` characters of 'a' and 'b', pseudo-random: each position a new automaton state. */
function abNoise(length: number): string {
  let seed = 13;
  let out = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    out += seed & 0x10000 ? 'a' : 'b';
  }
  return out;
}

function ruleText(detection: string): string {
  return `title: t\nid: 11111111-2222-3333-4444-555555555555\nlogsource:\n  product: test\ndetection:\n${detection}\nlevel: high\n`;
}

/** Level 0 lists `fan` values; each next level lists the previous one `fan` times. */
function aliasBomb(levels: number, fan: number): string {
  let text = `title: bomb\nlogsource:\n  product: test\ndetection:\n  l0: &l0 [${Array.from({ length: fan }, (_, i) => `v${i}`).join(', ')}]\n`;
  for (let i = 1; i <= levels; i++) {
    text += `  l${i}: &l${i} [${Array(fan)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`;
  }
  return text + `  sel:\n    F: x\n  condition: sel\n`;
}

function engineFor(detection: string, limits: Partial<RuleLimits>): SigmaEngine {
  const loaded = loadRules([{ file: 'rule.yml', text: ruleText(detection) }], { limits });
  expect(loaded.rejected).toEqual([]);
  return new SigmaEngine(loaded.detections, { limits });
}

function compileReason(detection: string, limits: Partial<RuleLimits>): string | undefined {
  const loaded = loadRules([{ file: 'rule.yml', text: ruleText(detection) }], { limits });
  if (loaded.rejected.length > 0) return loaded.rejected[0]!.reason;
  return new SigmaEngine(loaded.detections, { limits }).rejected[0]?.reason;
}

describe('issue 13 item 1: YAML aliases and expansion', () => {
  // 400 bytes that expand to 6^7 ≈ 280,000 nodes (one level more: 1.7 million, 8 levels the 40 s).
  const bomb = aliasBomb(6, 6);

  it('refuses a rule with aliases, with the reason, under both limit sets', () => {
    expect(bomb.length).toBeLessThan(500);
    for (const limits of [DEFAULT_RULE_LIMITS, TENANT_RULE_LIMITS]) {
      const loaded = loadRules([{ file: 'bomb.yml', text: bomb }], { limits });
      expect(loaded.detections).toEqual([]);
      expect(loaded.rejected[0]?.reason).toMatch(/YAML aliases \(\*l0\) are not accepted/);
    }
    // without options too: the default refuses them (no SigmaHQ rule uses an alias)
    expect(loadRules([{ file: 'bomb.yml', text: bomb }]).rejected[0]?.reason).toMatch(/aliases/);
  });

  it('counts what aliases expand to, through every alias, and stops at maxYamlNodes', () => {
    const small = aliasBomb(3, 4); // 4^4 leaves under l3
    const [doc] = parseYamlDocuments(small, { allowAliases: true });
    expect(doc?.ok).toBe(true);
    // the walk made every copied node: l0..l3 hold 4 + 4·5 + 16·5 + 64·5 (lists and items)
    expect(doc?.ok && doc.nodes).toBeGreaterThan(4 ** 4);
    const [capped] = parseYamlDocuments(bomb, { allowAliases: true, maxNodes: 10_000 });
    expect(capped?.ok).toBe(false);
    expect(!capped?.ok && capped?.error).toMatch(/more than 10000 YAML nodes/);
    const loaded = loadRules([{ file: 'bomb.yml', text: bomb }], {
      limits: { allowYamlAliases: true, maxYamlNodes: 10_000 },
    });
    expect(loaded.rejected[0]?.reason).toMatch(/more than 10000 YAML nodes/);
  });

  it('counts what action: global copies into every document', () => {
    const global = `action: global\ntitle: g\nlogsource:\n  product: test\ndetection:\n  big:\n    F: [${Array.from({ length: 200 }, (_, i) => `v${i}`).join(', ')}]\n  condition: big\n`;
    const docs = Array.from({ length: 60 }, (_, i) => `title: r${i}\n`);
    const text = [global, ...docs].join('---\n');
    const loaded = loadRules([{ file: 'many.yml', text }], { limits: { maxYamlNodes: 5_000 } });
    // ~205 nodes per merged document: about 24 fit in 5,000, the rest are refused
    expect(loaded.detections.length).toBeGreaterThan(10);
    expect(loaded.detections.length).toBeLessThan(30);
    expect(loaded.rejected[0]?.reason).toMatch(/more than 5000 YAML nodes/);
  });

  it('caps the text size and the depth', () => {
    const big = ruleText(`  sel:\n    F: '${'x'.repeat(300_000)}'\n  condition: sel`);
    const tenant = loadRules([{ file: 'big.yml', text: big }], { limits: TENANT_RULE_LIMITS });
    expect(tenant.rejected[0]?.reason).toMatch(/larger than 262144 bytes/);
    expect(loadRules([{ file: 'big.yml', text: big }]).detections).toHaveLength(1);
    const deep = ruleText(`  sel:\n    F: ${'['.repeat(40)}x${']'.repeat(40)}\n  condition: sel`);
    const deepLoaded = loadRules([{ file: 'deep.yml', text: deep }], {
      limits: TENANT_RULE_LIMITS,
    });
    expect(deepLoaded.rejected[0]?.reason).toMatch(/nesting deeper than 32 levels/);
  });

  // Found by the Sigma rule fuzz (packages/server/test/fuzz): 3,500 nested compact mappings
  // (`product: w: w: w: …`, 10 KB) overflowed the yaml library's parser stack, and the
  // RangeError escaped loadRules instead of rejecting the rule.
  it('rejects a text nested too deeply for the YAML parser instead of throwing', () => {
    const text = ruleText(`  sel:\n    F: ${'w: '.repeat(4000)}x\n  condition: sel`);
    for (const limits of [DEFAULT_RULE_LIMITS, TENANT_RULE_LIMITS]) {
      const loaded = loadRules([{ file: 'compact.yml', text }], { limits });
      expect(loaded.detections).toHaveLength(0);
      expect(loaded.rejected[0]?.reason).toMatch(/nested too deeply|nesting deeper/);
    }
  });
});

describe('issue 13 item 1, siblings: values a rule multiplies', () => {
  it('refuses an expand placeholder product before building it', () => {
    const values = Array.from({ length: 50 }, (_, i) => `p${i}`);
    const text = ruleText(`  sel:\n    F|expand: '%a%%a%%a%'\n  condition: sel`);
    const loaded = loadRules([{ file: 'r.yml', text }]);
    const engine = new SigmaEngine(loaded.detections, {
      placeholders: { a: values },
      limits: TENANT_RULE_LIMITS,
    });
    expect(engine.rules).toEqual([]);
    expect(engine.rejected[0]?.reason).toMatch(/compiles to more than 20000 values/);
  });

  it('counts base64offset renderings and what conditions reference', () => {
    const list = (n: number) => `[${Array.from({ length: n }, (_, i) => `v${i}`).join(', ')}]`;
    const limits = { maxRuleValues: 1_000 };
    expect(
      compileReason(`  sel:\n    F|base64offset|contains: ${list(100)}\n  condition: sel`, limits),
    ).toBe(undefined);
    expect(
      compileReason(`  sel:\n    F|base64offset|contains: ${list(400)}\n  condition: sel`, limits),
    ).toMatch(/more than 1000 values/);
    // 300 values, named once: fine; the same list named by ten ORs of `1 of them`: refused
    const sels = `  sel_a:\n    F: ${list(150)}\n  sel_b:\n    G: ${list(150)}\n`;
    expect(compileReason(`${sels}  condition: 1 of sel_*`, limits)).toBe(undefined);
    const repeated = Array(10).fill('1 of them').join(' or ');
    expect(compileReason(`${sels}  condition: ${repeated}`, limits)).toMatch(
      /condition .*more than 1000 values/,
    );
  });

  it('matches `1 of` patterns without backtracking (liveness, generous bound)', () => {
    const name = 'a'.repeat(36);
    const pattern = `${Array(9).fill('a').join('*')}*b`;
    const started = performance.now();
    const reason = compileReason(`  ${name}:\n    F: x\n  condition: 1 of ${pattern}`, {});
    expect(reason).toMatch(/matches no search identifier/);
    // the native RegExp this replaced took about 10 s here
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('issue 13 item 6: regex automaton size, value length and work', () => {
  const hostile = `  sel:\n    TargetUserName|re: 'a[ab]{999}c'\n  condition: sel`;

  it('refuses a regex whose automaton exceeds the tenant cap, with the reason', () => {
    expect(compileReason(hostile, TENANT_RULE_LIMITS)).toMatch(
      /needs more than 1000 automaton states/,
    );
    expect(compileReason(hostile, DEFAULT_RULE_LIMITS)).toBe(undefined);
    // counted runs need no automaton: `.{1000,}` (SigmaHQ) passes the tenant cap
    expect(
      compileReason(`  sel:\n    CommandLine|re: '.{1000,}'\n  condition: sel`, TENANT_RULE_LIMITS),
    ).toBe(undefined);
  });

  it('searches the first maxRegexInputChars characters of a value, and says so', () => {
    const limits = { maxRegexInputChars: 1_000 };
    const engine = engineFor(`  sel:\n    F|re: 'evil'\n  condition: sel`, limits);
    expect(engine.rules[0]?.regexInputChars).toBe(1_000);
    expect(engine.match({ F: 'x'.repeat(990) + 'evil' }, SOURCE)).toHaveLength(1);
    expect(engine.match({ F: 'x'.repeat(1_000) + 'evil' }, SOURCE)).toHaveLength(0);
    // a match must end within the prefix, with the real next character for `$` and `\b`
    const anchored = engineFor(`  sel:\n    F|re: 'evil$'\n  condition: sel`, limits);
    expect(anchored.match({ F: 'x'.repeat(996) + 'evil' }, SOURCE)).toHaveLength(1);
    expect(anchored.match({ F: 'x'.repeat(996) + 'evilx' }, SOURCE)).toHaveLength(0);
    const word = engineFor(`  sel:\n    F|re: '\\bevil\\b'\n  condition: sel`, limits);
    expect(word.match({ F: 'x'.repeat(995) + ' evil x' }, SOURCE)).toHaveLength(1);
    expect(word.match({ F: 'x'.repeat(995) + ' evilx' }, SOURCE)).toHaveLength(0);
    // `C{n,}$` is checked exactly, on the last n characters
    const run = engineFor(`  sel:\n    F|re: '[0-9]{8,}$'\n  condition: sel`, limits);
    expect(run.match({ F: 'x'.repeat(5_000) + '12345678' }, SOURCE)).toHaveLength(1);
    // rules without regexes say nothing
    expect(engineFor(`  sel:\n    F: x\n  condition: sel`, limits).rules[0]?.regexInputChars).toBe(
      undefined,
    );
  });

  it('stops a rule whose regex work on one event exceeds its budget: no match, counted', () => {
    const limits = { maxRegexWorkPerRule: 2_000_000 };
    const engine = engineFor(hostile, limits);
    // every position leaves a different set of live states (up to ~2,000), none cached
    const value = abNoise(65_536);
    expect(engine.match({ TargetUserName: value }, SOURCE)).toHaveLength(0);
    expect(engine.regexTestsCutOff).toBe(1);
    // a short value within budget still matches
    const short = 'a' + 'b'.repeat(999) + 'c';
    expect(engine.match({ TargetUserName: short }, SOURCE)).toHaveLength(1);
    expect(engine.regexTestsCutOff).toBe(1);
  });

  it('gives no verdict when a cut-off regex sits under a `not`', () => {
    const engine = engineFor(
      `  sel:\n    F: x\n  filter:\n    G|re: 'a[ab]{999}c'\n  condition: sel and not filter`,
      { maxRegexWorkPerRule: 200_000 },
    );
    // the filter's regex would answer false when cut off, and `not` would turn it into a match
    expect(engine.match({ F: 'x', G: abNoise(65_536) }, SOURCE)).toEqual([]);
    expect(engine.regexBudgetExhausted).toBe(1);
    expect(engine.match({ F: 'x', G: 'ab' }, SOURCE)).toHaveLength(1);
  });

  it('bounds all rules of one event together, and does not remember a cut-off answer', () => {
    const limits = { maxRegexWorkPerRule: 5_000_000, maxRegexWorkPerEvent: 3_000_000 };
    const text = [
      ruleText(`  sel:\n    A|re: 'a[ab]{999}c'\n  condition: sel`),
      ruleText(`  sel:\n    B|re: 'x[xy]{99}z'\n  condition: sel`).replace('title: t', 'title: t2'),
    ].join('---\n');
    const loaded = loadRules([{ file: 'two.yml', text }], { limits });
    const engine = new SigmaEngine(loaded.detections, { limits });
    expect(engine.rules).toHaveLength(2);
    const benign = 'x' + 'y'.repeat(99) + 'z';
    // the first rule spends the event's budget, so the second is cut off on this event …
    expect(engine.match({ A: abNoise(65_536), B: benign }, SOURCE)).toEqual([]);
    expect(engine.regexTestsCutOff).toBeGreaterThanOrEqual(2);
    // … but the same value matches on the next event: the cut-off answer was not kept
    const next = engine.match({ B: benign }, SOURCE);
    expect(next.map((m) => m.rule.title)).toEqual(['t2']);
  });
});

describe('issue 13 item 1, sibling: chained correlations', () => {
  it('fires each correlation at most once per event, however the chain fans out', () => {
    // Level 0 correlations count the base rule; each next level's correlations count every
    // correlation of the level below. Before, one event fed width^levels chained alerts.
    const width = 3;
    const levels = 8;
    const docs: string[] = [];
    for (let level = 0; level < levels; level++) {
      const refs =
        level === 0 ? ['base'] : Array.from({ length: width }, (_, i) => `c${level - 1}_${i}`);
      for (let i = 0; i < width; i++) {
        docs.push(
          `title: c${level}_${i}\nname: c${level}_${i}\ncorrelation:\n  type: event_count\n  rules: [${refs.join(', ')}]\n  timespan: 1m\n  condition:\n    gte: 1\n`,
        );
      }
    }
    const loaded = loadRules([{ file: 'chain.yml', text: docs.join('---\n') }]);
    expect(loaded.correlations).toHaveLength(width * levels);
    const base = { id: undefined, name: 'base' };
    const engine = new CorrelationEngine(loaded.correlations, [base]);
    const alerts = engine.observe(base, { User: 'u' }, 0);
    // every correlation fires once (width × levels), not width + width² + … + width^levels
    expect(alerts).toHaveLength(width * levels);
    expect(new Set(alerts.map((a) => a.correlation.name)).size).toBe(width * levels);
  });
});
