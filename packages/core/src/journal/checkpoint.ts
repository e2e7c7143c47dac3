/**
 * Signed checkpoints of a journal's head, chained. The server signs (tenant, checkpoint
 * number, head seq, head hash, entry count, time, previous checkpoint's hash) with its Ed25519
 * key, so a verifier holding only the public key can tell that the chain up to that entry is
 * the one the server wrote, and that no checkpoint between the first and the last was removed:
 * each one names its predecessor and its own place in the sequence. Checkpoints signed before
 * chaining existed (v1, `chain: null`) are still verified on their own; the first chained one
 * links to the last of them.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { GENESIS_HASH } from './journal-entry.ts';

/** The link a chained checkpoint signs: where it sits and what it follows. */
export interface CheckpointChainLink {
  /** 1 for a journal's first chained checkpoint, then +1 each. */
  readonly number: number;
  /** Entries in the journal at `seq` (equal to `seq` in a whole chain, signed so it is stated). */
  readonly entries: number;
  /** `checkpointHash` of the previous checkpoint; `GENESIS_HASH` for the journal's first. */
  readonly prevHash: string;
}

export interface JournalCheckpoint {
  readonly tenantId: string;
  readonly seq: number;
  readonly hash: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly keyId: string;
  /** Base64 Ed25519 signature over `checkpointMessage`. */
  readonly signature: string;
  /** null on a legacy (v1) checkpoint signed before checkpoints were chained. */
  readonly chain: CheckpointChainLink | null;
}

export type UnsignedCheckpoint = Omit<JournalCheckpoint, 'keyId' | 'signature'>;

export function checkpointMessage(
  checkpoint: Pick<JournalCheckpoint, 'tenantId' | 'seq' | 'hash' | 'at' | 'chain'>,
): string {
  const { chain } = checkpoint;
  if (!chain) {
    return canonicalJson([
      'cordon-journal-checkpoint-v1',
      checkpoint.tenantId,
      checkpoint.seq,
      checkpoint.hash,
      checkpoint.at,
    ]);
  }
  return canonicalJson([
    'cordon-journal-checkpoint-v2',
    checkpoint.tenantId,
    chain.number,
    checkpoint.seq,
    checkpoint.hash,
    chain.entries,
    checkpoint.at,
    chain.prevHash,
  ]);
}

/** What the next checkpoint signs as `prevHash`: the SHA-256 of this one's signed message. */
export function checkpointHash(
  checkpoint: Pick<JournalCheckpoint, 'tenantId' | 'seq' | 'hash' | 'at' | 'chain'>,
): string {
  return createHash('sha256').update(checkpointMessage(checkpoint)).digest('hex');
}

/** The link for a checkpoint that follows `previous` (undefined: the journal's first). */
export function nextChainLink(
  previous: JournalCheckpoint | undefined,
  entries: number,
): CheckpointChainLink {
  return {
    number: (previous?.chain?.number ?? 0) + 1,
    entries,
    prevHash: previous ? checkpointHash(previous) : GENESIS_HASH,
  };
}
