import { describe, expect, it } from 'vitest';
import type { FrameEvent, SyslogStreamOptions } from './syslog-stream-decoder.ts';
import { SyslogStreamDecoder } from './syslog-stream-decoder.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Decodes `stream` fed as the given chunks; messages as text, errors as `!code`. */
function decode(chunks: readonly Uint8Array[], options?: SyslogStreamOptions): string[] {
  const d = new SyslogStreamDecoder(options);
  const events: FrameEvent[] = [];
  for (const chunk of chunks) events.push(...d.push(chunk));
  events.push(...d.end());
  return events.map((e) => (e.kind === 'message' ? decoder.decode(e.bytes) : `!${e.code}`));
}

/** The stream cut at every position into two chunks, and fed one byte at a time. */
function everySplit(stream: Uint8Array): Uint8Array[][] {
  const splits: Uint8Array[][] = [];
  for (let at = 0; at <= stream.byteLength; at++)
    splits.push([stream.subarray(0, at), stream.subarray(at)]);
  splits.push([...stream].map((b) => Uint8Array.of(b)));
  return splits;
}

const MESSAGES = [
  "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick",
  '<165>1 2003-10-11T22:14:15.003Z host app - ID47 [a@1 b="c\\"d"] \uFEFFünïcödé',
  '<13>Oct 11 22:14:16 web-01 sshd[1]: Failed password for root from 198.51.100.23 port 1 ssh2',
];

describe('SyslogStreamDecoder', () => {
  it('newline framing (with CRLF and blank lines) survives every split point', () => {
    const stream = encoder.encode(`${MESSAGES[0]}\r\n${MESSAGES[1]}\n\n${MESSAGES[2]}`);
    for (const chunks of everySplit(stream)) {
      expect(decode(chunks)).toEqual(MESSAGES);
    }
  });

  it('octet counting survives every split point, counting bytes not characters', () => {
    const stream = encoder.encode(
      MESSAGES.map((m) => `${encoder.encode(m).byteLength} ${m}`).join(''),
    );
    for (const chunks of everySplit(stream)) {
      const d = new SyslogStreamDecoder();
      const out: string[] = [];
      for (const chunk of chunks)
        for (const e of d.push(chunk))
          out.push(e.kind === 'message' ? decoder.decode(e.bytes) : e.code);
      for (const e of d.end()) out.push(e.kind === 'message' ? decoder.decode(e.bytes) : e.code);
      expect(out).toEqual(MESSAGES);
      expect(d.framing).toBe('octet_counting');
    }
  });

  it('octet-counted messages may contain newlines and be followed by LF trailers', () => {
    const body = '<13>1 - h a - - - line one\nline two';
    expect(decode([encoder.encode(`${encoder.encode(body).byteLength} ${body}\n`)])).toEqual([
      body,
    ]);
  });

  it('file-style lines that start with digits are newline framed', () => {
    const lines = ['2024-10-11T22:14:15Z host app: x', '12 monkeys'];
    expect(decode([encoder.encode(lines.join('\n'))])).toEqual(lines);
    expect(decode([encoder.encode('12 monkeys\n')])).toEqual(['12 monkeys']);
  });

  it('oversized lines are reported with their head and skipped; later lines still arrive', () => {
    const long = 'x'.repeat(5000);
    const stream = encoder.encode(`<13>ok one\n<13>${long}\n<13>ok two\n`);
    for (const chunks of [[stream], [...stream].map((b) => Uint8Array.of(b))]) {
      const d = new SyslogStreamDecoder({ maxMessageBytes: 1000 });
      const events = [...chunks.flatMap((c) => d.push(c)), ...d.end()];
      expect(events.map((e) => (e.kind === 'message' ? decoder.decode(e.bytes) : e.code))).toEqual([
        '<13>ok one',
        'frame_too_large',
        '<13>ok two',
      ]);
      const error = events[1]!;
      expect(error.kind === 'error' && decoder.decode(error.head).startsWith('<13>xxx')).toBe(true);
      expect(error.kind === 'error' && error.head.byteLength <= 1024 && !error.fatal).toBe(true);
    }
  });

  it('oversized octet-counted frames are skipped by their count', () => {
    const big = `<13>1 - h a - - - ${'y'.repeat(3000)}`;
    const stream = encoder.encode(`9 <13>1 a b${big.length} ${big}9 <13>1 c d`);
    expect(decode([stream], { maxMessageBytes: 100 })).toEqual([
      '<13>1 a b',
      '!frame_too_large',
      '<13>1 c d',
    ]);
  });

  it('a broken octet count is fatal and stops the stream', () => {
    const d = new SyslogStreamDecoder({ framing: 'octet_counting' });
    const events = d.push(encoder.encode('9 <13>1 a b9x<13>1 a b9 <13>1 a b'));
    expect(events.map((e) => e.kind)).toEqual(['message', 'error']);
    expect(events[1]).toMatchObject({ code: 'invalid_octet_count', fatal: true });
    expect(d.push(encoder.encode('9 <13>1 a b'))).toEqual([]);
  });

  it('a frame cut by the end of the connection is reported', () => {
    expect(decode([encoder.encode('20 <13>1 short')])).toEqual(['!frame_too_large']);
    expect(decode([encoder.encode('<13>last line without LF')])).toEqual([
      '<13>last line without LF',
    ]);
  });
});
