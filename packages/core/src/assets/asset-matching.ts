/**
 * Which documented asset a telemetry host name or address refers to. Names compare without
 * case and without the DNS domain (`WEB01.acme.local` is `web01`); an asset answers to its own
 * name and to the `alias:<name>` tags that merging adds.
 */
import type { Asset } from './asset.ts';

export const shortName = (name: string): string => name.trim().toLowerCase().split('.')[0] ?? '';

export const ALIAS_TAG_PREFIX = 'alias:';

export interface AssetIndex {
  byName(hostname: string): Asset | undefined;
  byAddress(ip: string): readonly Asset[];
}

/** An index over the assets that are not retired. */
export function assetIndex(assets: readonly Asset[]): AssetIndex {
  const names = new Map<string, Asset>();
  const addresses = new Map<string, Asset[]>();
  for (const asset of assets) {
    if (asset.retiredAt !== null) continue;
    const keys = [
      asset.name,
      ...asset.tags
        .filter((t) => t.startsWith(ALIAS_TAG_PREFIX))
        .map((t) => t.slice(ALIAS_TAG_PREFIX.length)),
    ];
    for (const key of keys) if (!names.has(shortName(key))) names.set(shortName(key), asset);
    for (const address of asset.addresses) {
      const list = addresses.get(normaliseAddress(address)) ?? [];
      list.push(asset);
      addresses.set(normaliseAddress(address), list);
    }
  }
  return {
    byName: (hostname) => (hostname === '' ? undefined : names.get(shortName(hostname))),
    byAddress: (ip) => addresses.get(normaliseAddress(ip)) ?? [],
  };
}

export const normaliseAddress = (ip: string): string => ip.trim().toLowerCase();
