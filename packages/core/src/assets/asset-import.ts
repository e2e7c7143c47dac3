/**
 * Reading an asset inventory from CSV or JSON into validated asset fields, one result per
 * row: either the fields or the reason the row is refused, with its line (CSV: the physical
 * line the record starts on; JSON: the item's position in the array, from 1). Segments are
 * referred to by name and resolved by the caller. Parsing never throws on bad input: a file
 * that cannot be read at all is one refusal at line 0.
 */
import { parseIpAddress } from '@cordon/protocol';
import { parse } from 'csv-parse/sync';
import { csvCellValue } from '../csv/csv-cell.ts';
import type { AssetFields } from './asset.ts';
import {
  ASSET_KINDS,
  CRITICALITIES,
  OPERATIONAL_STATUSES,
  isAssetKind,
  isCriticality,
  isOperationalStatus,
} from './asset.ts';

export const IMPORT_FORMATS = ['csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The columns of the CSV form, in export order; JSON items use the same keys. */
export const ASSET_COLUMNS = [
  'name',
  'kind',
  'addresses',
  'mac',
  'os',
  'owner',
  'location',
  'criticality',
  'tags',
  'segment',
  'redundancy_group',
  'agent',
  'status',
] as const;

export interface ImportedAsset {
  readonly line: number;
  readonly fields: Omit<AssetFields, 'segmentId'>;
  readonly segmentName: string | null;
}

export interface RefusedRow {
  readonly line: number;
  readonly reason: string;
}

export interface ParsedInventory {
  readonly rows: readonly ImportedAsset[];
  readonly refused: readonly RefusedRow[];
}

export const MAX_IMPORT_ROWS = 100_000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
const TEXT_MAX = 300;

export function parseInventory(text: string, format: ImportFormat): ParsedInventory {
  const records: { line: number; values: Record<string, unknown> }[] = [];
  try {
    if (format === 'csv') {
      const rows = parse(text, {
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        bom: true,
        trim: true,
      }) as unknown as { record: string[]; info: { lines: number } }[];
      const [header, ...body] = rows;
      if (!header) return { rows: [], refused: [] };
      const columns = header.record.map((c) => c.toLowerCase());
      const unknown = columns.filter((c) => !(ASSET_COLUMNS as readonly string[]).includes(c));
      if (unknown.length > 0 || !columns.includes('name')) {
        return {
          rows: [],
          refused: [
            {
              line: header.info.lines,
              reason:
                unknown.length > 0
                  ? `unknown column(s) ${unknown.join(', ')}; the columns are ${ASSET_COLUMNS.join(', ')}`
                  : 'the header has no "name" column',
            },
          ],
        };
      }
      for (const { record, info } of body.slice(0, MAX_IMPORT_ROWS + 1)) {
        const line = info.lines - countNewlines(record);
        if (record.length !== columns.length) {
          records.push({
            line,
            values: { __error: `${record.length} fields where the header has ${columns.length}` },
          });
          continue;
        }
        // A cell our export neutralised against spreadsheet formulas (`'=…`) reads back as written.
        records.push({
          line,
          values: Object.fromEntries(columns.map((c, i) => [c, csvCellValue(record[i] ?? '')])),
        });
      }
    } else {
      const data: unknown = JSON.parse(text);
      const items: unknown = Array.isArray(data)
        ? data
        : (data as { assets?: unknown } | null)?.assets;
      if (!Array.isArray(items)) {
        return {
          rows: [],
          refused: [{ line: 0, reason: 'expected a JSON array of assets (or {"assets": [...]})' }],
        };
      }
      items.slice(0, MAX_IMPORT_ROWS + 1).forEach((item: unknown, i) => {
        records.push({
          line: i + 1,
          values:
            item !== null && typeof item === 'object' && !Array.isArray(item)
              ? (item as Record<string, unknown>)
              : { __error: 'the item is not an object' },
        });
      });
    }
  } catch (error) {
    return {
      rows: [],
      refused: [
        {
          line: lineOf(error),
          reason: `the file is not valid ${format.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
  if (records.length > MAX_IMPORT_ROWS) {
    return { rows: [], refused: [{ line: 0, reason: `more than ${MAX_IMPORT_ROWS} rows` }] };
  }
  const rows: ImportedAsset[] = [];
  const refused: RefusedRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, values } of records) {
    const result = assetFromValues(values);
    if (typeof result === 'string') {
      refused.push({ line, reason: result });
      continue;
    }
    const key = result.fields.name.toLowerCase();
    const earlier = firstLineOf.get(key);
    if (earlier !== undefined) {
      refused.push({
        line,
        reason: `name ${result.fields.name} already appears on line ${earlier}`,
      });
      continue;
    }
    firstLineOf.set(key, line);
    rows.push({ line, ...result });
  }
  return { rows, refused };
}

/** The fields of one record, or why it is refused. */
function assetFromValues(values: Record<string, unknown>): Omit<ImportedAsset, 'line'> | string {
  if (typeof values['__error'] === 'string') return values['__error'];
  const unknown = Object.keys(values).filter(
    (k) => !(ASSET_COLUMNS as readonly string[]).includes(k),
  );
  if (unknown.length > 0) return `unknown field(s) ${unknown.join(', ')}`;
  const text = (key: string): string | null | Error => {
    const v = values[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') return new Error(`${key} must be text`);
    const trimmed = v.trim();
    if (trimmed.length > TEXT_MAX) return new Error(`${key} is longer than ${TEXT_MAX} characters`);
    return trimmed === '' ? null : trimmed;
  };
  const list = (key: string): string[] | Error => {
    const v = values[key];
    if (Array.isArray(v)) {
      if (!v.every((x) => typeof x === 'string')) return new Error(`${key} must be strings`);
      return v.map((x) => x.trim()).filter((x) => x !== '');
    }
    const t = text(key);
    if (t instanceof Error) return t;
    return t === null ? [] : t.split(/[;\s]+/).filter((x) => x !== '');
  };
  const name = text('name');
  if (name instanceof Error) return name.message;
  if (name === null) return 'name is missing';
  if (!NAME.test(name))
    return `name "${name}" is not a host or asset name (letters, digits, . _ -)`;
  const kind = text('kind');
  if (kind instanceof Error) return kind.message;
  if (kind === null || !isAssetKind(kind))
    return `kind ${kind === null ? 'is missing' : `"${kind}" is unknown`}; one of ${ASSET_KINDS.join(', ')}`;
  const criticality = text('criticality') ?? 'medium';
  if (criticality instanceof Error) return criticality.message;
  if (!isCriticality(criticality))
    return `criticality "${criticality}" is unknown; one of ${CRITICALITIES.join(', ')}`;
  const status = text('status') ?? 'unknown';
  if (status instanceof Error) return status.message;
  if (!isOperationalStatus(status))
    return `status "${status}" is unknown; one of ${OPERATIONAL_STATUSES.join(', ')}`;
  const rawAddresses = list('addresses');
  if (rawAddresses instanceof Error) return rawAddresses.message;
  const addresses: string[] = [];
  for (const raw of rawAddresses) {
    const parsed = parseIpAddress(raw);
    if (!parsed) return `address "${raw}" is not an IPv4 or IPv6 address`;
    if (!addresses.includes(parsed.address)) addresses.push(parsed.address);
  }
  const tags = list('tags');
  if (tags instanceof Error) return tags.message;
  const mac = text('mac');
  if (mac instanceof Error) return mac.message;
  if (mac !== null && !MAC.test(mac)) return `mac "${mac}" is not a MAC address`;
  const agentValue = values['agent'];
  let agentInstalled: boolean;
  if (typeof agentValue === 'boolean') agentInstalled = agentValue;
  else {
    const a = text('agent');
    if (a instanceof Error) return a.message;
    const normal = (a ?? 'no').toLowerCase();
    if (!['yes', 'no', 'true', 'false', '1', '0'].includes(normal))
      return `agent "${a}" must be yes or no`;
    agentInstalled = ['yes', 'true', '1'].includes(normal);
  }
  const others: Record<string, string | null> = {};
  for (const key of ['os', 'owner', 'location', 'segment', 'redundancy_group']) {
    const v = text(key);
    if (v instanceof Error) return v.message;
    others[key] = v;
  }
  return {
    fields: {
      name,
      kind,
      addresses,
      mac: mac === null ? null : mac.toLowerCase().replaceAll('-', ':'),
      os: others['os'] ?? null,
      owner: others['owner'] ?? null,
      location: others['location'] ?? null,
      criticality,
      tags: [...new Set(tags)].sort(),
      redundancyGroup: others['redundancy_group'] ?? null,
      agentInstalled,
      operationalStatus: status,
    },
    segmentName: others['segment'] ?? null,
  };
}

const countNewlines = (record: readonly string[]): number =>
  record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);

function lineOf(error: unknown): number {
  const lines = (error as { lines?: unknown } | null)?.lines;
  return typeof lines === 'number' ? lines : 0;
}
