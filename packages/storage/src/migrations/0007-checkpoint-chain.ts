/**
 * Chained journal checkpoints: each stores its number in the journal's chain, the entry count
 * it signed and the hash of the checkpoint before it. Rows from before this migration keep
 * null there and are verified as legacy checkpoints (see checkpoint.ts). One number per
 * journal, enforced here too, so two signers can never fork the chain.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('journal_checkpoints').addColumn('number', 'bigint').execute();
  await db.schema.alterTable('journal_checkpoints').addColumn('entries', 'bigint').execute();
  await db.schema
    .alterTable('journal_checkpoints')
    .addColumn('prev_checkpoint_hash', 'text')
    .execute();
  await db.schema
    .createIndex('journal_checkpoints_number')
    .on('journal_checkpoints')
    .columns(['tenant_id', 'number'])
    .unique()
    .execute();
}
