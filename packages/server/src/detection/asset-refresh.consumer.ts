/**
 * Keeps network documentation current from telemetry: an `EventConsumer` that reports the hosts
 * and addresses each batch mentions to `ReconciliationService.observeHosts` — the reporting
 * host with its addresses, an observer (sensor, firewall) with its own, and internal source
 * and destination addresses. External addresses are the world, not the inventory.
 *
 * Cheap on the hot path: a batch is folded to distinct (host, address) pairs, and a pair
 * already written within `refreshMs` of event time is skipped (cache bounded per tenant), so a
 * steady stream from a known host costs one small transaction a minute, not one per event.
 */
import type { HostSighting, ReconciliationService } from '@cordon/core';
import { originScope } from '@cordon/core';
import { eventEntities } from '@cordon/ingest';
import type { EventConsumer, StoredIngestEvent } from '../pipeline/contracts.ts';

export interface AssetRefreshOptions {
  readonly reconciliation: ReconciliationService;
  /** Re-report a pair only when seen this much later than last written (default 60 s). */
  readonly refreshMs?: number;
  /** Pairs remembered per tenant (default 50,000). */
  readonly cacheSize?: number;
}

export class AssetRefreshConsumer implements EventConsumer {
  readonly name = 'asset-refresh';
  readonly #reconciliation: ReconciliationService;
  readonly #refreshMs: number;
  readonly #cacheSize: number;
  readonly #written = new Map<string, Map<string, number>>();
  /** Sightings handed to reconciliation (after folding and the cache), for tests and metrics. */
  reported = 0;

  constructor(options: AssetRefreshOptions) {
    this.#reconciliation = options.reconciliation;
    this.#refreshMs = options.refreshMs ?? 60_000;
    this.#cacheSize = options.cacheSize ?? 50_000;
  }

  async consume(tenantId: string, events: readonly StoredIngestEvent[]): Promise<void> {
    const latest = new Map<string, HostSighting>();
    const see = (hostname: string, ip: string, seenAt: number): void => {
      const key = `${hostname}\u0000${ip}`;
      const known = latest.get(key);
      if (!known || known.seenAt < seenAt) latest.set(key, { hostname, ip, seenAt });
    };
    for (const { event } of events) {
      const seenAt = Date.parse(event['@timestamp']);
      if (Number.isNaN(seenAt)) continue;
      for (const entity of eventEntities(event)) {
        if (entity.kind === 'host') {
          if (entity.role !== 'reporter' && entity.role !== 'observer') continue;
          if (entity.ips.length === 0) see(entity.key, '', seenAt);
          for (const ip of entity.ips) see(entity.key, ip, seenAt);
        } else if (entity.kind === 'ip') {
          if (
            (entity.role === 'source' || entity.role === 'destination') &&
            originScope(entity.address) === 'internal'
          )
            see('', entity.address, seenAt);
        }
      }
    }
    let cache = this.#written.get(tenantId);
    if (!cache) this.#written.set(tenantId, (cache = new Map<string, number>()));
    const due: HostSighting[] = [];
    for (const [key, sighting] of latest) {
      const written = cache.get(key);
      if (written !== undefined && sighting.seenAt - written < this.#refreshMs) continue;
      due.push(sighting);
    }
    if (due.length === 0) return;
    await this.#reconciliation.observeHosts(tenantId, due);
    this.reported += due.length;
    for (const sighting of due) {
      const key = `${sighting.hostname}\u0000${sighting.ip}`;
      cache.delete(key);
      cache.set(key, sighting.seenAt);
    }
    while (cache.size > this.#cacheSize) cache.delete(cache.keys().next().value!);
  }
}
