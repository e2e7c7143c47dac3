import { describe, expect, it } from 'vitest';
import { parseJsonValue, parseRecord } from './parse-record.ts';
import type { ParseContext } from './parse-context.ts';
import { RECEIVED_AT } from './testing/test-support.ts';

const context: ParseContext = { receivedAt: RECEIVED_AT, sourceAddress: '192.0.2.10' };
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function failureOf(raw: Uint8Array | string, extra: Partial<ParseContext> = {}) {
  const outcome = parseRecord(raw, { ...context, ...extra });
  if (outcome.kind !== 'failure')
    throw new Error(`expected a failure, got ${outcome.events.length} events`);
  return outcome;
}

describe('parseRecord: bad input gives a typed failure that keeps the raw bytes', () => {
  it('invalid UTF-8', () => {
    const raw = Uint8Array.of(...bytes('<13>Oct 11 22:14:15 h app: caf'), 0xe9, 0x20, 0x6f, 0x6b);
    const f = failureOf(raw);
    expect(f).toMatchObject({
      code: 'invalid_utf8',
      sourceAddress: '192.0.2.10',
      receivedAt: '2024-10-11T22:14:20.000Z',
    });
    expect(f.reason).toMatch(/not valid UTF-8 \(first bad byte near offset 3[01]\)/);
    expect(f.raw).toBe(raw);
  });

  it('records over the size limit; a 1 MB line under the default limit still parses', () => {
    const big = `<13>Oct 11 22:14:15 h app: ${'A'.repeat(1_000_000)}`;
    const outcome = parseRecord(bytes(big), context);
    expect(outcome.kind).toBe('events');
    expect(failureOf(bytes(big), { maxBytes: 65_536 }).code).toBe('too_large');
    expect(failureOf(big, { maxBytes: 65_536 }).code).toBe('too_large');
    const tooBig = bytes(`{"a":"${'x'.repeat(1_100_000)}"}`);
    expect(failureOf(tooBig)).toMatchObject({ code: 'too_large' });
  });

  it('binary garbage, empty records, unrecognised text', () => {
    // gzip magic: 0x8b is not UTF-8.
    expect(failureOf(Uint8Array.of(0x1f, 0x8b, 0x08, 0x00))).toMatchObject({
      code: 'invalid_utf8',
    });
    // zip magic: valid UTF-8, but control bytes.
    expect(failureOf(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00))).toMatchObject({
      code: 'binary',
      reason: expect.stringMatching(/control byte 0x03 at offset 2/),
    });
    expect(failureOf('\r\n')).toMatchObject({ code: 'empty' });
    expect(failureOf('just some words')).toMatchObject({
      code: 'unrecognised_format',
      reason: 'not syslog, CEF or JSON',
    });
  });

  it('deep JSON nesting is refused before parsing', () => {
    expect(failureOf('['.repeat(100_000) + ']'.repeat(100_000))).toMatchObject({
      code: 'too_deep',
      format: 'json',
    });
    expect(failureOf(`{"a":${'{"b":'.repeat(70)}1${'}'.repeat(70)}}`).code).toBe('too_deep');
    // Brackets inside strings do not count.
    expect(parseRecord(`{"a":"${'['.repeat(1000)}"}`, context).kind).toBe('events');
  });

  it('malformed records name the problem and the format tried', () => {
    expect(failureOf('{"a":')).toMatchObject({ code: 'malformed', format: 'json' });
    expect(failureOf('{"a":').reason).toMatch(/^invalid JSON/);
    expect(failureOf('<14>1 - host app - - [x a="1')).toMatchObject({
      code: 'malformed',
      format: 'syslog',
    });
    expect(failureOf('CEF:0|only|three')).toMatchObject({ code: 'malformed', format: 'cef' });
    expect(failureOf('"a string"')).toMatchObject({ code: 'unrecognised_format' });
    expect(failureOf('[1,2]').reason).toMatch(/element 0 is not a JSON object/);
  });

  it('a hint that does not fit the record is a failure, not a guess', () => {
    expect(failureOf('<13>Oct 11 22:14:15 h app: x', { hint: 'json' })).toMatchObject({
      code: 'unrecognised_format',
    });
    expect(failureOf('{"a":1}', { hint: 'zeek' })).toMatchObject({
      code: 'malformed',
      reason: 'record is not zeek JSON',
    });
    expect(parseRecord('{"ts":1,"id.orig_h":"1.2.3.4"}', { ...context, hint: 'zeek' }).kind).toBe(
      'events',
    );
  });

  it('keeps string input as UTF-8 bytes', () => {
    expect(new TextDecoder().decode(failureOf('héllo').raw)).toBe('héllo');
  });
});

