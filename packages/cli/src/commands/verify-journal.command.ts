/**
 * `cordon verify journal --tenant T`: recomputes a journal offline, straight from the
 * database, with only the server's public key, and checks it against what is kept outside
 * the database — the witness file and, when given, the head the operator expects; names the
 * first thing that does not hold. It writes nothing (no checkpoint, no journal entry) so that
 * verifying never changes what is verified.
 */
import type { ExpectedHead } from '@cordon/core';
import { PLATFORM_JOURNAL } from '@cordon/core';
import {
  openStore,
  serverKeyPaths,
  signatureVerifier,
  verifyStoredJournal,
  witnessPathFrom,
} from '@cordon/storage';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  adminOptions,
  adminOptionsHelp,
  printJson,
  resolveDataDir,
} from '../admin/admin-context.ts';

/** Beyond the interval, how long a server may take to sign (busy, restarting). */
const GRACE_MS = 60_000;

export const verifyJournalCommand: Command = {
  name: 'verify journal',
  summary: 'Recompute a tenant’s journal hash chain and checkpoint signatures offline',
  help: [
    'Usage: cordon verify journal --tenant T [--public-key FILE] [--witness FILE] [--expect-head SEQ[:HASH]] [--json]',
    '',
    'Checks sequence continuity, every entry’s SHA-256, every link to the previous entry, the',
    'chain of signed checkpoints (numbers without a gap, each linked to the one before), that',
    'every entry is covered by a checkpoint within the checkpoint interval (+60 s), and the',
    'checkpoints against the witness file and the expected head. Exit 0 when all hold; 1',
    `naming the first thing that does not. --tenant ${PLATFORM_JOURNAL} checks the platform journal.`,
    '',
    'Options:',
    '  --tenant T                tenant id or name',
    '  --public-key FILE         the server’s Ed25519 public key (default: keys/server-ed25519.pub.pem in the data directory)',
    '  --witness FILE            the journal witness (default: CORDON_JOURNAL_WITNESS, or witness/journal-witness.jsonl',
    '                            in the data directory, when it exists)',
    '  --expect-head SEQ[:HASH]  the head you recorded earlier: the journal must reach it (and entry SEQ have HASH)',
    '  --checkpoint-interval S   how often the server signs checkpoints, in seconds (default 10)',
    '  --now TIME                the time to judge uncovered entries by (ISO 8601 or epoch ms; default: now)',
    adminOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        tenant: { type: 'string' },
        'public-key': { type: 'string' },
        witness: { type: 'string' },
        'expect-head': { type: 'string' },
        'checkpoint-interval': { type: 'string' },
        now: { type: 'string' },
      },
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
    const witnessPath = values.witness ?? witnessPathFrom(io.env, dataDir);
    const witnessFound = existsSync(witnessPath);
    if (values.witness !== undefined && !witnessFound) {
      throw new UsageError(`no witness file at ${witnessPath}`);
    }
    const expectHead = values['expect-head'] ? parseExpectedHead(values['expect-head']) : undefined;
    const intervalMs = seconds(values['checkpoint-interval'] ?? '10', '--checkpoint-interval');
    const now = values.now === undefined ? Date.now() : parseTime(values.now);
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
      const result = await verifyStoredJournal(store, tenantId, signatureVerifier(publicKeyPem), {
        witnessPath: witnessFound ? witnessPath : undefined,
        expectHead,
        coverage: { now, intervalMs, graceMs: GRACE_MS },
      });
      const against =
        result.checkedAgainst.length > 0
          ? `checked against ${result.checkedAgainst.join(' and ')}`
          : `checked against the database alone (no witness at ${witnessPath})`;
      if (values.json) {
        printJson(io, { tenant: tenantId, ...result });
      } else if (result.ok) {
        io.stdout.write(
          `journal ${tenantId}: OK — ${result.entries} entries, ${result.checkpointsVerified} signed checkpoints verified, head at ${result.lastSeq}; ${against}\n`,
        );
      } else {
        io.stdout.write(
          `journal ${tenantId}: FAILED at entry ${result.failure?.seq}: ${result.failure?.reason}\n`,
        );
      }
      for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
      return result.ok ? 0 : 1;
    } finally {
      await store.close();
    }
  },
};

function parseExpectedHead(text: string): ExpectedHead {
  const match = /^(\d{1,15})(?::([0-9a-fA-F]{64}))?$/.exec(text);
  if (!match?.[1]) throw new UsageError('--expect-head must be SEQ or SEQ:HASH (64 hex digits)');
  return { seq: Number(match[1]), hash: match[2]?.toLowerCase() };
}

function seconds(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d{1,9}$/.test(text) || value < 1) throw new UsageError(`${flag} must be whole seconds`);
  return value * 1000;
}

function parseTime(text: string): number {
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) throw new UsageError('--now must be ISO 8601 or epoch milliseconds');
  return value;
}
