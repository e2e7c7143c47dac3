/**
 * Fuzzing syslog stream framing (RFC 6587 octet counting and LF-terminated lines), as a TCP
 * or TLS listener feeds it: mutated streams cut into random chunks. Properties:
 *
 * - it never throws and never hands out a message larger than its limit;
 * - what it frames does not depend on how the stream was cut (the same stream in one piece
 *   and in random pieces gives the same messages and errors) — a sender cannot smuggle a
 *   second message or hide one by choosing where TCP segments end;
 * - a message's bytes come from the stream: the messages together are never longer than it.
 */
import type { FrameEvent } from '@cordon/ingest';
import { SyslogStreamDecoder } from '@cordon/ingest';
import { describe, expect, it } from 'vitest';
import type { Dice } from './fuzz-kit.ts';
import { fuzz, utf8 } from './fuzz-kit.ts';

const MAX_MESSAGE_BYTES = 2048;
const line = (n: number): string =>
  `<38>Oct 11 22:14:${String(n % 60).padStart(2, '0')} bastion sshd[${n}]: Failed password for root from 198.51.100.${n % 250} port ${40000 + n} ssh2`;
const octets = (message: string): string => `${utf8(message).byteLength} ${message}`;

const SAMPLES = [
  Array.from({ length: 8 }, (_, i) => `${line(i)}\n`).join(''),
  Array.from({ length: 8 }, (_, i) => octets(line(i))).join(''),
  `${octets(line(1))}${octets('<13>1 - h a - - - x')}`,
  `${line(1)}\r\n${line(2)}\r\n`,
  `${'9'.repeat(12)} ${line(3)}`,
  `${octets('x'.repeat(MAX_MESSAGE_BYTES + 10))}${octets(line(4))}`,
].map(utf8);

const DICTIONARY = ['\n', '\r\n', '0 ', '1 ', '99999 ', '4294967296 ', '-1 ', '<', ' ', '\u0000'];

interface Framed {
  readonly messages: string[];
  readonly errors: string[];
}

function frame(
  stream: Uint8Array,
  cuts: readonly number[],
  framing: 'auto' | 'octet_counting' | 'non_transparent',
): Framed {
  const decoder = new SyslogStreamDecoder({ maxMessageBytes: MAX_MESSAGE_BYTES, framing });
  const out: FrameEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, stream.byteLength]) {
    out.push(...decoder.push(stream.subarray(start, cut)));
    start = cut;
  }
  out.push(...decoder.end());
  const framed: Framed = { messages: [], errors: [] };
  for (const event of out) {
    if (event.kind === 'message') {
      expect(event.bytes.byteLength).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
      framed.messages.push(Buffer.from(event.bytes).toString('base64'));
    } else {
      expect(event.reason.length).toBeGreaterThan(0);
      framed.errors.push(`${event.code}:${event.fatal}`);
    }
  }
  return framed;
}

function randomCuts(length: number, d: Dice): number[] {
  const cuts: number[] = [];
  let at = 0;
  while (at < length) {
    at += 1 + d.int(d.chance(0.3) ? 4 : 200);
    if (at < length) cuts.push(at);
  }
  return cuts;
}

describe('fuzzing syslog stream framing (issue 13: keep them closed)', () => {
  for (const framing of ['auto', 'octet_counting', 'non_transparent'] as const) {
    it(`frames the same whatever the chunking (${framing})`, async () => {
      const figures = await fuzz({
        seed: 0x5f5a + framing.length,
        cases: 1500,
        samples: SAMPLES,
        mutation: { dictionary: DICTIONARY, maxBytes: 32 * 1024 },
        target: (stream, d) => {
          const whole = frame(stream, [], framing);
          const pieces = frame(stream, randomCuts(stream.byteLength, d), framing);
          const bytewise = frame(
            stream,
            Array.from({ length: Math.min(stream.byteLength, 600) }, (_, i) => i + 1),
            framing,
          );
          expect(pieces).toEqual(whole);
          if (stream.byteLength <= 600) expect(bytewise).toEqual(whole);
          const total = whole.messages.reduce((n, m) => n + Buffer.from(m, 'base64').byteLength, 0);
          expect(total).toBeLessThanOrEqual(stream.byteLength);
          return total;
        },
      });
      expect(figures.slowestMs).toBeLessThan(1000);
    });
  }
});
