/**
 * Somewhere outside the database that keeps every signed checkpoint as it is made: an
 * append-only file, a webhook, syslog. A witness is told after the checkpoint committed, so
 * it never holds one the database does not; one that fails is reported, never rolls back.
 */
import type { JournalCheckpoint } from '../journal/checkpoint.ts';

export interface CheckpointWitness {
  /** A short name for logs ("file /var/lib/cordon-witness/journal.jsonl"). */
  readonly name: string;
  /** Resolves once the checkpoint is durable (file) or queued (remote). */
  record(checkpoint: JournalCheckpoint): Promise<void>;
  close(): Promise<void>;
}
