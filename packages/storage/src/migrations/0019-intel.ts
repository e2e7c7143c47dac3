/**
 * Threat-intel exchange (issue 16): watchlists of indicators, each owned by a tenant or by the
 * platform (`owner` is the tenant id, or `*` for platform-wide ones), and their indicators in
 * canonical form (`kind`, `value`), with an expiry each and the STIX object they came from.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('watchlists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('indicator_count', 'integer', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .execute();
  await db.schema.createIndex('watchlists_owner').on('watchlists').columns(['owner']).execute();
  await db.schema
    .createTable('watchlist_indicators')
    .addColumn('watchlist_id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'bigint')
    .addColumn('reference', 'text')
    .addPrimaryKeyConstraint('watchlist_indicators_pk', ['watchlist_id', 'kind', 'value'])
    .execute();
  await db.schema
    .createIndex('watchlist_indicators_owner')
    .on('watchlist_indicators')
    .columns(['owner'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('watchlist_indicators').execute();
  await db.schema.dropTable('watchlists').execute();
}
