/**
 * Checks one stretch of a tenant's journal in bounded time, for a screen showing a page of an
 * incident's entries: the entries from the page's first to the checkpoint that signs its last
 * (to the head when no checkpoint does yet) must follow each other without a gap, each linking
 * to the hash of the one before and matching its own hash; that checkpoint's signature must
 * hold and its hash must be the entry's it names. This proves the page's entries are the ones
 * the checkpoint signed. The checkpoints among themselves and the entries before the stretch
 * are the offline verifier's work (`verifyJournal`, `cordon verify`).
 */
import type { JournalCheckpoint } from './checkpoint.ts';
import { checkpointMessage } from './checkpoint.ts';
import type { SignatureCheck } from './checkpoint-chain-check.ts';
import type { JournalEntry } from './journal-entry.ts';
import { journalEntryHash } from './journal-entry.ts';
import type { JournalHead } from './journal-verifier.ts';

export type JournalSpanStatus =
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'verified';
      readonly fromSeq: number;
      readonly toSeq: number;
      /** The checkpoint's number in the chain; null on one signed before chaining. */
      readonly checkpointNumber: number | null;
      /** Epoch milliseconds the checkpoint was signed. */
      readonly checkpointAt: number;
    }
  | {
      readonly kind: 'uncovered';
      readonly fromSeq: number;
      /** The head: the stretch was checked up to it. */
      readonly toSeq: number;
      /** The latest checkpoint's entry, null when the journal has none. */
      readonly coveredToSeq: number | null;
    }
  | { readonly kind: 'broken'; readonly seq: number; readonly reason: string }
  | {
      readonly kind: 'too_long';
      readonly fromSeq: number;
      readonly toSeq: number;
      readonly limit: number;
    };

export interface JournalSpanInput {
  readonly tenantId: string;
  readonly fromSeq: number;
  /** The tenant's entries from `fromSeq` on, ascending, up to the checkpoint's or the head's. */
  readonly entries: Iterable<JournalEntry>;
  /** The checkpoint that signs the page's last entry; undefined when none does yet. */
  readonly checkpoint: JournalCheckpoint | undefined;
  readonly head: JournalHead | undefined;
  /** The latest checkpoint's entry (for the uncovered case). */
  readonly coveredToSeq: number | null;
  readonly verifySignature: SignatureCheck;
}

export function checkJournalSpan(input: JournalSpanInput): JournalSpanStatus {
  const broken = (seq: number, reason: string): JournalSpanStatus => ({
    kind: 'broken',
    seq,
    reason,
  });
  const endSeq = input.checkpoint?.seq ?? input.head?.seq;
  if (endSeq === undefined) return broken(input.fromSeq, 'the journal has no head');
  let expected = input.fromSeq;
  let prevHash: string | undefined;
  const hashes = new Map<number, string>();
  for (const entry of input.entries) {
    const { seq } = entry;
    if (entry.tenantId !== input.tenantId)
      return broken(seq, `entry ${seq} belongs to tenant ${entry.tenantId}`);
    if (seq !== expected)
      return seq > expected
        ? broken(expected, `entry ${expected} is missing (next stored entry is ${seq})`)
        : broken(seq, `entry ${seq} is out of order (expected ${expected})`);
    if (prevHash !== undefined && entry.prevHash !== prevHash)
      return broken(seq, `entry ${seq} does not link to entry ${seq - 1}'s hash`);
    if (journalEntryHash(entry) !== entry.hash)
      return broken(seq, `entry ${seq} was altered: its content does not match its hash`);
    prevHash = entry.hash;
    hashes.set(seq, entry.hash);
    expected += 1;
    if (seq === endSeq) break;
  }
  const lastSeq = expected - 1;
  if (lastSeq < endSeq) {
    const what = input.checkpoint ? 'a signed checkpoint covers it' : 'the journal head counts it';
    return broken(lastSeq + 1, `entry ${lastSeq + 1} is missing: ${what}`);
  }
  const { checkpoint } = input;
  if (checkpoint) {
    const name = checkpoint.chain
      ? `checkpoint ${checkpoint.chain.number}`
      : `the checkpoint at entry ${checkpoint.seq}`;
    if (
      !input.verifySignature(checkpoint.keyId, checkpointMessage(checkpoint), checkpoint.signature)
    )
      return broken(checkpoint.seq, `${name} has an invalid signature`);
    if (hashes.get(checkpoint.seq) !== checkpoint.hash)
      return broken(checkpoint.seq, `entry ${checkpoint.seq} differs from what ${name} signed`);
    return {
      kind: 'verified',
      fromSeq: input.fromSeq,
      toSeq: checkpoint.seq,
      checkpointNumber: checkpoint.chain?.number ?? null,
      checkpointAt: checkpoint.at,
    };
  }
  if (input.head && hashes.get(input.head.seq) !== input.head.hash)
    return broken(input.head.seq, `entry ${input.head.seq} differs from the recorded head`);
  return {
    kind: 'uncovered',
    fromSeq: input.fromSeq,
    toSeq: endSeq,
    coveredToSeq: input.coveredToSeq,
  };
}
