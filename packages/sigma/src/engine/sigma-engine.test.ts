/**
 * Detection semantics written from the spec text (rules spec and modifiers appendix): each
 * case is a one-rule engine over hand-made events.
 */
import { describe, expect, it } from 'vitest';
import { loadRules } from '../rule/load-rules.ts';
import { SigmaEngine } from './sigma-engine.ts';
import type { SigmaEngineOptions } from './sigma-engine.ts';

const SOURCE = { product: 'test' };

function engineFor(detection: string, options: SigmaEngineOptions = {}): SigmaEngine {
  const text = `title: t\nid: 11111111-2222-3333-4444-555555555555\nlogsource:\n  product: test\ndetection:\n${detection}\nlevel: high\n`;
  const loaded = loadRules([{ file: 'rule.yml', text }]);
  expect(loaded.rejected).toEqual([]);
  const engine = new SigmaEngine(loaded.detections, options);
  expect(engine.rejected).toEqual([]);
  return engine;
}

function matches(
  detection: string,
  event: Record<string, unknown>,
  options?: SigmaEngineOptions,
): boolean {
  return engineFor(detection, options).match(event, SOURCE).length > 0;
}

describe('strings, wildcards and escaping', () => {
  const rule = (value: string) => `  sel:\n    F: '${value}'\n  condition: sel`;
  it('matches case-insensitively, whole value', () => {
    expect(matches(rule('Evil.EXE'), { F: 'evil.exe' })).toBe(true);
    expect(matches(rule('evil.exe'), { F: 'x evil.exe' })).toBe(false);
  });
  it('treats * and ? as wildcards', () => {
    expect(matches(rule('prog?.exe'), { F: 'progA.exe' })).toBe(true);
    expect(matches(rule('prog?.exe'), { F: 'prog.exe' })).toBe(false);
    expect(matches(rule('antivirus_V*.exe'), { F: 'antivirus_V21.2.1.exe' })).toBe(true);
    expect(matches(rule('a*b*c'), { F: 'aXXbYYc' })).toBe(true);
    expect(matches(rule('a*b*c'), { F: 'aXXcYYb' })).toBe(false);
  });
  it('follows the escaping table of the spec', () => {
    // plain backslash, single or double
    expect(matches(rule('C:\\Windows'), { F: 'C:\\Windows' })).toBe(true);
    expect(matches(rule('C:\\\\Windows'), { F: 'C:\\Windows' })).toBe(true);
    // \* is a literal star
    expect(matches(rule('a\\*b'), { F: 'a*b' })).toBe(true);
    expect(matches(rule('a\\*b'), { F: 'aXb' })).toBe(false);
    expect(matches(rule('a\\?'), { F: 'a?' })).toBe(true);
    // \\* is a backslash followed by a wildcard
    expect(matches(rule('dir\\\\*'), { F: 'dir\\anything' })).toBe(true);
    // \\\* is a backslash followed by a literal star
    expect(matches(rule('dir\\\\\\*'), { F: 'dir\\*' })).toBe(true);
    expect(matches(rule('dir\\\\\\*'), { F: 'dir\\x' })).toBe(false);
    // three or four backslashes are a double backslash
    expect(matches(rule('a\\\\\\\\b'), { F: 'a\\\\b' })).toBe(true);
    expect(matches(rule('a\\\\\\b'), { F: 'a\\\\b' })).toBe(true);
  });
  it('compares numbers as text and keeps hex spellings', () => {
    expect(matches(`  sel:\n    EventID: 4688\n  condition: sel`, { EventID: 4688 })).toBe(true);
    expect(matches(`  sel:\n    EventID: 4688\n  condition: sel`, { EventID: '4688' })).toBe(true);
    expect(matches(`  sel:\n    T: 0x17\n  condition: sel`, { T: '0x17' })).toBe(true);
  });
});

