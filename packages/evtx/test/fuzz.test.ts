/**
 * Seeded, bounded fuzzing over real samples: bit flips, overwritten runs, truncations and
 * chunks spliced from other files. Every mutant must read to the end without a crash or a
 * hang, every item must be a record or a reported problem, and only a file whose header is
 * no longer EVTX may be refused as a whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EvtxFormatError,
  flattenEvent,
  readEvtx,
  recordFlat,
  recordJson,
  recordXml,
} from '../src/index.ts';
import { requireData } from './regression-json.ts';

const dir = requireData('evtx/parser-edge-cases');
const SEED = 0x5eed_e7f0;
const MUTANTS = 240;
const CHUNK = 65536;
const HEADER = 4096;

const SAMPLES = [
  'security.evtx',
  'sysmon.evtx',
  'E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx',
  'issue_201.evtx',
  'Security_with_size_t.evtx',
];

/** mulberry32: small, fast, reproducible. */
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

describe.skipIf(!dir)('fuzzing', () => {
  const files = dir ? SAMPLES.map((name) => readFileSync(join(dir, name))) : [];

  it(`survives ${MUTANTS} mutants of real files`, { timeout: 300_000 }, () => {
    const next = random(SEED);
    const pick = (n: number): number => Math.floor(next() * n);
    let records = 0;
    let problems = 0;
    for (let m = 0; m < MUTANTS; m++) {
      const source = files[pick(files.length)]!;
      // Keep mutants small: the first few chunks hold every structure worth damaging.
      let bytes: Uint8Array = source.slice(
        0,
        Math.min(source.length, HEADER + CHUNK * (1 + pick(3))),
      );
      const kind = m % 4;
      if (kind === 0) {
        // Bit flips, concentrated in chunk headers and record bodies.
        for (let i = 0, n = 1 + pick(64); i < n; i++) {
          const at = HEADER + pick(bytes.length - HEADER);
          bytes[at]! ^= 1 << pick(8);
        }
      } else if (kind === 1) {
        // A run of random bytes over structure (names, templates, substitution arrays).
        const at = HEADER + pick(bytes.length - HEADER);
        for (let i = at, end = Math.min(bytes.length, at + 1 + pick(512)); i < end; i++)
          bytes[i] = pick(256);
      } else if (kind === 2) {
        bytes = bytes.subarray(0, pick(bytes.length));
      } else {
        // A chunk from another file spliced in place of one of ours.
        const other = files[pick(files.length)]!;
        const chunks = Math.floor((other.length - HEADER) / CHUNK);
        const from = HEADER + CHUNK * pick(Math.max(1, chunks));
        const into =
          HEADER + CHUNK * pick(Math.max(1, Math.floor((bytes.length - HEADER) / CHUNK)));
        bytes.set(
          other.subarray(from, Math.min(from + CHUNK, other.length, from + bytes.length - into)),
          into,
        );
      }
      try {
        for (const item of readEvtx(bytes)) {
          if (item.kind === 'record') {
            records++;
            // Rendering must hold for whatever the parser accepted.
            const json = recordJson(item);
            JSON.stringify(json);
            recordXml(item);
            // The direct flat view agrees with the one built from the JSON, damaged or not.
            expect(Object.entries(recordFlat(item))).toEqual(Object.entries(flattenEvent(json)));
          } else {
            problems++;
            expect(item.reason.length).toBeGreaterThan(0);
          }
        }
      } catch (error) {
        // Only a file that is no longer EVTX at all may be refused whole.
        expect(error).toBeInstanceOf(EvtxFormatError);
        expect((error as EvtxFormatError).code).toBe('not-evtx');
      }
    }
    expect(records).toBeGreaterThan(1000);
    expect(problems).toBeGreaterThan(0);
  });

  it('refuses hostile nesting without exhausting the stack', () => {
    // One record made of elements nested ever deeper, all named by one name in the chunk.
    const bytes = new Uint8Array(HEADER + CHUNK);
    bytes.set(new TextEncoder().encode('ElfFile\0'), 0);
    bytes.set(new TextEncoder().encode('ElfChnk\0'), HEADER);
    const chunk = bytes.subarray(HEADER);
    const view = new DataView(chunk.buffer, chunk.byteOffset);
    view.setUint32(48, CHUNK, true);
    const NAME = 200;
    view.setUint16(NAME + 6, 1, true);
    view.setUint16(NAME + 8, 0x41, true); // "A"
    view.setUint32(512, 0x2a2a, true);
    view.setUint32(516, CHUNK - 512, true);
    for (let at = 512 + 24; at + 10 < CHUNK - 4; at += 10) {
      chunk[at] = 0x01; // open start element
      view.setUint32(at + 5, NAME, true);
      chunk[at + 9] = 0x02; // close start: children follow
    }
    const items = [...readEvtx(bytes)].filter((item) => item.kind !== 'warning');
    expect(items).toEqual([
      expect.objectContaining({ kind: 'error', reason: expect.stringContaining('too deeply') }),
    ]);
  });

  it('refuses templates that would expand exponentially', () => {
    // 10 templates, each an element holding four instances of the next: 4^10 nodes if expanded.
    const bytes = new Uint8Array(HEADER + CHUNK);
    bytes.set(new TextEncoder().encode('ElfFile\0'), 0);
    bytes.set(new TextEncoder().encode('ElfChnk\0'), HEADER);
    const chunk = bytes.subarray(HEADER);
    const view = new DataView(chunk.buffer, chunk.byteOffset);
    const NAME = 200;
    view.setUint16(NAME + 6, 1, true);
    view.setUint16(NAME + 8, 0x41, true);
    const LEVELS = 10;
    const templateAt = (level: number): number => 1024 + level * 128;
    for (let level = 0; level < LEVELS; level++) {
      const at = templateAt(level);
      let p = at + 24;
      chunk.set([0x0f, 1, 1, 0], p);
      p += 4;
      chunk[p] = 0x01; // element, with dependency identifier (template definitions have it)
      view.setUint32(p + 7, NAME, true);
      p += 11;
      if (level === LEVELS - 1) {
        chunk[p++] = 0x03;
      } else {
        chunk[p++] = 0x02;
        for (let copy = 0; copy < 4; copy++) {
          chunk[p] = 0x0c;
          view.setUint32(p + 6, templateAt(level + 1), true);
          p += 14; // instance header and a zero substitution count
        }
        chunk[p++] = 0x04;
      }
      chunk[p++] = 0x00;
      view.setUint32(at + 20, p - (at + 24), true);
    }
    view.setUint32(512, 0x2a2a, true);
    view.setUint32(516, 64, true);
    chunk.set([0x0f, 1, 1, 0, 0x0c], 512 + 24);
    view.setUint32(512 + 24 + 4 + 6, templateAt(0), true);
    view.setUint32(48, 512 + 64, true);
    const items = [...readEvtx(bytes)].filter((item) => item.kind !== 'warning');
    expect(items).toEqual([
      expect.objectContaining({ kind: 'error', reason: expect.stringContaining('too many nodes') }),
    ]);
  });
});
