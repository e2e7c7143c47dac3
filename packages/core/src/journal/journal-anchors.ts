/**
 * Checks a journal against what is kept outside its database: the witness (every checkpoint
 * the server signed, appended to a file or sent to another system as it was made) and a head
 * the operator expects (`--expect-head`). Someone who can edit the database can delete the
 * last entries together with the checkpoints that covered them and leave a chain that holds;
 * only an anchor outside the database can tell that the journal once went further.
 */
import type { JournalCheckpoint } from './checkpoint.ts';
import { checkpointHash, checkpointMessage } from './checkpoint.ts';
import type { SignatureCheck } from './checkpoint-chain-check.ts';
import { describeCheckpoint, missingRange, span } from './checkpoint-chain-check.ts';
import type { JournalFailure } from './journal-verifier.ts';

/** A checkpoint as read from the witness, with the line it was on. */
export interface WitnessedCheckpoint {
  readonly line: number;
  readonly checkpoint: JournalCheckpoint;
}

export interface JournalWitness {
  /** Where it was read from, for the report (a file path). */
  readonly source: string;
  /** This journal's lines, in the order they were written. */
  readonly checkpoints: readonly WitnessedCheckpoint[];
  /** A line that is not a checkpoint (reading stopped there). */
  readonly unreadable?: { readonly line: number; readonly reason: string } | undefined;
}

export interface ExpectedHead {
  readonly seq: number;
  readonly hash?: string | undefined;
}

export type AnchorCheck =
  | { readonly kind: 'held'; readonly warnings: readonly string[] }
  | { readonly kind: 'broken'; readonly failure: JournalFailure };

const iso = (at: number): string => new Date(at).toISOString();

export function checkWitness(options: {
  readonly witness: JournalWitness;
  /** The database's checkpoints (already verified as a chain). */
  readonly checkpoints: readonly JournalCheckpoint[];
  readonly verifySignature: SignatureCheck;
}): AnchorCheck {
  const { witness } = options;
  if (witness.unreadable) {
    return broken(
      0,
      `witness line ${witness.unreadable.line} is not a signed checkpoint: ${witness.unreadable.reason}`,
    );
  }
  const byNumber = new Map<number, JournalCheckpoint>();
  let newestStored: JournalCheckpoint | undefined;
  for (const c of options.checkpoints) {
    if (!c.chain) continue;
    byNumber.set(c.chain.number, c);
    if (!newestStored?.chain || c.chain.number > newestStored.chain.number) newestStored = c;
  }
  let newestWitnessed: WitnessedCheckpoint | undefined;
  for (const w of witness.checkpoints) {
    const c = w.checkpoint;
    if (!options.verifySignature(c.keyId, checkpointMessage(c), c.signature)) {
      return broken(
        c.seq,
        `witness line ${w.line}: the signature of ${describeCheckpoint(c)} does not verify`,
      );
    }
    const number = c.chain?.number ?? 0;
    if (!newestWitnessed || number > (newestWitnessed.checkpoint.chain?.number ?? 0))
      newestWitnessed = w;
  }
  const newestNumber = newestWitnessed?.checkpoint.chain?.number ?? 0;
  const storedNumber = newestStored?.chain?.number ?? 0;
  if (newestWitnessed && newestNumber > storedNumber) {
    const w = newestWitnessed.checkpoint;
    const storedSeq = newestStored?.seq ?? 0;
    const stored = newestStored
      ? `the database's newest is ${describeCheckpoint(newestStored)}`
      : 'the database holds no chained checkpoint';
    const entries =
      w.seq > storedSeq ? ` and ${span(storedSeq + 1, w.seq, 'entry', 'entries')}` : '';
    return broken(
      storedSeq + 1,
      `the tail was cut: the witness (line ${newestWitnessed.line}) records ${describeCheckpoint(w)}, signed at ${iso(w.at)}; ${stored}: ${span(storedNumber + 1, newestNumber, 'checkpoint', 'checkpoints')}${entries} ${entries || newestNumber > storedNumber + 1 ? 'are' : 'is'} missing`,
    );
  }
  for (const w of witness.checkpoints) {
    const number = w.checkpoint.chain?.number ?? 0;
    const stored = byNumber.get(number);
    if (!stored) {
      return broken(
        w.checkpoint.seq,
        `checkpoint ${number} of the witness (line ${w.line}) is missing from the database`,
      );
    }
    if (checkpointHash(stored) !== checkpointHash(w.checkpoint)) {
      return broken(
        Math.min(stored.seq, w.checkpoint.seq),
        `${describeCheckpoint(stored)} in the database differs from the witness (line ${w.line}: ${describeCheckpoint(w.checkpoint)}, signed at ${iso(w.checkpoint.at)})`,
      );
    }
  }
  const warnings: string[] = [];
  if (!newestWitnessed && newestStored) {
    warnings.push(`the witness ${witness.source} holds no checkpoint of this journal`);
  } else if (newestStored && storedNumber > newestNumber) {
    warnings.push(
      `the witness ends at checkpoint ${newestNumber}; the database goes on to ${describeCheckpoint(newestStored)} (signed without this witness?)`,
    );
  }
  return { kind: 'held', warnings };
}

export function checkExpectedHead(options: {
  readonly expected: ExpectedHead;
  readonly lastSeq: number;
  /** The stored hash of entry `expected.seq`, if there is one. */
  readonly hashAtExpected: string | undefined;
}): AnchorCheck {
  const { expected, lastSeq } = options;
  if (expected.seq > lastSeq) {
    return broken(
      lastSeq + 1,
      `${missingRange(lastSeq + 1, expected.seq, 'entry', 'entries')}: the expected head is entry ${expected.seq}, the database's is ${lastSeq}`,
    );
  }
  if (expected.hash !== undefined && options.hashAtExpected !== expected.hash.toLowerCase()) {
    return broken(
      expected.seq,
      `entry ${expected.seq} differs from the expected head (hash ${options.hashAtExpected ?? 'none'}, expected ${expected.hash})`,
    );
  }
  return { kind: 'held', warnings: [] };
}

function broken(seq: number, reason: string): AnchorCheck {
  return { kind: 'broken', failure: { seq, reason } };
}