describe('maps, lists, keywords, null', () => {
  it('ANDs map entries and ORs list values', () => {
    const d = `  sel:\n    A: x\n    B:\n      - y\n      - z\n  condition: sel`;
    expect(matches(d, { A: 'x', B: 'z' })).toBe(true);
    expect(matches(d, { A: 'x', B: 'w' })).toBe(false);
    expect(matches(d, { B: 'y' })).toBe(false);
  });
  it('ORs a list of maps', () => {
    const d = `  sel:\n    - Image|endswith: '\\example.exe'\n    - Description|contains: 'Test executable'\n  condition: sel`;
    expect(matches(d, { Image: 'C:\\example.exe' })).toBe(true);
    expect(matches(d, { Description: 'a Test executable!' })).toBe(true);
    expect(matches(d, { Image: 'C:\\other.exe' })).toBe(false);
  });
  it('searches keywords in any value, and |all needs every keyword', () => {
    const d = `  kw:\n    - 'event::clear'\n    - 'event::drop'\n  condition: kw`;
    expect(matches(d, { Cmd: 'mimikatz event::drop exit' })).toBe(true);
    expect(matches(d, { Cmd: 'nothing' })).toBe(false);
    const all = `  kw:\n    '|all':\n      - 'OabVirtualDirectory'\n      - ' -ExternalUrl '\n  condition: kw`;
    expect(matches(all, { a: 'Set-OabVirtualDirectory -ExternalUrl x' })).toBe(true);
    expect(matches(all, { a: 'Set-OabVirtualDirectory' })).toBe(false);
  });
  it('finds keywords in fields other rules index, nested values and arrays included', () => {
    // The index scans Image for the first rule; the keyword rule must still see Image's values.
    const rules = [
      '  sel:\n    Image|contains: evilname\n  condition: sel',
      '  kw:\n    - needle\n  condition: kw',
    ];
    const loaded = loadRules(
      rules.map((detection, i) => ({
        file: `r${i}.yml`,
        text: `title: r${i}\nid: 11111111-2222-3333-4444-55555555555${i}\nlogsource:\n  product: test\ndetection:\n${detection}\n`,
      })),
    );
    const engine = new SigmaEngine(loaded.detections);
    const fired = (event: Record<string, unknown>) =>
      engine.match(event, SOURCE).map((m) => m.rule.title);
    expect(fired({ Image: 'C:\\A\\NEEDLE.exe' })).toEqual(['r1']);
    expect(fired({ Image: { path: 'x needle' } })).toEqual(['r1']);
    expect(fired({ Image: ['a', 'needle'] })).toEqual(['r1']);
    expect(fired({ Other: { deep: ['needle'] } })).toEqual(['r1']);
    expect(fired({ Image: 'evilname needle' })).toEqual(['r0', 'r1']);
    expect(fired({ Image: 'nothing' })).toEqual([]);
  });
  it('finds keyword literals in the rest of the event whatever their case, numbers included', () => {
    // As the NotPetya rule: field literals or a keyword, one group; the rest of the event is
    // searched only where a text could hold the keyword (long enough, holding its `\\`).
    const engine = engineFor(
      `  sel:\n    CommandLine|contains: 'evil pattern'\n  kw:\n    - '\\PERFC.dat'\n  condition: sel or kw`,
    );
    const fires = (event: Record<string, unknown>) => engine.match(event, SOURCE).length > 0;
    expect(fires({ CommandLine: 'x', ParentImage: 'C:\\Windows\\perfc.DAT' })).toBe(true);
    expect(fires({ CommandLine: 'x', Other: 'C:\\WINDOWS\\PERFC.DAT trailing' })).toBe(true);
    expect(fires({ CommandLine: 'x', Guid: '{perfc.dat-0000}', Short: '\\p' })).toBe(false);
    expect(fires({ CommandLine: 'an EVIL PATTERN here' })).toBe(true);
    const numbers = engineFor(`  kw:\n    - '462'\n  sel:\n    A: b\n  condition: kw or sel`);
    expect(numbers.match({ EventID: 4624 }, SOURCE).length).toBe(1);
    expect(numbers.match({ EventID: 4725 }, SOURCE).length).toBe(0);
  });
  it('remembers per value the rules without literals that read one field, and nothing else', () => {
    // No literal the index could use: the bucket evaluates these once per distinct value of
    // their field and remembers the answer; absent, numeric and list values are tested each time.
    const rules = [
      `  sel:\n    Cmd|re: '^[0-9a-f]{4} '\n  condition: sel`,
      `  main:\n    Image|contains: '\\'\n  empty:\n    Image: ''\n  condition: not 1 of main or empty`,
      `  sel:\n    Size|lt: 10\n  condition: sel`,
      `  sel:\n    Image|fieldref: Parent\n  condition: sel`,
      `  sel:\n    Codes|contains: '462'\n  condition: sel`,
      `  sel:\n    Codes|gt: 100\n  condition: sel`,
    ];
    const loaded = loadRules(
      rules.map((detection, i) => ({
        file: `r${i}.yml`,
        text: `title: r${i}\nid: 11111111-2222-3333-4444-55555555555${i}\nlogsource:\n  product: test\ndetection:\n${detection}\n`,
      })),
    );
    expect(loaded.rejected).toEqual([]);
    const indexed = new SigmaEngine(loaded.detections);
    const everyRule = new SigmaEngine(loaded.detections, { prefilter: false });
    const fired = (engine: SigmaEngine, event: Record<string, unknown>) =>
      engine.match(event, SOURCE).map((m) => m.rule.title);
    const events: Record<string, unknown>[] = [
      { Cmd: 'beef run', Image: 'C:\\x.exe', Parent: 'c:\\X.EXE' },
      { Cmd: 'BEEF run', Image: 'x.exe', Size: 3 },
      { Cmd: 'zzzz run', Size: '42', Parent: 'x' },
      { Cmd: ['no', 'cafe x'], Image: ['a\\b', 'c'], Size: [50, 2] },
      { Image: null, Size: 'nine' },
      {},
      // A list item and the same text as a whole value are remembered apart (the predicate
      // on Image holds for 'c', not for a list holding it); so are numbers and texts.
      { Image: 'c' },
      { Image: '\\', Codes: 4624 },
      { Image: '\\', Codes: '4624' },
      { Image: '\\', Codes: [1, 'x4625'] },
      { Image: '\\', Codes: '500' },
    ];
    const expected = [
      ['r0', 'r3'],
      ['r1', 'r2'],
      ['r1'],
      ['r0', 'r2'],
      ['r1'],
      ['r1'],
      ['r1'],
      ['r4', 'r5'],
      ['r4', 'r5'],
      ['r4'],
      ['r5'],
    ];
    // Twice: the second round answers from what the first remembered.
    for (let round = 0; round < 2; round++) {
      events.forEach((event, i) => {
        expect(fired(everyRule, event), JSON.stringify(event)).toEqual(expected[i]);
        expect(fired(indexed, event), JSON.stringify(event)).toEqual(expected[i]);
      });
    }
  });
  it('searches keywords ANDed with a field once the field holds', () => {
    const engine = engineFor(
      `  sel:\n    EventID: 4728\n  kw:\n    - 'ESX Admins'\n  condition: sel and kw`,
    );
    const fires = (event: Record<string, unknown>) => engine.match(event, SOURCE).length > 0;
    expect(fires({ EventID: 4728, Group: { Name: 'ESX Admins' } })).toBe(true);
    expect(fires({ EventID: 4728, Group: 'Other' })).toBe(false);
    expect(fires({ EventID: 4729, Group: 'ESX Admins' })).toBe(false);
  });
  it('matches null on a missing or null field, and empty string only on empty', () => {
    const d = `  sel:\n    A: x\n  filter:\n    P: null\n  condition: sel and not filter`;
    expect(matches(d, { A: 'x', P: 'set' })).toBe(true);
    expect(matches(d, { A: 'x' })).toBe(false);
    expect(matches(d, { A: 'x', P: null })).toBe(false);
    expect(matches(`  sel:\n    B: ''\n  condition: sel`, { B: '' })).toBe(true);
    expect(matches(`  sel:\n    B: ''\n  condition: sel`, { B: 'x' })).toBe(false);
  });
  it('finds dotted fields in nested events and matches any array element', () => {
    const d = `  sel:\n    process.name: cmd.exe\n    tags: b\n  condition: sel`;
    expect(matches(d, { process: { name: 'CMD.exe' }, tags: ['a', 'b'] })).toBe(true);
    expect(matches(d, { 'process.name': 'cmd.exe', tags: 'b' })).toBe(true);
  });
});

