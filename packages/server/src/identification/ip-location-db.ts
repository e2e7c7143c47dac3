/**
 * Country and autonomous system of an address, offline, from the CSV databases two npm
 * packages ship: `@ip-location-db/asn` (ranges → AS number and organisation; RouteViews,
 * NRO and DB-IP data, CC BY 4.0) and `@ip-location-db/asn-country` (ranges → country, from
 * the RIRs' delegation statistics). Nothing is fetched at run time. Each family's tables are
 * read once, on the first look-up that needs them, into sorted typed arrays searched by
 * bisection; a failed load is reported once and leaves look-ups answering nothing.
 */
import type { GeoIpAnswer, GeoIpLookup } from '@cordon/core';
import { networkBytes, parseIpAddress } from '@cordon/protocol';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const ASN_PACKAGE = '@ip-location-db/asn';
const COUNTRY_PACKAGE = '@ip-location-db/asn-country';

/** Inclusive ranges sorted by start, non-overlapping (as the packages publish them). */
interface RangeTable<T> {
  readonly starts: readonly bigint[] | Float64Array;
  readonly ends: readonly bigint[] | Float64Array;
  readonly values: readonly T[];
}

interface FamilyTables {
  readonly asn: RangeTable<{ readonly asn: number; readonly organisation: string | null }>;
  readonly country: RangeTable<string>;
}

function packageDir(name: string): string {
  return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
}

function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** Splits `start,end,rest` where only the last field may be quoted (organisation names). */
function* csvRows(text: string): Generator<[string, string, string]> {
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end).replace(/\r$/, '');
    at = end + 1;
    const a = line.indexOf(',');
    const b = a < 0 ? -1 : line.indexOf(',', a + 1);
    if (b < 0) continue;
    yield [line.slice(0, a), line.slice(a + 1, b), line.slice(b + 1)];
  }
}

function unquote(field: string): string {
  return field.startsWith('"') && field.endsWith('"') && field.length >= 2
    ? field.slice(1, -1).replaceAll('""', '"')
    : field;
}

async function loadTable<T>(
  file: string,
  family: 4 | 6,
  value: (rest: string) => T | undefined,
): Promise<RangeTable<T>> {
  const text = await readFile(file, 'utf8');
  const starts: (number | bigint)[] = [];
  const ends: (number | bigint)[] = [];
  const values: T[] = [];
  for (const [start, end, rest] of csvRows(text)) {
    const v = value(rest);
    if (v === undefined) continue;
    if (family === 4) {
      const s = Number(start);
      const e = Number(end);
      if (!Number.isFinite(s) || !Number.isFinite(e)) continue;
      starts.push(s);
      ends.push(e);
    } else {
      try {
        starts.push(BigInt(start));
        ends.push(BigInt(end));
      } catch {
        continue;
      }
    }
    values.push(v);
  }
  return family === 4
    ? {
        starts: Float64Array.from(starts as number[]),
        ends: Float64Array.from(ends as number[]),
        values,
      }
    : { starts: starts as bigint[], ends: ends as bigint[], values };
}

function find<T>(table: RangeTable<T>, point: number | bigint): T | undefined {
  let lo = 0;
  let hi = table.values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = table.starts[mid]!;
    if (start <= point) {
      if (point <= table.ends[mid]!) return table.values[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return undefined;
}

export interface IpLocationDbOptions {
  /** Told once if the databases cannot be read (the package is missing or damaged). */
  readonly onLoadError?: (error: unknown) => void;
}

export class IpLocationDb implements GeoIpLookup {
  readonly database: string;
  readonly #loads = new Map<4 | 6, Promise<FamilyTables | undefined>>();
  readonly #options: IpLocationDbOptions;

  constructor(options: IpLocationDbOptions = {}) {
    this.#options = options;
    this.database = `${ASN_PACKAGE}@${packageVersion(ASN_PACKAGE)}, ${COUNTRY_PACKAGE}@${packageVersion(COUNTRY_PACKAGE)}`;
  }

  async lookup(address: string): Promise<GeoIpAnswer | undefined> {
    const ip = parseIpAddress(address);
    const bytes = ip && networkBytes(ip);
    if (!ip || !bytes) return undefined;
    const tables = await this.#tables(ip.family);
    if (!tables) return undefined;
    let point: number | bigint;
    if (ip.family === 4) {
      point = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
    } else {
      point = bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
    }
    const asn = find(tables.asn, point);
    const country = find(tables.country, point);
    if (!asn && !country) return undefined;
    return {
      country: country ?? null,
      asn: asn?.asn ?? null,
      asOrganisation: asn?.organisation ?? null,
    };
  }

  async warm(): Promise<void> {
    await Promise.all([this.#tables(4), this.#tables(6)]);
  }

  #tables(family: 4 | 6): Promise<FamilyTables | undefined> {
    let load = this.#loads.get(family);
    if (!load) {
      load = this.#load(family).catch((error: unknown) => {
        this.#options.onLoadError?.(error);
        return undefined;
      });
      this.#loads.set(family, load);
    }
    return load;
  }

  async #load(family: 4 | 6): Promise<FamilyTables> {
    const v = family === 4 ? 'ipv4' : 'ipv6';
    // Many ranges share an AS: one object per (number, organisation) keeps the table small.
    const interned = new Map<string, { asn: number; organisation: string | null }>();
    const [asn, country] = await Promise.all([
      loadTable(join(packageDir(ASN_PACKAGE), `asn-${v}-num.csv`), family, (rest) => {
        const comma = rest.indexOf(',');
        const number = Number(comma < 0 ? rest : rest.slice(0, comma));
        if (!Number.isInteger(number)) return undefined;
        const organisation = comma < 0 ? '' : unquote(rest.slice(comma + 1)).trim();
        const key = `${number}|${organisation}`;
        let entry = interned.get(key);
        if (!entry) {
          entry = { asn: number, organisation: organisation || null };
          interned.set(key, entry);
        }
        return entry;
      }),
      loadTable(join(packageDir(COUNTRY_PACKAGE), `asn-country-${v}-num.csv`), family, (rest) =>
        /^[A-Z]{2}$/.test(rest.trim()) ? rest.trim() : undefined,
      ),
    ]);
    return { asn, country };
  }
}
