/**
 * Checks a journal's checkpoints among themselves: every signature, and the chain — numbers
 * 1, 2, 3 … without a gap, each signing the hash of the one before and an entry count that
 * matches its head. A gap or a broken link means a checkpoint was deleted or replaced, which
 * is how a cut-off tail would otherwise hide (delete the last entries and the checkpoint that
 * covered them). Legacy checkpoints (signed before chaining) may only precede the chain.
 */
import type { JournalCheckpoint } from './checkpoint.ts';
import { checkpointHash, checkpointMessage } from './checkpoint.ts';
import { GENESIS_HASH } from './journal-entry.ts';
import type { JournalFailure } from './journal-verifier.ts';

export type SignatureCheck = (keyId: string, message: string, signatureBase64: string) => boolean;

export type CheckpointChainCheck =
  | {
      readonly kind: 'held';
      readonly legacy: number;
      readonly latest: JournalCheckpoint | undefined;
    }
  | { readonly kind: 'broken'; readonly failure: JournalFailure };

export function describeCheckpoint(checkpoint: JournalCheckpoint): string {
  return checkpoint.chain
    ? `checkpoint ${checkpoint.chain.number} (entry ${checkpoint.seq})`
    : `legacy checkpoint at entry ${checkpoint.seq}`;
}

/** "entry 9" or "entries 9–12": a run of numbers, named. */
export function span(from: number, to: number, one: string, many: string): string {
  return from === to ? `${one} ${from}` : `${many} ${from}–${to}`;
}

/** "checkpoint 3 is missing" or "checkpoints 3–5 are missing". */
export function missingRange(from: number, to: number, one: string, many: string): string {
  return `${span(from, to, one, many)} ${from === to ? 'is' : 'are'} missing`;
}

export function checkCheckpointChain(
  checkpoints: readonly JournalCheckpoint[],
  verifySignature: SignatureCheck,
): CheckpointChainCheck {
  const broken = (seq: number, reason: string): CheckpointChainCheck => ({
    kind: 'broken',
    failure: { seq, reason },
  });
  let legacy = 0;
  let previous: JournalCheckpoint | undefined;
  for (const checkpoint of [...checkpoints].sort((a, b) => a.seq - b.seq)) {
    const name = describeCheckpoint(checkpoint);
    if (!verifySignature(checkpoint.keyId, checkpointMessage(checkpoint), checkpoint.signature)) {
      return broken(checkpoint.seq, `${name} has an invalid signature`);
    }
    const { chain } = checkpoint;
    if (!chain) {
      if (previous?.chain) {
        return broken(checkpoint.seq, `a ${name} follows chained ${describeCheckpoint(previous)}`);
      }
      legacy += 1;
      previous = checkpoint;
      continue;
    }
    const expected = (previous?.chain?.number ?? 0) + 1;
    if (chain.number > expected) {
      const after = previous?.chain
        ? `${describeCheckpoint(previous)} is followed by ${name}`
        : `the first chained checkpoint in the database is ${name}`;
      return broken(
        (previous?.seq ?? 0) + 1,
        `${missingRange(expected, chain.number - 1, 'checkpoint', 'checkpoints')}: ${after}`,
      );
    }
    if (chain.number < expected) {
      return broken(
        checkpoint.seq,
        `${name} is out of order: it follows ${previous ? describeCheckpoint(previous) : 'nothing'}`,
      );
    }
    if (chain.prevHash !== (previous ? checkpointHash(previous) : GENESIS_HASH)) {
      const what = previous ? describeCheckpoint(previous) : 'the start of the chain';
      return broken(
        checkpoint.seq,
        `${name} does not link to ${what}: the checkpoint it signed as its predecessor was removed or replaced`,
      );
    }
    if (chain.entries !== checkpoint.seq) {
      return broken(
        checkpoint.seq,
        `${name} counts ${chain.entries} entries but its head is entry ${checkpoint.seq}`,
      );
    }
    previous = checkpoint;
  }
  return { kind: 'held', legacy, latest: previous };
}