describe('modifiers', () => {
  const m = (key: string, value: string, event: Record<string, unknown>) =>
    matches(`  sel:\n    ${key}: ${value}\n  condition: sel`, event);
  it('contains, startswith, endswith, all', () => {
    expect(m('F|contains', 'mid', { F: 'xMIDx' })).toBe(true);
    expect(m('F|startswith', 'adm', { F: 'admin' })).toBe(true);
    expect(m('F|startswith', 'adm', { F: 'xadm' })).toBe(false);
    expect(m('F|endswith', "'\\cmd.exe'", { F: 'C:\\cmd.exe' })).toBe(true);
    expect(m('F|contains|all', '[a, b]', { F: 'xaxbx' })).toBe(true);
    expect(m('F|contains|all', '[a, b]', { F: 'xax' })).toBe(false);
  });
  it('cased', () => {
    expect(m('F|cased', 'Abc', { F: 'Abc' })).toBe(true);
    expect(m('F|cased', 'Abc', { F: 'abc' })).toBe(false);
  });
  it('exists', () => {
    expect(m('F|exists', 'true', { F: '' })).toBe(true);
    expect(m('F|exists', 'true', {})).toBe(false);
    expect(m('F|exists', 'false', {})).toBe(true);
  });
  it('neq', () => {
    expect(m('F|neq', 'a', { F: 'b' })).toBe(true);
    expect(m('F|neq', 'a', { F: 'A' })).toBe(false);
    expect(m('F|neq', '[a, b]', { F: 'b' })).toBe(false);
  });
  it('re with i, m, s and inline flags', () => {
    expect(m('F|re', "'^ab+c$'", { F: 'abbc' })).toBe(true);
    expect(m('F|re', "'^ab+c$'", { F: 'ABBC' })).toBe(false);
    expect(m('F|re|i', "'^ab+c$'", { F: 'ABBC' })).toBe(true);
    expect(m('F|re', "'(?i)^ab+c$'", { F: 'ABBC' })).toBe(true);
    expect(m('F|re|m', "'^b$'", { F: 'a\nb' })).toBe(true);
    expect(m('F|re|s', "'a.b'", { F: 'a\nb' })).toBe(true);
    expect(m('F|re', "'a.b'", { F: 'a\nb' })).toBe(false);
  });
  it('base64, base64offset, utf16 encodings, wide', () => {
    expect(m('F|base64', 'cmd', { F: 'Y21k' })).toBe(true);
    const encoded = btoa('xx/bin/bash -c yy');
    expect(m('F|base64offset|contains', "'/bin/bash'", { F: encoded })).toBe(true);
    expect(m('F|base64offset|contains', "'/bin/bash'", { F: btoa('x/bin/bash') })).toBe(true);
    expect(m('F|base64offset|contains', "'/bin/bash'", { F: btoa('/bin/bash') })).toBe(true);
    expect(m('F|base64offset|contains', "'/bin/bash'", { F: btoa('/bin/dash') })).toBe(false);
    // "cmd" as UTF-16LE is 63 00 6d 00 64 00; base64 "YwBtAGQA"
    expect(m('F|wide|base64', 'cmd', { F: 'YwBtAGQA' })).toBe(true);
    expect(m('F|utf16le|base64', 'cmd', { F: 'YwBtAGQA' })).toBe(true);
    expect(m('F|utf16be|base64', 'cmd', { F: btoa('\x00c\x00m\x00d') })).toBe(true);
    expect(m('F|utf16|base64', 'cmd', { F: btoa('\xff\xfec\x00m\x00d\x00') })).toBe(true);
  });
  it('windash: -, /, en dash, em dash, horizontal bar are interchangeable', () => {
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(m('F|windash|contains', "' -exec '", { F: `x ${dash}exec y` })).toBe(true);
    }
    expect(m('F|windash|contains', "' -exec '", { F: 'x +exec y' })).toBe(false);
  });
  it('cidr for IPv4 and IPv6', () => {
    expect(m('F|cidr', '10.0.0.0/8', { F: '10.1.2.3' })).toBe(true);
    expect(m('F|cidr', '10.0.0.0/8', { F: '11.1.2.3' })).toBe(false);
    expect(m('F|cidr', "'fe80::/10'", { F: 'fe80::1' })).toBe(true);
    expect(m('F|cidr', "'2001:db8::/32'", { F: '2001:db9::1' })).toBe(false);
    expect(m('F|cidr', '192.168.1.0/24', { F: 'not an ip' })).toBe(false);
  });
  it('lt, lte, gt, gte', () => {
    expect(m('F|lt', '10', { F: 9 })).toBe(true);
    expect(m('F|lt', '10', { F: '10' })).toBe(false);
    expect(m('F|lte', '10', { F: '10' })).toBe(true);
    expect(m('F|gt', '10', { F: 11 })).toBe(true);
    expect(m('F|gte', '10', { F: 9 })).toBe(false);
  });
  it('time parts: minute hour day week month year', () => {
    const t = { F: '2025-11-26T05:11:27Z' };
    expect(m('F|minute', '11', t)).toBe(true);
    expect(m('F|hour', '5', t)).toBe(true);
    expect(m('F|day', '26', t)).toBe(true);
    expect(m('F|week', '48', t)).toBe(true);
    expect(m('F|month', '11', t)).toBe(true);
    expect(m('F|year', '2025', t)).toBe(true);
    expect(m('F|hour|gte', '6', t)).toBe(false);
  });
  it('fieldref compares with another field', () => {
    expect(m('A|fieldref', 'B', { A: 'x', B: 'X' })).toBe(true);
    expect(m('A|fieldref', 'B', { A: 'x', B: 'y' })).toBe(false);
    expect(m('A|fieldref|neq', 'B', { A: 'x', B: 'y' })).toBe(true);
  });
  it('expand takes placeholder values; \\% is a plain percent', () => {
    const placeholders = { Admins: ['root', 'adm_*'] };
    const d = `  sel:\n    User|expand: '%Admins%'\n  condition: sel`;
    expect(matches(d, { User: 'adm_bob' }, { placeholders })).toBe(true);
    expect(matches(d, { User: 'bob' }, { placeholders })).toBe(false);
    const p = `  sel:\n    V|expand: '\\%plain%Admins%'\n  condition: sel`;
    expect(matches(p, { V: '%plainroot' }, { placeholders })).toBe(true);
  });
  it('rejects a rule whose placeholders have no values, and unknown modifiers', () => {
    const text = `title: t\nlogsource:\n  product: test\ndetection:\n  sel:\n    U|expand: '%Nope%'\n  condition: sel\n`;
    const engine = new SigmaEngine(loadRules([{ file: 'r.yml', text }]).detections);
    expect(engine.rejected[0]?.reason).toMatch(/placeholder %Nope% has no values/);
    const bad = text.replace("U|expand: '%Nope%'", 'U|sideways: x');
    expect(
      new SigmaEngine(loadRules([{ file: 'r.yml', text: bad }]).detections).rejected[0]?.reason,
    ).toMatch(/unknown modifier 'sideways'/);
  });
});

