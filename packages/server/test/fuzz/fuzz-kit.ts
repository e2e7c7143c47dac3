/**
 * The fuzz suite's shared kit: a seeded generator (so a failure names its seed and case and
 * replays exactly), mutations that hit what parsers get wrong (bit flips, control and
 * structural bytes, cut and repeated runs, splices of other samples, tokens of the format,
 * huge repetitions), and one loop that runs a target over the mutants and keeps the figures
 * each suite bounds: the slowest case and how much bigger than its input an answer got.
 *
 * Every case runs under a bound stated by its suite; a case that throws where the parser
 * promised not to, or breaks a property, fails with the case index, the seed and the input.
 */

/** mulberry32: small, fast and reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Dice {
  readonly next: () => number;
  /** 0 … n-1. */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function dice(seed: number): Dice {
  const next = seededRandom(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    chance: (p) => next() < p,
  };
}

/** Bytes parsers tend to treat specially. */
const SPECIAL_BYTES = [
  0x00, 0x01, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x20, 0x22, 0x27, 0x28, 0x29, 0x2a, 0x2c, 0x2d, 0x2e,
  0x2f, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7c, 0x7d, 0x7f, 0x80,
  0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf8, 0xfe, 0xff,
];

export interface MutationOptions {
  /** Tokens of the format (`"key":`, `|`, `<13>1 `, `&a`, …) spliced in at random places. */
  readonly dictionary?: readonly string[];
  /** Other samples whose pieces may be spliced in. */
  readonly donors?: readonly Uint8Array[];
  /** Mutants never grow past this. */
  readonly maxBytes: number;
  /** Mutations applied one after another (1 … this). Default 4. */
  readonly maxSteps?: number;
}

const encoder = new TextEncoder();

/** One mutant of `input`: a few random mutations applied in turn. */
export function mutate(input: Uint8Array, d: Dice, options: MutationOptions): Uint8Array {
  let bytes: Uint8Array = input.slice();
  const steps = 1 + d.int(options.maxSteps ?? 4);
  for (let s = 0; s < steps; s++) bytes = mutateOnce(bytes, d, options);
  return bytes.byteLength > options.maxBytes ? bytes.subarray(0, options.maxBytes) : bytes;
}

function mutateOnce(bytes: Uint8Array, d: Dice, options: MutationOptions): Uint8Array {
  const at = (): number => d.int(bytes.byteLength + 1);
  switch (d.int(9)) {
    case 0: {
      // flip a few bits
      const out = bytes.slice();
      for (let i = 0, n = 1 + d.int(8); i < n && out.byteLength > 0; i++) {
        const p = d.int(out.byteLength);
        out[p] = out[p]! ^ (1 << d.int(8));
      }
      return out;
    }
    case 1: {
      // overwrite with special bytes
      const out = bytes.slice();
      for (let i = 0, n = 1 + d.int(4); i < n && out.byteLength > 0; i++)
        out[d.int(out.byteLength)] = d.pick(SPECIAL_BYTES);
      return out;
    }
    case 2: {
      // delete a run
      const start = at();
      const end = Math.min(bytes.byteLength, start + 1 + d.int(64));
      return concat([bytes.subarray(0, start), bytes.subarray(end)]);
    }
    case 3: {
      // truncate
      return bytes.subarray(0, at());
    }
    case 4: {
      // duplicate a run in place
      const start = at();
      const end = Math.min(bytes.byteLength, start + 1 + d.int(128));
      return concat([bytes.subarray(0, end), bytes.subarray(start, end), bytes.subarray(end)]);
    }
    case 5: {
      // a token of the format
      const dictionary = options.dictionary ?? [];
      if (dictionary.length === 0) return bytes;
      const p = at();
      return concat([bytes.subarray(0, p), encoder.encode(d.pick(dictionary)), bytes.subarray(p)]);
    }
    case 6: {
      // splice a piece of another sample
      const donors = options.donors ?? [];
      if (donors.length === 0) return bytes;
      const donor = d.pick(donors);
      const start = d.int(donor.byteLength + 1);
      const piece = donor.subarray(start, start + 1 + d.int(256));
      const p = at();
      return concat([bytes.subarray(0, p), piece, bytes.subarray(p)]);
    }
    case 7: {
      // repeat a short run many times: long values, deep nesting, amplification
      const start = at();
      const piece = bytes.subarray(start, start + 1 + d.int(8));
      if (piece.byteLength === 0) return bytes;
      const room = Math.max(0, options.maxBytes - bytes.byteLength);
      const times = Math.min(1 + d.int(4096), Math.floor(room / piece.byteLength));
      const parts: Uint8Array[] = [bytes.subarray(0, start)];
      for (let i = 0; i < times; i++) parts.push(piece);
      parts.push(bytes.subarray(start));
      return concat(parts);
    }
    default: {
      // random bytes
      const p = at();
      const noise = new Uint8Array(1 + d.int(32));
      for (let i = 0; i < noise.byteLength; i++) noise[i] = d.int(256);
      return concat([bytes.subarray(0, p), noise, bytes.subarray(p)]);
    }
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export interface FuzzFigures {
  readonly cases: number;
  /** The slowest single case, in ms. */
  readonly slowestMs: number;
  /** The largest `answerBytes / max(inputBytes, 1 KiB)` a case reported. */
  readonly maxAmplification: number;
}

export interface FuzzCase {
  readonly index: number;
  readonly input: Uint8Array;
}

export interface FuzzRun {
  readonly seed: number;
  readonly cases: number;
  /** The inputs mutants are made from. */
  readonly samples: readonly Uint8Array[];
  readonly mutation: Omit<MutationOptions, 'donors'>;
  /**
   * Runs one case and returns the size of what it produced (bytes, roughly), for the
   * amplification bound; throws to fail the case.
   */
  readonly target: (input: Uint8Array, d: Dice) => number | Promise<number>;
}

/** Runs the target over `cases` mutants (the samples themselves first). */
export async function fuzz(run: FuzzRun): Promise<FuzzFigures> {
  const d = dice(run.seed);
  let slowestMs = 0;
  let maxAmplification = 0;
  for (let index = 0; index < run.cases; index++) {
    const sample = run.samples[index % run.samples.length]!;
    const input =
      index < run.samples.length
        ? sample
        : mutate(sample, d, { ...run.mutation, donors: run.samples });
    const started = performance.now();
    let produced: number;
    try {
      produced = await run.target(input, d);
    } catch (error) {
      const shown = new TextDecoder().decode(input.subarray(0, 300));
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      throw new Error(
        `fuzz case ${index} (seed ${run.seed}, ${input.byteLength} bytes, starts ${JSON.stringify(shown)}) failed: ${message}`,
        { cause: error },
      );
    }
    slowestMs = Math.max(slowestMs, performance.now() - started);
    maxAmplification = Math.max(maxAmplification, produced / Math.max(input.byteLength, 1024));
  }
  return { cases: run.cases, slowestMs, maxAmplification };
}

export const utf8 = (text: string): Uint8Array => encoder.encode(text);
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
