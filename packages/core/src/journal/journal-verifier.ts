/**
 * Recomputes a tenant's journal offline: sequence continuity, each entry's hash, each link to
 * the previous hash, the recorded head, the chain of signed checkpoints, the entries they
 * cover, and — when given — the witness kept outside the database and the head the operator
 * expects. It fails, not passes, when entries exist that no checkpoint covers (none at all, or
 * older than the checkpoint interval allows), because a journal whose checkpoints were deleted
 * proves nothing. It stops at the first thing that does not hold and names it.
 */
import type { JournalCheckpoint } from './checkpoint.ts';
import type { SignatureCheck } from './checkpoint-chain-check.ts';
import { checkCheckpointChain, span } from './checkpoint-chain-check.ts';
import type { AnchorCheck, ExpectedHead, JournalWitness } from './journal-anchors.ts';
import { checkExpectedHead, checkWitness } from './journal-anchors.ts';
import type { JournalEntry } from './journal-entry.ts';
import { GENESIS_HASH, journalEntryHash } from './journal-entry.ts';

export interface JournalHead {
  readonly seq: number;
  readonly hash: string;
}

/** How long an entry may stay outside every checkpoint before that is a failure. */
export interface CheckpointCoverage {
  /** Epoch milliseconds: the verifier's "now". */
  readonly now: number;
  /** How often the server signs checkpoints. */
  readonly intervalMs: number;
  /** Allowance beyond the interval (a busy or restarting server). */
  readonly graceMs: number;
}

export interface JournalVerificationInput {
  readonly tenantId: string;
  /** Entries in ascending `seq` order, as stored. */
  readonly entries: AsyncIterable<JournalEntry> | Iterable<JournalEntry>;
  readonly head: JournalHead | undefined;
  readonly checkpoints: readonly JournalCheckpoint[];
  /** Verifies an Ed25519 signature with the server's public key for `keyId`. */
  readonly verifySignature: SignatureCheck;
  /** This journal's lines of the witness; undefined: none was available. */
  readonly witness?: JournalWitness | undefined;
  readonly expectHead?: ExpectedHead | undefined;
  /** undefined: the age of uncovered entries is not checked. */
  readonly coverage?: CheckpointCoverage | undefined;
  /**
   * Verify a segment of the journal instead of all of it (an evidence bundle carries the
   * entries from an incident's first to a signed checkpoint): the first entry expected and the
   * hash it must link to. Checkpoints before the segment are checked as links of the chain only.
   */
  readonly start?: { readonly seq: number; readonly prevHash: string } | undefined;
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
  /** What the journal was checked against beyond the database, e.g. "the witness FILE". */
  readonly checkedAgainst: readonly string[];
  /** Things that hold but deserve a look (legacy checkpoints, a witness that ends early). */
  readonly warnings: readonly string[];
  readonly failure?: JournalFailure;
}

