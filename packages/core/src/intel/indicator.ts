/**
 * A watched indicator of compromise: what a watchlist holds and what live matching looks for.
 * Values are stored canonical, so that the same indicator written two ways is one entry and an
 * event's value can be compared by string: IP addresses and networks as RFC 5952 / dotted text
 * with host bits masked, domains lower-case without a trailing dot (a domain also covers its
 * subdomains), URLs as the WHATWG parser renders them, hashes as lower-case hex.
 */
import { parseIpNetwork } from '@cordon/protocol';

export const INDICATOR_KINDS = ['ip', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** Longest indicator value accepted (a URL can be long; anything longer is not an IOC). */
export const MAX_INDICATOR_LENGTH = 2048;

export interface IndicatorValue {
  readonly kind: IndicatorKind;
  /** Canonical text (see the module comment); an IP entry may be a network (`10.0.0.0/8`). */
  readonly value: string;
}

const HASH_KIND_BY_LENGTH: Readonly<Record<number, IndicatorKind>> = {
  32: 'md5',
  40: 'sha1',
  64: 'sha256',
};

const DOMAIN_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

export function isIndicatorKind(value: string): value is IndicatorKind {
  return (INDICATOR_KINDS as readonly string[]).includes(value);
}

/** The canonical indicator for a value of a known kind, or undefined when it is not one. */
export function canonicalIndicator(kind: IndicatorKind, text: string): IndicatorValue | undefined {
  const value = canonicalValue(kind, text.trim());
  return value === undefined ? undefined : { kind, value };
}

function canonicalValue(kind: IndicatorKind, text: string): string | undefined {
  if (text.length === 0 || text.length > MAX_INDICATOR_LENGTH) return undefined;
  switch (kind) {
    case 'ip':
      return canonicalIp(text);
    case 'domain':
      return canonicalDomain(text);
    case 'url':
      return canonicalUrl(text);
    case 'md5':
    case 'sha1':
    case 'sha256':
      return canonicalHash(text) === kind ? text.toLowerCase() : undefined;
  }
}

/** An address or network in canonical text (`::ffff:a.b.c.d` is read as the IPv4 address). */
export function canonicalIp(text: string): string | undefined {
  const unmapped =
    text.toLowerCase().startsWith('::ffff:') && text.includes('.') ? text.slice(7) : text;
  return parseIpNetwork(unmapped)?.cidr;
}

/** A host name, lower-case, punycode for international names, at least two labels. */
export function canonicalDomain(text: string): string | undefined {
  let name = text.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.startsWith('*.')) name = name.slice(2);
  if (name.length > 253) return undefined;
  if (/[^\x21-\x7e]/.test(name)) {
    try {
      name = new URL(`http://${name}/`).hostname;
    } catch {
      return undefined;
    }
  }
  const labels = name.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return undefined;
  // All-numeric last label: an IPv4 address or a typo, not a domain.
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  return name;
}

/** A URL of a scheme with a host, as the WHATWG parser renders it (fragment dropped). */
export function canonicalUrl(text: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.hostname === '') return undefined;
  url.hash = '';
  return url.href;
}

/** The hash kind of a hex text by its length, or undefined. */
export function canonicalHash(text: string): IndicatorKind | undefined {
  if (!/^[0-9a-fA-F]+$/.test(text)) return undefined;
  return HASH_KIND_BY_LENGTH[text.length];
}

/**
 * What a bare IOC text is, by its shape: an address or network, a URL, a hash, else a domain.
 * Undefined when it is none of them.
 */
export function inferIndicator(text: string): IndicatorValue | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_INDICATOR_LENGTH) return undefined;
  const hashKind = canonicalHash(trimmed);
  if (hashKind) return { kind: hashKind, value: trimmed.toLowerCase() };
  const ip = canonicalIp(trimmed);
  if (ip) return { kind: 'ip', value: ip };
  if (trimmed.includes('://')) return canonicalIndicator('url', trimmed);
  return canonicalIndicator('domain', trimmed);
}
