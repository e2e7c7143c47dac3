/** `cordon assets import FILE --tenant T [--dry-run] [--format csv|json]` and `cordon assets export`. */
import type { ImportFormat } from '@cordon/core';
import { AssetService, IMPORT_FORMATS, systemClock } from '@cordon/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  adminOptions,
  adminOptionsHelp,
  printJson,
  withAdminContext,
} from '../admin/admin-context.ts';

const isFormat = (v: string): v is ImportFormat =>
  (IMPORT_FORMATS as readonly string[]).includes(v);

function formatOf(flag: string | undefined, file: string | undefined): ImportFormat {
  const format = flag ?? (file && extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
  if (!isFormat(format)) throw new UsageError(`--format must be csv or json, not ${format}`);
  return format;
}

export const assetsImportCommand: Command = {
  name: 'assets import',
  summary: 'Import an asset inventory (CSV or JSON) into a tenant',
  help: [
    'Usage: cordon assets import FILE --tenant T [--dry-run] [--format csv|json] [--json]',
    '',
    'Rows are matched to assets by name: new names are created, changed ones updated, the rest',
    'left alone. Every refused row is reported with its line and reason; the accepted rows are',
    'applied together or not at all. Importing the same file twice changes nothing.',
    '',
    'CSV columns (header row): name, kind, addresses, mac, os, owner, location, criticality,',
    'tags, segment, redundancy_group, agent, status. Lists (addresses, tags) are separated by ";".',
    'kind: workstation, server, network_device, cloud_resource, application',
    'criticality: critical, high, medium (default), low; status: up, degraded, down, unknown',
    '',
    'Options:',
    '  --tenant T       tenant id or name',
    '  --dry-run        report what would change, change nothing',
    '  --format F       csv or json (default: from the file extension, else csv)',
    adminOptionsHelp,
    '',
    'Exit code: 0 when every row was accepted, 1 when some were refused.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        tenant: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        format: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    const file = positionals[0];
    if (!values.tenant || positionals.length !== 1 || !file)
      throw new UsageError('give --tenant and one FILE');
    const format = formatOf(values.format, file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const tenantRef = values.tenant;
    const report = await withAdminContext(values, io, async (c) => {
      const tenant = await c.access.resolveTenant(tenantRef);
      return new AssetService(c.store, systemClock).importInventory(c.actor, tenant.id, {
        text,
        format,
        dryRun: values['dry-run'],
      });
    });
    if (values.json) printJson(io, report);
    else {
      const counts = `${report.created.length} created, ${report.updated.length} updated, ${report.unchanged} unchanged, ${report.refused.length} refused`;
      io.stdout.write(
        report.dryRun
          ? `dry run, nothing changed; ${report.rows} rows would give: ${counts}\n`
          : `${report.rows} rows: ${counts}\n`,
      );
      for (const name of report.created) io.stdout.write(`  + ${name}\n`);
      for (const name of report.updated) io.stdout.write(`  ~ ${name}\n`);
      for (const r of report.refused) io.stdout.write(`  ! line ${r.line}: ${r.reason}\n`);
    }
    return report.refused.length > 0 ? 1 : 0;
  },
};

export const assetsExportCommand: Command = {
  name: 'assets export',
  summary: "Export a tenant's asset inventory as CSV or JSON",
  help: [
    'Usage: cordon assets export --tenant T [--format csv|json] [--output FILE]',
    '',
    'Writes the active (not retired) assets in the import format, so the file can be edited and',
    'imported again.',
    '',
    'Options:',
    '  --tenant T       tenant id or name',
    '  --format F       csv (default) or json',
    '  --output FILE    write to FILE instead of standard output',
    adminOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        tenant: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
      },
      strict: true,
    });
    if (!values.tenant) throw new UsageError('--tenant is required');
    const format = formatOf(values.format, values.output);
    const tenantRef = values.tenant;
    const text = await withAdminContext(values, io, async (c) => {
      const tenant = await c.access.resolveTenant(tenantRef);
      return new AssetService(c.store, systemClock).exportInventory(c.actor, tenant.id, format);
    });
    // The inventory maps a client's network: readable by its owner only (a new file).
    if (values.output) writeFileSync(values.output, text, { mode: 0o600 });
    else io.stdout.write(text);
    return 0;
  },
};
