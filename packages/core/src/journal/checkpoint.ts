/**
 * Signed checkpoints of a journal's head. The server signs (tenant, seq, hash, time) with its
 * Ed25519 key; a verifier holding only the public key can then tell that the chain up to that
 * entry is the one the server wrote, even if someone rewrote every row and hash after it.
 */
import { canonicalJson } from './canonical-json.ts';

export interface JournalCheckpoint {
  readonly tenantId: string;
  readonly seq: number;
  readonly hash: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly keyId: string;
  /** Base64 Ed25519 signature over `checkpointMessage`. */
  readonly signature: string;
}

export function checkpointMessage(
  checkpoint: Pick<JournalCheckpoint, 'tenantId' | 'seq' | 'hash' | 'at'>,
): string {
  return canonicalJson([
    'cordon-journal-checkpoint-v1',
    checkpoint.tenantId,
    checkpoint.seq,
    checkpoint.hash,
    checkpoint.at,
  ]);
}