describe('conditions', () => {
  const d = (condition: string) =>
    `  a:\n    A: 1\n  b:\n    B: 1\n  c:\n    C: 1\n  _hidden:\n    H: 1\n  condition: ${condition}`;
  const ev = (...set: string[]) => Object.fromEntries(set.map((k) => [k, 1]));
  it('binds and tighter than or', () => {
    expect(matches(d('a or b and c'), ev('A'))).toBe(true);
    expect(matches(d('(a or b) and c'), ev('A'))).toBe(false);
  });
  it('binds not tighter than and', () => {
    expect(matches(d('not a and b'), ev('B'))).toBe(true);
    expect(matches(d('not a and b'), ev('A', 'B'))).toBe(false);
    expect(matches(d('not (a and b)'), ev('A'))).toBe(true);
  });
  it('binds x of tighter than not', () => {
    expect(matches(d('not 1 of a*'), ev('B'))).toBe(true);
    expect(matches(d('not 1 of a*'), ev('A'))).toBe(false);
  });
  it('1 of / all of them leave out identifiers starting with _', () => {
    expect(matches(d('1 of them'), ev('H'))).toBe(false);
    expect(matches(d('all of them'), ev('A', 'B', 'C'))).toBe(true);
    expect(matches(d('1 of _h*'), ev('H'))).toBe(true);
  });
  it('patterns and lists of conditions', () => {
    const s = `  selection_a:\n    A: 1\n  selection_b:\n    B: 1\n  filter_x:\n    X: 1\n  condition:\n    - all of selection_* and not 1 of filter*\n    - filter_x and selection_a`;
    expect(matches(s, ev('A', 'B'))).toBe(true);
    expect(matches(s, ev('A', 'B', 'X'))).toBe(true); // second condition
    expect(matches(s, ev('B', 'X'))).toBe(false);
  });
  it('reports which selections and fields matched', () => {
    const found = engineFor(d('a or b')).match(ev('B'), SOURCE);
    expect(found[0]?.selections).toEqual(['b']);
    expect(found[0]?.fields).toEqual(['B']);
    expect(found[0]?.rule.level).toBe('high');
  });
  it('rejects unknown identifiers and syntax errors with the reason', () => {
    const text = (c: string) =>
      `title: t\nlogsource:\n  product: test\ndetection:\n  a:\n    A: 1\n  condition: ${c}\n`;
    const reason = (c: string) =>
      new SigmaEngine(loadRules([{ file: 'r.yml', text: text(c) }]).detections).rejected[0]?.reason;
    expect(reason('a and missing')).toMatch(/names 'missing'/);
    expect(reason('(a')).toMatch(/missing '\)'/);
    expect(reason('a and')).toMatch(/ends early/);
  });
});

