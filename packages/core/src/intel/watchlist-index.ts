/**
 * The in-memory index live matching asks for each value of an event: exact addresses, URLs
 * and hashes in hashed sets; networks by prefix length (one hashed set per length present, so
 * a lookup costs at most 33 probes for IPv4, 129 for IPv6, whatever the number of networks);
 * a domain by each of its parent domains, so `evil.example` also matches `a.b.evil.example`.
 * Each entry names the watchlists that hold it. Built whole from the active indicators and
 * replaced when they change; `validUntil` says when the next indicator expires (rebuild then).
 */
import { networkBytes } from '@cordon/protocol';
import { parseIpNetwork } from '@cordon/protocol';
import type { IndicatorKind } from './indicator.ts';
import type { WatchedIndicator } from './watchlist.ts';

export interface WatchHit {
  readonly kind: IndicatorKind;
  /** The watched indicator that matched (a network or parent domain may differ from the value). */
  readonly indicator: string;
  readonly watchlistIds: readonly string[];
}

type Lists = string[];

export class WatchlistIndex {
  static readonly empty = new WatchlistIndex();

  readonly size: number = 0;
  /** The earliest expiry of an indexed indicator (epoch ms), or null. */
  readonly validUntil: number | null = null;
  readonly #exact = new Map<string, Lists>();
  readonly #domains = new Map<string, Lists>();
  /** IPv4 networks: prefix length → network number (top bits) → lists. */
  readonly #v4 = new Map<number, Map<number, Lists>>();
  /** IPv6 networks: prefix length → leading bits as a '0'/'1' text → lists. */
  readonly #v6 = new Map<number, Map<string, Lists>>();
  readonly #kinds = new Set<IndicatorKind>();

  static build(indicators: Iterable<WatchedIndicator>): WatchlistIndex {
    const index = new WatchlistIndex();
    let size = 0;
    let validUntil: number | null = null;
    for (const indicator of indicators) {
      if (index.#add(indicator)) size++;
      if (
        indicator.validUntil !== null &&
        (validUntil === null || indicator.validUntil < validUntil)
      )
        validUntil = indicator.validUntil;
    }
    return Object.assign(index, { size, validUntil });
  }

  /** Whether any indicator of this kind is indexed (lets the caller skip whole fields). */
  has(kind: IndicatorKind): boolean {
    return this.#kinds.has(kind);
  }

  /** `value`: canonical address text (as `canonicalIp` gives for a single address). */
  matchIp(value: string): WatchHit | undefined {
    const exact = this.#exact.get(`ip\u0000${value}`);
    if (exact) return { kind: 'ip', indicator: value, watchlistIds: exact };
    if (value.includes(':')) return this.#v6.size === 0 ? undefined : this.#matchV6(value);
    return this.#v4.size === 0 ? undefined : this.#matchV4(value);
  }

  /** `value`: lower-case host name without a trailing dot. */
  matchDomain(value: string): WatchHit | undefined {
    if (this.#domains.size === 0) return undefined;
    let name = value;
    for (;;) {
      const lists = this.#domains.get(name);
      if (lists) return { kind: 'domain', indicator: name, watchlistIds: lists };
      const dot = name.indexOf('.');
      if (dot < 0) return undefined;
      name = name.slice(dot + 1);
    }
  }

  /** `value`: a canonical URL or a lower-case hash of `kind`. */
  matchExact(kind: 'url' | 'md5' | 'sha1' | 'sha256', value: string): WatchHit | undefined {
    const lists = this.#exact.get(`${kind}\u0000${value}`);
    return lists ? { kind, indicator: value, watchlistIds: lists } : undefined;
  }

  #add(indicator: WatchedIndicator): boolean {
    this.#kinds.add(indicator.kind);
    if (indicator.kind === 'domain')
      return push(this.#domains, indicator.value, indicator.watchlistId);
    if (indicator.kind === 'ip' && indicator.value.includes('/'))
      return this.#addNetwork(indicator);
    return push(this.#exact, `${indicator.kind}\u0000${indicator.value}`, indicator.watchlistId);
  }

  #addNetwork(indicator: WatchedIndicator): boolean {
    const network = parseIpNetwork(indicator.value);
    const bytes = network && networkBytes(network);
    if (!network || !bytes) return false;
    if (network.family === 4) {
      const key = network.prefix === 0 ? 0 : v4Number(bytes) >>> (32 - network.prefix);
      return push(slot(this.#v4, network.prefix), key, indicator.watchlistId);
    }
    const key = bitText(bytes).slice(0, network.prefix);
    return push(slot(this.#v6, network.prefix), key, indicator.watchlistId);
  }

  #matchV4(value: string): WatchHit | undefined {
    const address = fastV4(value);
    if (address === undefined) return undefined;
    for (const [prefix, networks] of this.#v4) {
      const key = prefix === 0 ? 0 : address >>> (32 - prefix);
      const lists = networks.get(key);
      if (lists) return { kind: 'ip', indicator: v4Network(key, prefix), watchlistIds: lists };
    }
    return undefined;
  }

  #matchV6(value: string): WatchHit | undefined {
    const network = parseIpNetwork(value);
    const bytes = network && network.prefix === 128 ? networkBytes(network) : undefined;
    if (!bytes) return undefined;
    const bits = bitText(bytes);
    for (const [prefix, networks] of this.#v6) {
      const lists = networks.get(bits.slice(0, prefix));
      if (lists) return { kind: 'ip', indicator: `${value}/${prefix}`, watchlistIds: lists };
    }
    return undefined;
  }
}

function slot<K>(map: Map<number, Map<K, Lists>>, prefix: number): Map<K, Lists> {
  let inner = map.get(prefix);
  if (!inner) {
    inner = new Map();
    map.set(prefix, inner);
  }
  return inner;
}

function push<K>(map: Map<K, Lists>, key: K, watchlistId: string): boolean {
  const lists = map.get(key);
  if (!lists) {
    map.set(key, [watchlistId]);
    return true;
  }
  if (!lists.includes(watchlistId)) lists.push(watchlistId);
  return false;
}

function v4Number(bytes: readonly number[]): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

function v4Network(key: number, prefix: number): string {
  const n = prefix === 0 ? 0 : (key << (32 - prefix)) >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${prefix}`;
}

/** Dotted-quad text to a number without allocating; undefined when it is not one. */
function fastV4(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0 || part > 255) return undefined;
  return value * 256 + part;
}

function bitText(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(2).padStart(8, '0')).join('');
}
