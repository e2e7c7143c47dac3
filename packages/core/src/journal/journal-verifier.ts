/**
 * Recomputes a tenant's journal offline: sequence continuity, each entry's hash, each link to
 * the previous hash, the recorded head, and every signed checkpoint. It stops at the first
 * entry that does not hold and names it, because everything after a broken link is suspect.
 */
import type { JournalCheckpoint } from './checkpoint.ts';
import { checkpointMessage } from './checkpoint.ts';
import type { JournalEntry } from './journal-entry.ts';
import { GENESIS_HASH, journalEntryHash } from './journal-entry.ts';

export interface JournalHead {
  readonly seq: number;
  readonly hash: string;
}

export interface JournalVerificationInput {
  readonly tenantId: string;
  /** Entries in ascending `seq` order, as stored. */
  readonly entries: AsyncIterable<JournalEntry> | Iterable<JournalEntry>;
  readonly head: JournalHead | undefined;
  readonly checkpoints: readonly JournalCheckpoint[];
  /** Verifies an Ed25519 signature with the server's public key for `keyId`. */
  readonly verifySignature: (keyId: string, message: string, signatureBase64: string) => boolean;
}

export interface JournalFailure {
  readonly seq: number;
  readonly reason: string;
}

export interface JournalVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly checkpointsVerified: number;
  readonly lastSeq: number;
  readonly failure?: JournalFailure;
}

export async function verifyJournal(input: JournalVerificationInput): Promise<JournalVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  const hashes = new Map<number, string>();
  const checkpointSeqs = new Set(input.checkpoints.map((c) => c.seq));
  const fail = (seq: number, reason: string): JournalVerification => ({
    ok: false,
    entries: count,
    checkpointsVerified: 0,
    lastSeq: expectedSeq - 1,
    failure: { seq, reason },
  });

  for await (const entry of input.entries) {
    if (entry.tenantId !== input.tenantId) {
      return fail(entry.seq, `entry ${entry.seq} belongs to tenant ${entry.tenantId}`);
    }
    if (entry.seq !== expectedSeq) {
      return entry.seq > expectedSeq
        ? fail(expectedSeq, `entry ${expectedSeq} is missing (next stored entry is ${entry.seq})`)
        : fail(entry.seq, `entry ${entry.seq} is out of order (expected ${expectedSeq})`);
    }
    if (entry.prevHash !== prevHash) {
      return fail(entry.seq, `entry ${entry.seq} does not link to entry ${entry.seq - 1}'s hash`);
    }
    const recomputed = journalEntryHash(entry);
    if (recomputed !== entry.hash) {
      return fail(entry.seq, `entry ${entry.seq} was altered: its content does not match its hash`);
    }
    if (checkpointSeqs.has(entry.seq)) hashes.set(entry.seq, entry.hash);
    prevHash = entry.hash;
    expectedSeq += 1;
    count += 1;
  }
  const lastSeq = expectedSeq - 1;

  if (input.head && (input.head.seq !== lastSeq || input.head.hash !== prevHash)) {
    return input.head.seq > lastSeq
      ? fail(
          lastSeq + 1,
          `entry ${lastSeq + 1} is missing: the journal head records ${input.head.seq} entries`,
        )
      : fail(
          input.head.seq + 1,
          `entry ${input.head.seq + 1} is not covered by the recorded journal head`,
        );
  }

  let checkpointsVerified = 0;
  for (const checkpoint of [...input.checkpoints].sort((a, b) => a.seq - b.seq)) {
    if (
      !input.verifySignature(checkpoint.keyId, checkpointMessage(checkpoint), checkpoint.signature)
    ) {
      return {
        ...fail(checkpoint.seq, `checkpoint at entry ${checkpoint.seq} has an invalid signature`),
        entries: count,
      };
    }
    const stored = hashes.get(checkpoint.seq);
    if (stored === undefined) {
      return {
        ...fail(
          checkpoint.seq,
          `entry ${checkpoint.seq} is missing: a signed checkpoint covers it`,
        ),
        entries: count,
      };
    }
    if (stored !== checkpoint.hash) {
      return {
        ...fail(checkpoint.seq, `entry ${checkpoint.seq} differs from the signed checkpoint`),
        entries: count,
      };
    }
    checkpointsVerified += 1;
  }
  return { ok: true, entries: count, checkpointsVerified, lastSeq };
}
