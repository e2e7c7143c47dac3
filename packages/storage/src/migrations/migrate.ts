/**
 * One ordered list of migrations for both dialects, run at start-up. Adding a migration means
 * adding a file and a line here; migrations are never edited once released.
 */
import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { Migrator } from 'kysely/migration';
import * as foundation from './0001-foundation.ts';
import * as preparation from './0002-preparation.ts';
import * as events from './0003-events.ts';
import * as detection from './0004-detection.ts';
import * as agents from './0005-agents.ts';
import * as oncall from './0006-oncall.ts';
import * as checkpointChain from './0007-checkpoint-chain.ts';
import * as provenance from './0008-provenance.ts';
import * as agentIdentity from './0009-agent-identity.ts';
import * as containmentDecisions from './0011-containment-decisions.ts';
import * as eradication from './0013-eradication.ts';
import * as consoleIndexes from './0017-console.ts';
import * as sensors from './0023-sensors.ts';
import * as agentPaging from './0028-agent-paging.ts';
import * as recovery from './0014-recovery.ts';
import * as identification from './0010-identification.ts';
import * as playbooks from './0012-playbooks.ts';
import * as contracts from './0020-contracts.ts';
import * as notify from './0021-notify.ts';
import * as behave from './0022-behave.ts';
import * as intel from './0019-intel.ts';
import * as reportTemplates from './0026-report-templates.ts';

const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-preparation': preparation,
  '0003-events': events,
  '0004-detection': detection,
  '0005-agents': agents,
  '0006-oncall': oncall,
  '0007-checkpoint-chain': checkpointChain,
  '0008-provenance': provenance,
  '0009-agent-identity': agentIdentity,
  '0011-containment-decisions': containmentDecisions,
  '0013-eradication': eradication,
  '0017-console': consoleIndexes,
  '0023-sensors': sensors,
  '0028-agent-paging': agentPaging,
  '0014-recovery': recovery,
  '0010-identification': identification,
  '0012-playbooks': playbooks,
  '0020-contracts': contracts,
  '0021-notify': notify,
  '0022-behave': behave,
  '0019-intel': intel,
  '0026-report-templates': reportTemplates,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Registers further migrations (later capabilities add theirs before start-up). */
export function registerMigration(name: string, migration: Migration): void {
  if (migrations[name]) throw new Error(`migration ${name} is registered twice`);
  migrations[name] = migration;
}

/** `schema`: the PostgreSQL schema that holds the migration tables (none on SQLite). */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    migrationTableName: 'cordon_migrations',
    migrationLockTableName: 'cordon_migrations_lock',
    // Capabilities reserve their numbers and land in any order: a database that already ran
    // 0005 must still take 0004 when it arrives.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
