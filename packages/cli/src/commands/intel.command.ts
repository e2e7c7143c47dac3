/**
 * Threat-intel exchange over the API: `cordon intel import FILE --watchlist NAME` (a STIX 2.1
 * bundle or a plain IOC list, told apart by its first character unless `--format` says),
 * `cordon intel watchlists` (the tenant's, or the platform's with `--platform`) and
 * `cordon intel export INCIDENT_ID --format stix|misp` (the document as the server made it,
 * byte for byte, with the SHA-256 it announced).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { apiOptionsHelp } from '../api/api-client.ts';
import {
  apiCommandOptions,
  fetchRaw,
  printAnswer,
  readBoundedText,
  withTenantApi,
} from '../api/api-command.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The server reads at most 32 Mi characters; a file larger in bytes is refused here first. */
const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

interface WatchlistView {
  readonly id: string;
  readonly scope: string;
  readonly name: string;
  readonly source: string;
  readonly format: string;
  readonly level: string;
  readonly indicatorCount: number;
  readonly expiresAt: string | null;
  readonly active: boolean;
}

interface ImportAnswer {
  readonly watchlist: WatchlistView;
  readonly rejected: readonly { where: string; value: string; reason: string }[];
  readonly rejectedCount: number;
}

/** `--expires`: an RFC 3339 time, or a span from now (`90m`, `12h`, `30d`). */
export function expiryOf(value: string | undefined, now: number): string | undefined {
  if (value === undefined) return undefined;
  const span = /^(\d{1,6})([mhd])$/.exec(value);
  if (span) return new Date(now + Number(span[1]) * UNIT_MS[span[2]!]!).toISOString();
  const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (Number.isNaN(at))
    throw new UsageError(
      '--expires takes an RFC 3339 time (2027-01-31T00:00:00Z) or 90m, 12h, 30d',
    );
  if (at <= now) throw new UsageError('--expires is in the past');
  return new Date(at).toISOString();
}

/** A STIX bundle is a JSON object; anything else is read as an IOC list. */
const formatOf = (content: string): 'stix' | 'iocs' =>
  content.trimStart().startsWith('{') ? 'stix' : 'iocs';

const watchlistLine = (w: WatchlistView): string =>
  [
    w.id,
    w.scope.padEnd(8),
    w.name,
    `(${w.source})`,
    `${w.indicatorCount} indicators`,
    w.level,
    w.expiresAt === null ? 'no expiry' : `expires ${w.expiresAt}`,
    w.active ? '' : 'EXPIRED',
  ]
    .filter(Boolean)
    .join('  ');

const watchlistsPath = (platform: boolean | undefined, tenantPath: string): string =>
  platform ? '/api/v1/platform/watchlists' : `${tenantPath}/watchlists`;