export async function verifyJournal(input: JournalVerificationInput): Promise<JournalVerification> {
  const firstSeq = input.start?.seq ?? 1;
  let expectedSeq = firstSeq;
  let prevHash = input.start?.prevHash ?? GENESIS_HASH;
  let count = 0;
  const hashes = new Map<number, string>();
  const wanted = new Set(input.checkpoints.map((c) => c.seq));
  if (input.expectHead) wanted.add(input.expectHead.seq);
  const covered = Math.max(0, ...input.checkpoints.map((c) => c.seq));
  let firstUncoveredAt: number | undefined;
  const checkedAgainst: string[] = [];
  const warnings: string[] = [];
  let checkpointsVerified = 0;
  const fail = (failure: JournalFailure): JournalVerification => ({
    ok: false,
    entries: count,
    checkpointsVerified,
    lastSeq: expectedSeq - 1,
    checkedAgainst,
    warnings,
    failure,
  });

  for await (const entry of input.entries) {
    const seq = entry.seq;
    if (entry.tenantId !== input.tenantId) {
      return fail({ seq, reason: `entry ${seq} belongs to tenant ${entry.tenantId}` });
    }
    if (seq !== expectedSeq) {
      return seq > expectedSeq
        ? fail({
            seq: expectedSeq,
            reason: `entry ${expectedSeq} is missing (next stored entry is ${seq})`,
          })
        : fail({ seq, reason: `entry ${seq} is out of order (expected ${expectedSeq})` });
    }
    if (entry.prevHash !== prevHash) {
      return fail({ seq, reason: `entry ${seq} does not link to entry ${seq - 1}'s hash` });
    }
    if (journalEntryHash(entry) !== entry.hash) {
      return fail({ seq, reason: `entry ${seq} was altered: its content does not match its hash` });
    }
    if (wanted.has(seq)) hashes.set(seq, entry.hash);
    if (seq === covered + 1) firstUncoveredAt = entry.at;
    prevHash = entry.hash;
    expectedSeq += 1;
    count += 1;
  }
  const lastSeq = expectedSeq - 1;

  if (input.head && (input.head.seq !== lastSeq || input.head.hash !== prevHash)) {
    return input.head.seq > lastSeq
      ? fail({
          seq: lastSeq + 1,
          reason: `entry ${lastSeq + 1} is missing: the journal head records ${input.head.seq} entries`,
        })
      : fail({
          seq: input.head.seq + 1,
          reason: `entry ${input.head.seq + 1} is not covered by the recorded journal head`,
        });
  }

  const chain = checkCheckpointChain(input.checkpoints, input.verifySignature);
  if (chain.kind === 'broken') return fail(chain.failure);
  if (chain.legacy > 0) {
    warnings.push(
      `${chain.legacy} checkpoint(s) predate chaining: each is verified, but one deleted among them could not be told`,
    );
  }
  for (const checkpoint of input.checkpoints) {
    if (checkpoint.seq < firstSeq) {
      checkpointsVerified += 1;
      continue;
    }
    const stored = hashes.get(checkpoint.seq);
    if (stored === undefined) {
      return fail({
        seq: checkpoint.seq,
        reason: `entry ${checkpoint.seq} is missing: a signed checkpoint covers it`,
      });
    }
    if (stored !== checkpoint.hash) {
      return fail({
        seq: checkpoint.seq,
        reason: `entry ${checkpoint.seq} differs from the signed checkpoint`,
      });
    }
    checkpointsVerified += 1;
  }

  const anchors: [string, () => AnchorCheck][] = [];
  const { witness, expectHead } = input;
  if (witness) {
    anchors.push([
      `the witness ${witness.source} (${witness.checkpoints.length} checkpoints)`,
      () =>
        checkWitness({
          witness,
          checkpoints: input.checkpoints,
          verifySignature: input.verifySignature,
        }),
    ]);
  }
  if (expectHead) {
    anchors.push([
      `the expected head ${expectHead.seq}${expectHead.hash ? `:${expectHead.hash}` : ''}`,
      () =>
        checkExpectedHead({
          expected: expectHead,
          lastSeq,
          hashAtExpected: hashes.get(expectHead.seq),
        }),
    ]);
  }
  for (const [name, check] of anchors) {
    const result = check();
    checkedAgainst.push(name);
    if (result.kind === 'broken') return fail(result.failure);
    warnings.push(...result.warnings);
  }

  if (lastSeq > 0 && input.checkpoints.length === 0) {
    return fail({
      seq: 1,
      reason: `no signed checkpoint covers ${span(1, lastSeq, 'entry', 'entries')}: the journal has no checkpoints (deleted?)`,
    });
  }
  const { coverage } = input;
  if (coverage && lastSeq > covered && firstUncoveredAt !== undefined) {
    const allowed = coverage.intervalMs + coverage.graceMs;
    if (coverage.now - firstUncoveredAt > allowed) {
      return fail({
        seq: covered + 1,
        reason: `no signed checkpoint covers ${span(covered + 1, lastSeq, 'entry', 'entries')}: entry ${covered + 1} was written at ${new Date(firstUncoveredAt).toISOString()}, more than ${Math.round(allowed / 1000)} s before now, and checkpoints are signed every ${Math.round(coverage.intervalMs / 1000)} s (were the newest checkpoints deleted?)`,
      });
    }
  }
  return { ok: true, entries: count, checkpointsVerified, lastSeq, checkedAgainst, warnings };
}
