/**
 * Fuzzing every telemetry parser an attacker can reach with one log line: syslog (RFC 3164
 * and 5424), CEF, generic JSON, Windows events, Zeek, Suricata EVE, CloudTrail, netfilter
 * kernel lines and agent telemetry, under each format hint and under `auto`; and Zeek's TSV
 * logs, whose header lines shape the lines after them, as whole files through
 * `LineRecordReader`. `parseRecord` promises never to throw and to answer
 * events or a typed failure; the fuzz holds it to more than that:
 *
 * - a parser exception caught by `parseRecord`'s safety net (`parser error: …`) is a bug,
 *   not a dead letter: it fails the case;
 * - every failure has a known code, a reason and the raw bytes, unchanged;
 * - every event has a valid time, and what the events hold is bounded by the input
 *   (at most 16 times the record's size, at least 1 KiB counted), so no line amplifies memory;
 * - no single record takes more than a second.
 */
import type { IngestFormat, ParseFailureCode } from '@cordon/ingest';
import { INGEST_FORMATS, LineRecordReader, parseRecord } from '@cordon/ingest';
import {
  AGENT_CONNECTION,
  AGENT_PROCESS,
  NETFILTER_ACCEPT_BARE,
  NETFILTER_DROP,
  NETFILTER_ICMP6,
  ZEEK_TSV_LOGS,
} from '@cordon/ingest/testing/sensors';
import {
  CEF_FIREWALL_DENY,
  CLOUDTRAIL_CONSOLE_LOGIN_FAILED,
  CLOUDTRAIL_SERVICE_CALL,
  CLOUDTRAIL_STOP_LOGGING,
  EVE_ALERT,
  EVE_DNS,
  EVE_FLOW,
  EVE_HTTP,
  EVTX_4624,
  EVTX_4688,
  NXLOG_4672,
  SSH_FAILURE_LINE,
  SYSMON_1,
  SYSMON_3,
  WINLOGBEAT_4625,
  ZEEK_CONN,
  ZEEK_DNS,
  ZEEK_HTTP,
} from '@cordon/ingest/testing';
import { describe, expect, it } from 'vitest';
import { fuzz, utf8 } from './fuzz-kit.ts';

const FAILURE_CODES: readonly ParseFailureCode[] = [
  'empty',
  'too_large',
  'invalid_utf8',
  'binary',
  'unrecognised_format',
  'malformed',
  'too_deep',
];

const SYSLOG = [
  SSH_FAILURE_LINE(7),
  '<34>1 2024-10-11T22:14:15.003Z mymachine.example.com su 1234 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][origin ip="198.51.100.7"] BOM\'su root\' failed for lonvick on /dev/pts/8',
  '<13>Oct 11 22:14:15 web01 sudo:   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash',
  '<86>Oct 11 22:14:15 bastion sshd[4242]: Accepted publickey for deploy from 203.0.113.5 port 51000 ssh2: ED25519 SHA256:abc',
  `<38>1 2024-10-11T22:14:15Z fw01 - - - - ${CEF_FIREWALL_DENY}`,
];
const JSON_SAMPLES = [
  WINLOGBEAT_4625,
  EVTX_4624,
  EVTX_4688,
  NXLOG_4672,
  SYSMON_1,
  SYSMON_3,
  CLOUDTRAIL_CONSOLE_LOGIN_FAILED,
  CLOUDTRAIL_STOP_LOGGING,
  CLOUDTRAIL_SERVICE_CALL,
].map((value) => JSON.stringify(value));
const NETWORK = [
  ZEEK_CONN,
  ZEEK_DNS,
  ZEEK_HTTP,
  EVE_ALERT,
  EVE_FLOW,
  EVE_DNS,
  EVE_HTTP,
  NETFILTER_DROP,
  NETFILTER_ACCEPT_BARE,
  NETFILTER_ICMP6,
  AGENT_CONNECTION,
  AGENT_PROCESS,
];
const ZEEK_TSV_FILES = Object.values(ZEEK_TSV_LOGS).map(utf8);

const SAMPLES = [...SYSLOG, CEF_FIREWALL_DENY, ...JSON_SAMPLES, ...NETWORK].map(utf8);

