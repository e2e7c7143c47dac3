/**
 * What admin commands share: the database they act on (`--data-dir`, or CORDON_DATABASE_URL
 * for PostgreSQL), opened and migrated directly — as server admin tools usually do — and the
 * services over it, acting as the platform's own `system` principal.
 */
import type { Principal } from '@cordon/core';
import {
  AccessService,
  IncidentService,
  JournalService,
  LoginThrottle,
  systemClock,
} from '@cordon/core';
import { remoteWitnessConfigFromEnv, remoteWitnesses } from '@cordon/server/journal-witness';
import type { KyselyStore } from '@cordon/storage';
import { FileWitness, loadOrCreateServerKey, openStore, witnessPathFrom } from '@cordon/storage';
import { resolve } from 'node:path';
import type { CommandIo } from '../command.ts';

export const adminOptions = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export const adminOptionsHelp = [
  '  --data-dir D        data directory (default ./data, or CORDON_DATA_DIR)',
  '  --database-url URL  PostgreSQL URL (default CORDON_DATABASE_URL; SQLite in the data directory otherwise)',
  '  --json              machine-readable output',
].join('\n');

export interface AdminContext {
  readonly store: KyselyStore;
  readonly dataDir: string;
  readonly access: AccessService;
  readonly incidents: IncidentService;
  readonly journal: JournalService;
  readonly actor: Principal;
  close(): Promise<void>;
}

export function resolveDataDir(flag: string | undefined, io: CommandIo): string {
  return resolve(flag ?? io.env['CORDON_DATA_DIR'] ?? 'data');
}

export async function openAdminContext(
  values: { 'data-dir'?: string | undefined; 'database-url'?: string | undefined },
  io: CommandIo,
): Promise<AdminContext> {
  const dataDir = resolveDataDir(values['data-dir'], io);
  const url = values['database-url'] ?? io.env['CORDON_DATABASE_URL'];
  const store = await openStore({ url, dataDir, schema: io.env['CORDON_DATABASE_SCHEMA'] });
  const key = loadOrCreateServerKey(dataDir);
  const warn = (message: string, error: unknown) =>
    io.stderr.write(
      `warning: journal witness ${message}${error instanceof Error ? `: ${error.message}` : ''}\n`,
    );
  const witnesses = [
    await FileWitness.open(witnessPathFrom(io.env, dataDir)),
    ...remoteWitnesses(remoteWitnessConfigFromEnv(io.env), warn),
  ];
  const journal = new JournalService({
    store,
    clock: systemClock,
    signer: key,
    witnesses,
    onWitnessError: (w, error) => warn(`${w.name} failed`, error),
  });
  return {
    store,
    dataDir,
    access: new AccessService(store, systemClock, new LoginThrottle()),
    incidents: new IncidentService(store, systemClock),
    journal,
    actor: { kind: 'system', name: `cli:${io.env['USER'] ?? 'admin'}` },
    close: async () => {
      // Admin commands write journal entries too: sign the heads they moved before leaving.
      await journal.checkpointAll().catch(() => undefined);
      for (const witness of witnesses) await witness.close();
      await store.close();
    },
  };
}

export async function withAdminContext<T>(
  values: { 'data-dir'?: string | undefined; 'database-url'?: string | undefined },
  io: CommandIo,
  work: (context: AdminContext) => Promise<T>,
): Promise<T> {
  const context = await openAdminContext(values, io);
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

export function printJson(io: CommandIo, value: unknown): void {
  io.stdout.write(JSON.stringify(value) + '\n');
}

/** Reads all of standard input as text (for --password-stdin). */
export async function readStdin(io: CommandIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
