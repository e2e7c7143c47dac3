/**
 * Which values of an event a watchlist can match, and what they match: every string of the
 * event's ECS part and of its original `fields` (so `source.ip` and Sysmon's `DestinationIp`,
 * `dns.question.name` and `QueryName`, `file.hash.sha256` and `Hashes` all count), read by its
 * shape — an address, a hash of 32/40/64 hex digits, a URL (and its host, as a domain), a host
 * name — and looked up in the index. Free text (`message`, `event.original`) is not searched:
 * a watched value must be a field's whole value, as it is for a Sigma equality. The walk is
 * bounded in depth and in the number of values, so a hostile event costs a bounded time.
 */
import type { WatchHit, WatchlistIndex } from '@cordon/core';
import { canonicalUrl } from '@cordon/core';
import type { IngestEvent, JsonValue } from '@cordon/ingest';

const MAX_DEPTH = 6;
const MAX_VALUES = 512;
const MAX_VALUE_LENGTH = 2048;
const SKIPPED_ROOT_KEYS = new Set(['message', '@timestamp', 'log_source']);
const SKIPPED_EVENT_KEYS = new Set(['original', 'ingested']);
const HASH_KINDS: Readonly<Record<number, 'md5' | 'sha1' | 'sha256'>> = {
  32: 'md5',
  40: 'sha1',
  64: 'sha256',
};

export interface EventHit extends WatchHit {
  /** The event's value that matched (the address inside a network, the subdomain …). */
  readonly matched: string;
}

/** Every distinct watched indicator the event carries, against each index given. */
export function eventHits(event: IngestEvent, indexes: readonly WatchlistIndex[]): EventHit[] {
  const live = indexes.filter((index) => index.size > 0);
  if (live.length === 0) return [];
  const hits = new Map<string, EventHit>();
  let budget = MAX_VALUES;
  const onValue = (text: string): void => {
    for (const index of live) {
      for (const hit of valueHits(index, text)) {
        const key = `${hit.kind}\u0000${hit.indicator}\u0000${hit.watchlistIds.join(',')}`;
        if (!hits.has(key)) hits.set(key, hit);
      }
    }
  };
  const walk = (value: JsonValue, depth: number): void => {
    if (budget <= 0) return;
    if (typeof value === 'string') {
      budget--;
      if (value.length > 0 && value.length <= MAX_VALUE_LENGTH) onValue(value);
    } else if (Array.isArray(value)) {
      if (depth < MAX_DEPTH)
        for (const item of value as readonly JsonValue[]) walk(item, depth + 1);
    } else if (value !== null && typeof value === 'object' && depth < MAX_DEPTH) {
      for (const item of Object.values(value as Record<string, JsonValue>)) walk(item, depth + 1);
    }
  };
  const root = event as unknown as Record<string, JsonValue>;
  for (const key in root) {
    if (SKIPPED_ROOT_KEYS.has(key)) continue;
    if (key === 'event') {
      const ecsEvent = root[key] as Record<string, JsonValue>;
      for (const eventKey in ecsEvent)
        if (!SKIPPED_EVENT_KEYS.has(eventKey)) walk(ecsEvent[eventKey]!, 1);
    } else walk(root[key]!, 0);
  }
  return [...hits.values()];
}

/** What one string value matches in one index (most values match nothing, cheaply). */
function valueHits(index: WatchlistIndex, text: string): EventHit[] {
  const first = text.charCodeAt(0);
  const out: EventHit[] = [];
  const add = (hit: WatchHit | undefined, matched: string): void => {
    if (hit) out.push({ ...hit, matched });
  };
  const hashKind = HASH_KINDS[text.length];
  if (hashKind && index.has(hashKind) && isHex(text)) {
    const lower = text.toLowerCase();
    add(index.matchExact(hashKind, lower), lower);
    return out;
  }
  if (index.has('ip') && (isDigit(first) || text.includes(':'))) {
    const ip = addressOf(text);
    if (ip) {
      add(index.matchIp(ip), ip);
      return out;
    }
  }
  if (text.includes('://')) {
    urlHits(index, text, add);
    return out;
  }
  if (text.includes('=') && text.includes(',')) {
    hashListHits(index, text, add);
    return out;
  }
  if (index.has('domain') && text.includes('.') && isHostName(text)) {
    const name = text.toLowerCase().replace(/\.$/, '');
    add(index.matchDomain(name), name);
  }
  return out;
}

function urlHits(
  index: WatchlistIndex,
  text: string,
  add: (hit: WatchHit | undefined, matched: string) => void,
): void {
  if (!index.has('url') && !index.has('domain') && !index.has('ip')) return;
  const url = canonicalUrl(text);
  if (!url) return;
  if (index.has('url')) add(index.matchExact('url', url), url);
  const host = new URL(url).hostname;
  const ip = addressOf(host.startsWith('[') ? host.slice(1, -1) : host);
  if (ip) add(index.matchIp(ip), ip);
  else add(index.matchDomain(host), host);
}

/** Sysmon's `Hashes`: `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`. */
function hashListHits(
  index: WatchlistIndex,
  text: string,
  add: (hit: WatchHit | undefined, matched: string) => void,
): void {
  for (const part of text.split(',', 8)) {
    const value = part.slice(part.indexOf('=') + 1).trim();
    const kind = HASH_KINDS[value.length];
    if (kind && isHex(value)) add(index.matchExact(kind, value.toLowerCase()), value.toLowerCase());
  }
}

/** The canonical address an event value is, or undefined. */
function addressOf(text: string): string | undefined {
  if (!text.includes(':')) return isDottedQuad(text) ? text : undefined;
  let ip = text.toLowerCase();
  if (ip.startsWith('::ffff:') && ip.includes('.')) {
    ip = ip.slice(7);
    return isDottedQuad(ip) ? ip : undefined;
  }
  const zone = ip.indexOf('%');
  if (zone > 0) ip = ip.slice(0, zone);
  if (!/^[0-9a-f:]{2,39}$/.test(ip)) return undefined;
  return canonicalV6(ip);
}

function canonicalV6(ip: string): string | undefined {
  // Already canonical in the common case; parse only when it may not be.
  try {
    const url = new URL(`http://[${ip}]/`);
    return url.hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

function isDottedQuad(text: string): boolean {
  let dots = 0;
  let digits = 0;
  let part = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) return false;
      dots++;
      digits = 0;
      part = 0;
    } else if (isDigit(c) && digits < 3 && !(digits > 0 && part === 0)) {
      part = part * 10 + (c - 48);
      if (part > 255) return false;
      digits++;
    } else return false;
  }
  return dots === 3 && digits > 0;
}

function isHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

function isHostName(text: string): boolean {
  return text.length <= 254 && /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+\.?$/.test(text);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
