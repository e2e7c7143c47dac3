/**
 * `cordon verify journal --tenant T`: recomputes a journal offline, straight from the
 * database, with only the server's public key; names the first entry that does not hold.
 * It writes nothing (no checkpoint, no journal entry) so that verifying never changes what is
 * verified.
 */
import { PLATFORM_JOURNAL } from '@cordon/core';
import { openStore, serverKeyPaths, signatureVerifier, verifyStoredJournal } from '@cordon/storage';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  adminOptions,
  adminOptionsHelp,
  printJson,
  resolveDataDir,
} from '../admin/admin-context.ts';

export const verifyJournalCommand: Command = {
  name: 'verify journal',
  summary: 'Recompute a tenant’s journal hash chain and checkpoint signatures offline',
  help: [
    'Usage: cordon verify journal --tenant T [--public-key FILE] [--json]',
    '',
    'Checks sequence continuity, every entry’s SHA-256, every link to the previous entry,',
    'the recorded head and every signed checkpoint. Exit 0 when all hold; 1 naming the first',
    `entry that does not. --tenant ${PLATFORM_JOURNAL} checks the platform journal.`,
    '',
    'Options:',
    '  --tenant T         tenant id or name',
    '  --public-key FILE  the server’s Ed25519 public key (default: keys/server-ed25519.pub.pem in the data directory)',
    adminOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { ...adminOptions, tenant: { type: 'string' }, 'public-key': { type: 'string' } },
      strict: true,
    });
    if (!values.tenant) throw new UsageError('--tenant is required');
    const dataDir = resolveDataDir(values['data-dir'], io);
    const keyPath = values['public-key'] ?? serverKeyPaths(dataDir).publicPath;
    let publicKeyPem: string;
    try {
      publicKeyPem = readFileSync(keyPath, 'utf8');
    } catch {
      throw new UsageError(
        `cannot read the server public key at ${keyPath}: give --public-key FILE`,
      );
    }
    const store = await openStore({
      url: values['database-url'] ?? io.env['CORDON_DATABASE_URL'],
      dataDir,
      schema: io.env['CORDON_DATABASE_SCHEMA'],
    });
    try {
      const tenantRef = values.tenant;
      let tenantId = tenantRef;
      if (tenantRef !== PLATFORM_JOURNAL) {
        const tenant = await store.transaction(
          async (uow) =>
            (await uow.tenants.get(tenantRef)) ?? (await uow.tenants.findByName(tenantRef)),
        );
        if (!tenant) throw new UsageError(`no tenant '${tenantRef}'`);
        tenantId = tenant.id;
      }
      const result = await verifyStoredJournal(store, tenantId, signatureVerifier(publicKeyPem));
      if (values.json) {
        printJson(io, { tenant: tenantId, ...result });
      } else if (result.ok) {
        io.stdout.write(
          `journal ${tenantId}: OK — ${result.entries} entries, ${result.checkpointsVerified} signed checkpoints verified, head at ${result.lastSeq}\n`,
        );
      } else {
        io.stdout.write(
          `journal ${tenantId}: FAILED at entry ${result.failure?.seq}: ${result.failure?.reason}\n`,
        );
      }
      return result.ok ? 0 : 1;
    } finally {
      await store.close();
    }
  },
};