/** mulberry32: small, seeded, good enough to spread fuzz inputs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
  '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] \uFEFFmsg',
  'Oct  1 03:12:45 web-01 sshd[28871]: Failed password for invalid user admin from 203.0.113.9 port 52113 ssh2',
  'CEF:0|Security|threatmanager|1.0|100|worm \\| stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 msg=a\\=b',
  '{"Event":{"System":{"EventID":4625,"Channel":"Security","Computer":"h"},"EventData":{"IpAddress":"1.2.3.4"}}}',
  '{"ts":1728684855.1,"uid":"C1","id.orig_h":"1.2.3.4","id.orig_p":1,"id.resp_h":"5.6.7.8","id.resp_p":22,"proto":"tcp","conn_state":"S0"}',
  '{"timestamp":"2024-10-11T22:14:15.1+0000","event_type":"dns","src_ip":"1.2.3.4","dns":{"queries":[{"rrname":"a"}],"answers":[{"rrtype":"A","rdata":"1.1.1.1"}]}}',
  '{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2024-10-11T22:14:15Z","userIdentity":{"arn":"arn:aws:iam::1:user/u"}}]}',
  '{"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":1,"event_data":{"Image":"C:\\\\a.exe","ProcessId":"0x1"}}}',
  '<189>2051: *Oct 11 22:14:15.123: %SYS-5-CONFIG_I: Configured from console',
];
const SPECIAL = [
  '<',
  '>',
  '[',
  ']',
  '"',
  '\\',
  '|',
  '=',
  ':',
  '{',
  '}',
  ' ',
  '\n',
  '\uFEFF',
  '-',
  '0',
  'CEF:',
  '{"',
  '%',
];

describe('parseRecord fuzz (seeded, bounded)', () => {
  it('never throws and never hits a parser error on 4000 mutated and random inputs', () => {
    const next = random(0xc0d0);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    let events = 0;
    let failures = 0;
    for (let i = 0; i < 4000; i++) {
      let raw: Uint8Array;
      const mode = next();
      if (mode < 0.15) {
        raw = new Uint8Array(Math.floor(next() * 300));
        for (let j = 0; j < raw.length; j++) raw[j] = Math.floor(next() * 256);
      } else {
        let text = pick(SEEDS);
        const edits = 1 + Math.floor(next() * 6);
        for (let k = 0; k < edits; k++) {
          const at = Math.floor(next() * (text.length + 1));
          const op = next();
          if (op < 0.4) text = text.slice(0, at) + pick(SPECIAL) + text.slice(at);
          else if (op < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 8));
          else if (op < 0.85) text = text.slice(0, at);
          else text = text.slice(0, at) + text.slice(at).repeat(1 + Math.floor(next() * 3));
        }
        raw = new TextEncoder().encode(text);
        if (next() < 0.05 && raw.length > 0) raw[Math.floor(next() * raw.length)] = 0xff;
      }
      const outcome = parseRecord(raw, {
        receivedAt: RECEIVED_AT,
        hint: next() < 0.8 ? 'auto' : pick(['syslog', 'json', 'cef', 'windows'] as const),
      });
      if (outcome.kind === 'failure') {
        failures++;
        expect(outcome.reason).not.toMatch(/^parser error/);
        expect(outcome.reason.length).toBeGreaterThan(0);
        expect(outcome.raw).toBe(raw);
      } else {
        for (const event of outcome.events) {
          events++;
          expect(Number.isNaN(Date.parse(event['@timestamp']))).toBe(false);
          expect(event.log_source).toBeTypeOf('object');
          expect(event.fields).toBeTypeOf('object');
          expect(() => JSON.stringify(event)).not.toThrow();
        }
      }
    }
    // Both paths are exercised: the fuzz is not all failures or all events.
    expect(events).toBeGreaterThan(500);
    expect(failures).toBeGreaterThan(500);
  });
});

describe('parseJsonValue', () => {
  it('parses already-parsed objects, arrays and text lines like parseRecord', () => {
    const record = {
      ts: 1728684855.1,
      uid: 'C1',
      'id.orig_h': '198.51.100.9',
      'id.resp_h': '10.0.0.5',
      'id.resp_p': 22,
      proto: 'tcp',
      conn_state: 'S0',
    };
    const outcome = parseJsonValue(record, context);
    expect(outcome.kind === 'events' && outcome.events[0]!.log_source).toEqual({
      product: 'zeek',
      service: 'conn',
    });
    const line = parseJsonValue(
      '<13>Oct 11 22:14:15 h sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2',
      context,
    );
    expect(line.kind === 'events' && line.events[0]!.event.outcome).toBe('failure');
  });

  it('refuses deep, oversized and non-object values with their JSON text as raw bytes', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(parseJsonValue(deep, context)).toMatchObject({ kind: 'failure', code: 'too_deep' });
    expect(parseJsonValue({ a: 'x'.repeat(2000) }, { ...context, maxBytes: 1000 })).toMatchObject({
      code: 'too_large',
    });
    const scalar = parseJsonValue(42, context);
    expect(scalar).toMatchObject({ kind: 'failure', code: 'unrecognised_format' });
    expect(scalar.kind === 'failure' && new TextDecoder().decode(scalar.raw)).toBe('42');
  });
});

// issue 13, siblings of the long-values class: a 64 KB "user name" was copied into user.name
// and related.user besides fields and the original, stored, indexed and serialised four times.
describe('parseRecord: entity fields hold names, not payloads', () => {
  const windows = (user: string, host = 'ws1') =>
    JSON.stringify({
      '@timestamp': '2026-11-27T09:00:00.000Z',
      winlog: {
        channel: 'Security',
        event_id: 4625,
        provider_name: 'Microsoft-Windows-Security-Auditing',
        computer_name: host,
        event_data: { TargetUserName: user },
      },
    });
  const only = (line: string) => {
    const outcome = parseRecord(line, { ...context, hint: 'json' });
    if (outcome.kind !== 'events') throw new Error(outcome.reason);
    return outcome.events[0]! as unknown as Record<string, Record<string, unknown> | undefined>;
  };

  it('keeps a name of 1,024 characters where it belongs', () => {
    const event = only(windows('u'.repeat(1024)));
    expect(event['user']?.['name']).toBe('u'.repeat(1024));
    expect(event['related']?.['user']).toEqual(['u'.repeat(1024)]);
    expect(event['tags'] ?? []).not.toContain('entity_value_too_long');
  });

  it('leaves a longer one out of user.name and related.user, keeps it in fields, and tags the event', () => {
    const long = `${'ab'.repeat(32 * 1024)}1`;
    const line = windows(long, 'h'.repeat(2000));
    const event = only(line);
    expect(event['user']?.['name']).toBeUndefined();
    expect(event['host']?.['name']).toBeUndefined();
    expect(event['related']).toBeUndefined();
    expect(event['fields']?.['TargetUserName']).toBe(long);
    expect(event['event']?.['original']).toBe(line);
    expect(event['tags']).toContain('entity_value_too_long');
    // The stored document holds the value twice (the original and the source's field), not 4×.
    expect(JSON.stringify(event).length).toBeLessThan(2.1 * long.length);
  });
});