export const intelImportCommand: Command = {
  name: 'intel import',
  summary: 'Import a STIX 2.1 bundle or an IOC list into a watchlist, matched on every event',
  help: [
    'Usage: cordon intel import FILE --watchlist NAME [--source TEXT] [--format stix|iocs]',
    '         [--expires TIME|30d] [--level LEVEL] [--description TEXT] [--platform] [--tenant ID] [--json]',
    '',
    'FILE: a STIX 2.1 bundle (indicators with = / ISSUBSET patterns on addresses, domains, URLs',
    'and file hashes) or an IOC list (one address, network, domain, URL or hash a line; defanged',
    'forms such as 198[.]51[.]100[.]7 and hxxp:// are read). At most 32 MiB. Indicators that cannot',
    'be used are listed with the reason; the rest are matched against every ingested event.',
    '',
    'Options:',
    '  --watchlist NAME  the watchlist’s name (required)',
    '  --source TEXT     where the indicators come from (default: the file name)',
    '  --format F        stix or iocs (default: stix when the file is a JSON object)',
    '  --expires T       an RFC 3339 time or a span from now (90m, 12h, 30d); default none',
    '  --level L         the level of the alerts it raises (default high)',
    '  --platform        a platform-wide watchlist (platform admins), matched for every tenant',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...apiCommandOptions,
        watchlist: { type: 'string' },
        source: { type: 'string' },
        format: { type: 'string' },
        expires: { type: 'string' },
        level: { type: 'string' },
        description: { type: 'string' },
        platform: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) throw new UsageError('give one FILE to import');
    if (!values.watchlist) throw new UsageError('--watchlist NAME is required');
    if (values.format !== undefined && values.format !== 'stix' && values.format !== 'iocs')
      throw new UsageError('--format is stix or iocs');
    if (values.level !== undefined && !LEVELS.includes(values.level))
      throw new UsageError(`--level is one of ${LEVELS.join(', ')}`);
    const expiresAt = expiryOf(values.expires, Date.now());
    const content = readBoundedText(file, MAX_IMPORT_BYTES);
    const body = {
      name: values.watchlist,
      source: values.source ?? file.split('/').at(-1)!,
      format: values.format ?? formatOf(content),
      content,
      ...(values.level === undefined ? {} : { level: values.level }),
      ...(values.description === undefined ? {} : { description: values.description }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
    // A platform watchlist belongs to no tenant: the placeholder keeps the token's own unasked.
    return withTenantApi(io, values.platform ? 'platform' : values.tenant, async (call) => {
      const answer = await call.api.request<ImportAnswer>(
        'POST',
        watchlistsPath(values.platform, call.tenantPath),
        body,
      );
      printAnswer(io, values.json, answer, (a) => [
        watchlistLine(a.watchlist),
        ...(a.rejectedCount === 0
          ? []
          : [
              `${a.rejectedCount} not used${a.rejectedCount > a.rejected.length ? ` (the first ${a.rejected.length}):` : ':'}`,
              ...a.rejected.map((r) => `  ${r.where}  ${r.value}  ${r.reason}`),
            ]),
      ]);
    });
  },
};

export const intelWatchlistsCommand: Command = {
  name: 'intel watchlists',
  summary: 'List the watchlists (the tenant’s, or the platform’s with --platform)',
  help: [
    'Usage: cordon intel watchlists [--platform] [--tenant ID] [--json]',
    '',
    'One line a watchlist: id, scope, name, source, indicators, alert level, expiry.',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...apiCommandOptions, platform: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError('cordon intel watchlists takes no argument');
    return withTenantApi(io, values.platform ? 'platform' : values.tenant, async (call) => {
      const lists = await call.api.request<WatchlistView[]>(
        'GET',
        watchlistsPath(values.platform, call.tenantPath),
      );
      printAnswer(io, values.json, lists, (l) =>
        l.length === 0 ? 'no watchlists' : l.map(watchlistLine),
      );
    });
  },
};

export const intelExportCommand: Command = {
  name: 'intel export',
  summary: 'Export an incident as a STIX 2.1 bundle or a MISP event',
  help: [
    'Usage: cordon intel export INCIDENT_ID --format stix|misp [--out FILE] [--tenant ID]',
    '',
    'Writes the document to FILE (or standard output) exactly as the server made it; with --out,',
    'prints the file, its SHA-256 (checked against the one the server announced) and the format.',
    'The export is journaled by the server.',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...apiCommandOptions, format: { type: 'string' }, out: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [incidentId, ...extra] = positionals;
    if (incidentId === undefined || extra.length > 0 || !UUID.test(incidentId))
      throw new UsageError('give one incident id (a UUID)');
    if (values.format !== 'stix' && values.format !== 'misp')
      throw new UsageError('--format is stix or misp');
    const format = values.format;
    return withTenantApi(io, values.tenant, async ({ tenantPath }) => {
      const response = await fetchRaw(
        io,
        'GET',
        `${tenantPath}/incidents/${incidentId}/intel?format=${format}`,
      );
      const bytes = Buffer.from(await response.arrayBuffer());
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const announced = response.headers.get('x-content-sha256');
      if (announced !== null && announced !== sha256) {
        io.stderr.write(
          `error: the export arrived altered: SHA-256 ${sha256}, announced ${announced}\n`,
        );
        return 1;
      }
      if (values.out === undefined) {
        io.stdout.write(bytes);
        return 0;
      }
      writeFileSync(values.out, bytes);
      io.stdout.write(`${values.out}  sha256 ${sha256}  ${format}\n`);
      return 0;
    });
  },
};

export const intelCommands: readonly Command[] = [
  intelImportCommand,
  intelWatchlistsCommand,
  intelExportCommand,
];
