/**
 * A journal entry and its hash. Each tenant has one append-only chain: entry N holds the hash
 * of entry N-1, and its own hash covers every field, so changing, removing, reordering or
 * inserting a row breaks the chain at that entry.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** The hash that entry 1 points back to. */
export const GENESIS_HASH = '0'.repeat(64);

export interface JournalEntry {
  readonly tenantId: string;
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly actor: string;
  readonly kind: string;
  readonly incidentId: string | null;
  readonly payload: unknown;
  readonly prevHash: string;
  readonly hash: string;
}

export type UnhashedJournalEntry = Omit<JournalEntry, 'hash'>;

/** What a caller records; the journal adds sequence, time, previous hash and hash. */
export interface JournalRecord {
  readonly actor: string;
  readonly kind: string;
  readonly incidentId?: string | null;
  readonly payload?: unknown;
}

export function journalEntryHash(entry: UnhashedJournalEntry): string {
  const encoded = canonicalJson([
    'cordon-journal-v1',
    entry.tenantId,
    entry.seq,
    entry.at,
    entry.actor,
    entry.kind,
    entry.incidentId,
    entry.payload ?? null,
    entry.prevHash,
  ]);
  return createHash('sha256').update(encoded).digest('hex');
}