const DICTIONARY = [
  '<13>',
  '<191>1 ',
  '<999999999999>',
  '1 - - - - - ',
  '[a b="c"]',
  '[x@1 a="\\"\\]\\\\"]',
  'CEF:0|',
  '|',
  '\\|',
  '\\=',
  ' cs1Label=',
  ' rt=',
  '=',
  '"',
  '\\u0000',
  '\\ud800',
  '{',
  '}',
  '[',
  ']',
  '{"a":',
  '[[[[[[[[[[[[[[[[[[[[',
  '{"__proto__":{"x":1}}',
  '"constructor":',
  '"@timestamp":"',
  '"ts":',
  '"ts":1e309',
  '"ts":-1e20,',
  '"timestamp":"9999-99-99T',
  '"event_type":"alert",',
  '"eventName":"ConsoleLogin",',
  '"EventID":4625,',
  '"winlog":{"event_data":',
  '"id.orig_h":"::ffff:1.2.3.4",',
  '"src_ip":"999.1.1.1",',
  'Failed password for ',
  ' from 1.2.3.4 port 22 ssh2',
  'Invalid user ',
  ' Oct 32 25:61:61 ',
  '2024-13-40T99:99:99Z',
  '\r\n',
  '\u2028',
  '\uFEFF',
  '%%1833',
  '\t',
  '\n#separator \\x09\n',
  '\n#separator ,\n',
  '\n#fields\t',
  '\n#types\t',
  '\n#set_separator\t\t\n',
  '\n#unset_field\t\n',
  '\n#empty_field\t-\n',
  '(empty)',
  '\\x',
  '\\xff',
  'set[set[string]]',
  'vector[',
  '\t-\t',
  ' IN=eth0 OUT= ',
  ' SRC=::1 DST=',
  ' PROTO=TCP SPT=99999 DPT=',
  ' MAC=ff:ff',
  '"dataset":"agent.process",',
];

/** What a record's events weigh, roughly, in bytes. */
function weight(value: unknown): number {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v))
    .length;
}

const HINTS: readonly IngestFormat[] = INGEST_FORMATS;
const CASES_PER_HINT = 3000;
const MAX_INPUT_BYTES = 64 * 1024;

describe('fuzzing the telemetry parsers (issue 13: keep them closed)', () => {
  for (const hint of HINTS) {
    it(`parseRecord with hint ${hint}: no crash, typed failures, bounded output`, async () => {
      const receivedAt = new Date('2024-10-11T22:14:20.000Z');
      const seed = 0x13f0 + HINTS.indexOf(hint);
      const seen = { events: 0, failures: 0 };
      const figures = await fuzz({
        seed,
        cases: CASES_PER_HINT,
        samples: SAMPLES,
        mutation: { dictionary: DICTIONARY, maxBytes: MAX_INPUT_BYTES },
        target: (input) => {
          const outcome = parseRecord(input, { receivedAt, hint, sourceAddress: '192.0.2.1' });
          if (outcome.kind === 'failure') {
            if (outcome.reason.startsWith('parser error:'))
              throw new Error(`a parser threw: ${outcome.reason}`);
            expect(FAILURE_CODES).toContain(outcome.code);
            expect(outcome.reason.length).toBeGreaterThan(0);
            expect(Buffer.from(outcome.raw).equals(Buffer.from(input))).toBe(true);
            seen.failures++;
            return outcome.raw.byteLength;
          }
          seen.events++;
          for (const event of outcome.events) {
            expect(Number.isNaN(Date.parse(event['@timestamp']))).toBe(false);
          }
          return weight(outcome.events);
        },
      });
      expect(figures.slowestMs).toBeLessThan(1000);
      expect(figures.maxAmplification).toBeLessThan(16);
      // Both ways out were taken: the mutants are neither all refused nor all accepted.
      expect(seen.events).toBeGreaterThan(10);
      expect(seen.failures).toBeGreaterThan(10);
    });
  }

  it('Zeek TSV files line by line through LineRecordReader: no crash, typed failures, bounded output', async () => {
    const receivedAt = new Date('2024-10-11T22:14:20.000Z');
    const seen = { events: 0, failures: 0 };
    const figures = await fuzz({
      seed: 0x2e3c,
      cases: CASES_PER_HINT,
      samples: ZEEK_TSV_FILES,
      mutation: { dictionary: DICTIONARY, maxBytes: MAX_INPUT_BYTES },
      target: (input) => {
        const reader = new LineRecordReader({ receivedAt, hint: 'auto' });
        let out = 0;
        for (const line of Buffer.from(input).toString('latin1').split('\n')) {
          if (line === '') continue;
          const outcome = reader.read(Buffer.from(line, 'latin1'));
          if (outcome.kind === 'header') continue;
          if (outcome.kind === 'failure') {
            if (outcome.reason.startsWith('parser error:'))
              throw new Error(`a parser threw: ${outcome.reason}`);
            expect(FAILURE_CODES).toContain(outcome.code);
            seen.failures++;
            out += outcome.raw.byteLength;
            continue;
          }
          seen.events++;
          for (const event of outcome.events) {
            expect(Number.isNaN(Date.parse(event['@timestamp']))).toBe(false);
          }
          out += weight(outcome.events);
        }
        expect(reader.zeekHeader?.fields.length ?? 0).toBeLessThanOrEqual(256);
        return out;
      },
    });
    expect(figures.slowestMs).toBeLessThan(1000);
    expect(figures.maxAmplification).toBeLessThan(16);
    expect(seen.events).toBeGreaterThan(10);
    expect(seen.failures).toBeGreaterThan(10);
  });
});
