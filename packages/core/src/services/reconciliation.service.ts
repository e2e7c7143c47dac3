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
    const [host] = await this.observeHosts(tenantId, [sighting]);
    return host!;
  }

  /**
   * Records many sightings in one transaction (the pipeline's batches): the inventory is read
   * once, then each distinct (name, address) costs one lookup and one write. Sightings of the
   * same pair are folded into one (earliest first seen, latest last seen). A sighting with an
   * empty `ip` only marks the documented asset of that name as seen. Returns the observed-host
   * records of the sightings that have an address.
   */
  async observeHosts(
    tenantId: string,
    sightings: readonly HostSighting[],
  ): Promise<ObservedHost[]> {
    const folded = new Map<string, { hostname: string; ip: string; first: number; last: number }>();
    const namesOnly = new Map<string, number>();
    for (const sighting of sightings) {
      const hostname = sighting.hostname.trim().toLowerCase();
      if (hostname.length > 253) throw invalidInput('host name longer than 253 characters');
      if (sighting.ip === '' && hostname !== '') {
        // Telemetry that names its host without an address (most syslog) still proves a
        // documented asset alive; it cannot make an observed-host record, which needs one.
        namesOnly.set(hostname, Math.max(namesOnly.get(hostname) ?? 0, sighting.seenAt));
        continue;
      }
      const ip = parseIpAddress(sighting.ip)?.address;
      if (!ip) throw invalidInput(`"${sighting.ip}" is not an IP address`);
      const key = `${hostname}\u0000${ip}`;
      const known = folded.get(key);
      folded.set(key, {
        hostname,
        ip,
        first: Math.min(known?.first ?? sighting.seenAt, sighting.seenAt),
        last: Math.max(known?.last ?? sighting.seenAt, sighting.seenAt),
      });
    }
    if (folded.size === 0 && namesOnly.size === 0) return [];
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const p = scope.preparation;
      const index = assetIndex(await p.assets.list());
      for (const [hostname, seenAt] of namesOnly) {
        const asset = index.byName(hostname);
        if (asset) await p.assets.markSeen(asset.id, seenAt);
      }
      const out: ObservedHost[] = [];
      for (const { hostname, ip, first, last } of folded.values()) {
        const asset =
          index.byName(hostname) ?? (hostname === '' ? index.byAddress(ip)[0] : undefined);
        if (asset) await p.assets.markSeen(asset.id, last);
        const known = await p.observedHosts.find(hostname, ip);
        if (known) {
          if (first < known.firstSeenAt) await p.observedHosts.touch(known.id, first);
          if (last > known.lastSeenAt) await p.observedHosts.touch(known.id, last);
          out.push({
            ...known,
            firstSeenAt: Math.min(known.firstSeenAt, first),
            lastSeenAt: Math.max(known.lastSeenAt, last),
          });
          continue;
        }
        const host: ObservedHost = {
          id: newId(),
          tenantId,
          hostname,
          ip,
          firstSeenAt: first,
          lastSeenAt: last,
          dismissedAt: null,
        };
        await p.observedHosts.insert(host);
        await scope.journal.append({
          actor: 'system:telemetry',
          kind: 'host.first_seen',
          payload: { observedHostId: host.id, hostname, ip, assetId: asset?.id ?? null },
        });
        out.push(host);
      }
      return out;
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
