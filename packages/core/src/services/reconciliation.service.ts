/**
 * Keeping the documentation current from telemetry. `observeHost` is what the ingest pipeline
 * calls for each host it sees: a new (name, address) pair is recorded and journalled once;
 * later sightings only move the last-seen times forward, which is bookkeeping rather than a
 * change anyone made, so they are not journalled. Findings are listed from the records and
 * resolved by adopting, merging or retiring, each resolution journalled.
 */
import { parseIpAddress } from '@cordon/protocol';
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import type { Asset, AssetKind, Criticality } from '../assets/asset.ts';
import { ALIAS_TAG_PREFIX, assetIndex, shortName } from '../assets/asset-matching.ts';
import type { HostSighting, ObservedHost } from '../assets/observed-host.ts';
import type { ReconciliationFinding, Resolution } from '../assets/reconciliation.ts';
import { reconcile } from '../assets/reconciliation.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import { loadAsset } from './asset.service.ts';
import { PREPARATION_READ, PREPARATION_WRITE } from './preparation-access.ts';

export interface ResolveFinding {
  readonly findingId: string;
  readonly action: Resolution;
  /** merge: the documented asset the host is (its address and name join that asset). */
  readonly assetId?: string;
  /** adopt: what the new asset is (default workstation, criticality low). */
  readonly kind?: AssetKind;
  readonly criticality?: Criticality;
}

export class ReconciliationService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Records that telemetry saw a host. Returns the observed-host record. */
  async observeHost(tenantId: string, sighting: HostSighting): Promise<ObservedHost> {
    const ip = parseIpAddress(sighting.ip)?.address;
    if (!ip) throw invalidInput(`"${sighting.ip}" is not an IP address`);
    const hostname = sighting.hostname.trim().toLowerCase();
    if (hostname.length > 253) throw invalidInput('host name longer than 253 characters');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const p = scope.preparation;
      const index = assetIndex(await p.assets.list());
      const asset =
        index.byName(hostname) ?? (hostname === '' ? index.byAddress(ip)[0] : undefined);
      if (asset) await p.assets.markSeen(asset.id, sighting.seenAt);
      const known = await p.observedHosts.find(hostname, ip);
      if (known) {
        await p.observedHosts.touch(known.id, sighting.seenAt);
        return {
          ...known,
          firstSeenAt: Math.min(known.firstSeenAt, sighting.seenAt),
          lastSeenAt: Math.max(known.lastSeenAt, sighting.seenAt),
        };
      }
      const host: ObservedHost = {
        id: newId(),
        tenantId,
        hostname,
        ip,
        firstSeenAt: sighting.seenAt,
        lastSeenAt: sighting.seenAt,
        dismissedAt: null,
      };
      await p.observedHosts.insert(host);
      await scope.journal.append({
        actor: 'system:telemetry',
        kind: 'host.first_seen',
        payload: { observedHostId: host.id, hostname, ip, assetId: asset?.id ?? null },
      });
      return host;
    });
  }

  async findings(
    principal: Principal,
    tenantId: string,
    options: { staleDays?: number } = {},
  ): Promise<ReconciliationFinding[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => this.#findings(uow.forTenant(tenantId), options));
  }

  async resolve(
    principal: Principal,
    tenantId: string,
    input: ResolveFinding,
  ): Promise<{ finding: ReconciliationFinding; asset: Asset | null }> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const p = scope.preparation;
      const finding = (await this.#findings(scope, {})).find((f) => f.id === input.findingId);
      if (!finding) throw notFound('finding');
      if (!finding.resolutions.includes(input.action)) {
        throw invalidInput(
          `a ${finding.kind} finding is resolved by ${finding.resolutions.join(', ')}, not ${input.action}`,
        );
      }
      const now = this.#clock.now();
      let asset: Asset | null = null;
      switch (input.action) {
        case 'adopt': {
          if (finding.kind === 'stale') throw new CordonError('internal', 'unreachable');
          const host = finding.observedHost;
          if (finding.kind === 'address_conflict') await this.#release(scope, host.ip, null, now);
          const name = shortName(host.hostname);
          if (await p.assets.findByName(name))
            throw new CordonError('conflict', `an asset named ${name} exists: merge instead`);
          asset = {
            id: newId(),
            tenantId,
            name,
            kind: input.kind ?? 'workstation',
            addresses: [host.ip],
            mac: null,
            os: null,
            owner: null,
            location: null,
            criticality: input.criticality ?? 'low',
            tags: [],
            segmentId: null,
            redundancyGroup: null,
            agentInstalled: false,
            operationalStatus: 'up',
            lastSeenAt: host.lastSeenAt,
            retiredAt: null,
            createdAt: now,
            updatedAt: now,
          };
          await p.assets.insertMany([asset]);
          break;
        }
        case 'merge': {
          if (finding.kind === 'stale') throw new CordonError('internal', 'unreachable');
          const targetId =
            input.assetId ??
            (finding.kind === 'address_conflict' ? finding.namedAsset?.id : undefined);
          if (!targetId) throw invalidInput('merge needs assetId: the asset this host is');
          const target = await loadAsset(scope, targetId);
          const host = finding.observedHost;
          await this.#release(scope, host.ip, target.id, now);
          const alias = `${ALIAS_TAG_PREFIX}${shortName(host.hostname)}`;
          const named = host.hostname === '' || shortName(host.hostname) === shortName(target.name);
          const tags =
            named || target.tags.includes(alias) ? target.tags : [...target.tags, alias].sort();
          const addresses = target.addresses.includes(host.ip)
            ? target.addresses
            : [...target.addresses, host.ip];
          await p.assets.update(target.id, { addresses, tags, updatedAt: now });
          await p.assets.markSeen(target.id, host.lastSeenAt);
          asset = { ...target, addresses, tags, updatedAt: now };
          break;
        }
        case 'retire': {
          if (finding.kind === 'undocumented') {
            await p.observedHosts.dismiss(finding.observedHost.id, now);
          } else {
            const target = finding.kind === 'stale' ? finding.asset : finding.addressAsset;
            await p.assets.update(target.id, { retiredAt: now, updatedAt: now });
            asset = { ...target, retiredAt: now, updatedAt: now };
          }
          break;
        }
      }
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'reconciliation.resolved',
        payload: {
          findingId: finding.id,
          finding: finding.kind,
          action: input.action,
          assetId: asset?.id ?? null,
        },
      });
      return { finding, asset };
    });
  }

  async #findings(
    scope: TenantScope,
    options: { staleDays?: number },
  ): Promise<ReconciliationFinding[]> {
    const p = scope.preparation;
    return reconcile(await p.assets.list(), await p.observedHosts.list(), {
      now: this.#clock.now(),
      ...(options.staleDays !== undefined ? { staleDays: options.staleDays } : {}),
    });
  }

  /** Removes `ip` from every active asset except `keep`: an address is one host's. */
  async #release(scope: TenantScope, ip: string, keep: string | null, now: number): Promise<void> {
    for (const holder of assetIndex(await scope.preparation.assets.list()).byAddress(ip)) {
      if (holder.id === keep) continue;
      await scope.preparation.assets.update(holder.id, {
        addresses: holder.addresses.filter((a) => a !== ip),
        updatedAt: now,
      });
    }
  }
}