describe('log sources', () => {
  const rule = (logsource: string) =>
    `title: t\nlogsource:\n${logsource}\ndetection:\n  sel:\n    Image|endswith: '\\evil.exe'\n  condition: sel\n`;
  it('maps process_creation to Sysmon 1 and Security 4688 with field renames', () => {
    const engine = new SigmaEngine(
      loadRules([{ file: 'r', text: rule('  product: windows\n  category: process_creation') }])
        .detections,
    );
    expect(
      engine.match({
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        EventID: 1,
        Image: 'C:\\evil.exe',
      }),
    ).toHaveLength(1);
    expect(
      engine.match({ Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\evil.exe' }),
    ).toHaveLength(1);
    expect(
      engine.match({
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        EventID: 3,
        Image: 'C:\\evil.exe',
      }),
    ).toHaveLength(0);
  });
  it('maps services to channels and leaves unmapped sources to the ingestion tag', () => {
    const security = new SigmaEngine(
      loadRules([{ file: 'r', text: rule('  product: windows\n  service: security') }]).detections,
    );
    expect(security.match({ Channel: 'Security', EventID: 1, Image: 'x\\evil.exe' })).toHaveLength(
      1,
    );
    expect(security.match({ Channel: 'System', EventID: 1, Image: 'x\\evil.exe' })).toHaveLength(0);
    const linux = new SigmaEngine(
      loadRules([{ file: 'r', text: rule('  product: linux\n  service: auth') }]).detections,
    );
    expect(
      linux.match({ Image: '/evil.exe'.replace('/', '\\') }, { product: 'linux', service: 'auth' }),
    ).toHaveLength(1);
    expect(
      linux.match({ Image: '\\evil.exe' }, { product: 'linux', service: 'syslog' }),
    ).toHaveLength(0);
    expect(linux.match({ Image: '\\evil.exe' })).toHaveLength(0);
  });
});

describe('filters', () => {
  it('suppress matches of the rules they name', () => {
    const text = `title: r\nid: 6f3e2987-db24-4c78-a860-b4f4095a7095\nlogsource:\n  product: test\ndetection:\n  sel:\n    A: 1\n  condition: sel\n---\ntitle: Filter admins\nlogsource:\n  product: test\nfilter:\n  rules:\n    - 6f3e2987-db24-4c78-a860-b4f4095a7095\n  selection:\n    User|startswith: 'adm_'\n  condition: selection\n`;
    const loaded = loadRules([{ file: 'f.yml', text }]);
    expect(loaded.filters).toHaveLength(1);
    const engine = new SigmaEngine(loaded.detections, { filters: loaded.filters });
    expect(engine.match({ A: 1, User: 'bob' }, SOURCE)).toHaveLength(1);
    expect(engine.match({ A: 1, User: 'adm_bob' }, SOURCE)).toHaveLength(0);
  });
});
