/**
 * Reconciliation of the documentation with what telemetry sees. Findings are computed from
 * the records, not stored, so resolving the cause (adopting, merging, retiring) is what makes
 * a finding go away; a finding's id names its cause and stays the same until then.
 *
 * - undocumented: a host seen in telemetry that matches no documented asset;
 * - stale: a documented asset (other than an application) not seen for `staleDays`;
 * - address_conflict: a host seen with an address that is documented for a different asset.
 */
import type { Asset } from './asset.ts';
import { assetIndex } from './asset-matching.ts';
import type { ObservedHost } from './observed-host.ts';

export const DEFAULT_STALE_DAYS = 30;
export const RESOLUTIONS = ['adopt', 'merge', 'retire'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export type ReconciliationFinding =
  | {
      readonly kind: 'undocumented';
      readonly id: string;
      readonly observedHost: ObservedHost;
      readonly resolutions: readonly Resolution[];
    }
  | {
      readonly kind: 'stale';
      readonly id: string;
      readonly asset: Asset;
      /** Days since last seen (or since documented, when never seen). */
      readonly daysUnseen: number;
      readonly resolutions: readonly Resolution[];
    }
  | {
      readonly kind: 'address_conflict';
      readonly id: string;
      readonly observedHost: ObservedHost;
      /** The asset the host name matches, if any. */
      readonly namedAsset: Asset | null;
      /** The asset the address is documented for. */
      readonly addressAsset: Asset;
      readonly resolutions: readonly Resolution[];
    };

/** Whether a documented asset kind is expected to appear in telemetry. */
export const emitsTelemetry = (asset: Asset): boolean => asset.kind !== 'application';

export function reconcile(
  assets: readonly Asset[],
  observed: readonly ObservedHost[],
  options: { now: number; staleDays?: number },
): ReconciliationFinding[] {
  const staleMs = (options.staleDays ?? DEFAULT_STALE_DAYS) * 86_400_000;
  const index = assetIndex(assets);
  const findings: ReconciliationFinding[] = [];
  for (const host of observed) {
    if (host.dismissedAt !== null) continue;
    const named = index.byName(host.hostname);
    const holders = index.byAddress(host.ip);
    const other = holders.find((a) => a.id !== named?.id);
    if (named) {
      if (other && !holders.some((a) => a.id === named.id)) {
        findings.push({
          kind: 'address_conflict',
          id: `conflict:${host.id}`,
          observedHost: host,
          namedAsset: named,
          addressAsset: other,
          resolutions: ['merge', 'retire'],
        });
      }
      continue;
    }
    if (other) {
      // An address seen without a name belongs to whoever documents it.
      if (host.hostname === '') continue;
      findings.push({
        kind: 'address_conflict',
        id: `conflict:${host.id}`,
        observedHost: host,
        namedAsset: null,
        addressAsset: other,
        resolutions: ['adopt', 'merge', 'retire'],
      });
      continue;
    }
    findings.push({
      kind: 'undocumented',
      id: `undocumented:${host.id}`,
      observedHost: host,
      resolutions: ['adopt', 'merge', 'retire'],
    });
  }
  for (const asset of assets) {
    if (asset.retiredAt !== null || !emitsTelemetry(asset)) continue;
    const since = asset.lastSeenAt ?? asset.createdAt;
    if (options.now - since > staleMs) {
      findings.push({
        kind: 'stale',
        id: `stale:${asset.id}`,
        asset,
        daysUnseen: Math.floor((options.now - since) / 86_400_000),
        resolutions: ['retire'],
      });
    }
  }
  return findings;
}
