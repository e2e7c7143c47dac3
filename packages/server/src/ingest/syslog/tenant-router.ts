/**
 * Which tenant a syslog record belongs to: the listener's own tenant, else the first
 * `--syslog-map` network that holds the sender's address. Senders that match nothing are
 * refused (counted, not stored): a record must never land in the wrong tenant's store.
 * Lookups are cached per address (bounded), since a listener sees few distinct senders.
 */
import type { IpNetwork } from '@cordon/protocol';
import { networkContains, parseIpAddress } from '@cordon/protocol';

export interface ResolvedRoute {
  readonly network: IpNetwork;
  readonly tenantId: string;
}

const CACHE_LIMIT = 10_000;

export class TenantRouter {
  readonly #fixed: string | undefined;
  readonly #routes: readonly ResolvedRoute[];
  readonly #cache = new Map<string, string | null>();

  constructor(fixedTenantId: string | undefined, routes: readonly ResolvedRoute[]) {
    this.#fixed = fixedTenantId;
    this.#routes = routes;
  }

  tenantFor(address: string | undefined): string | undefined {
    if (this.#fixed !== undefined) return this.#fixed;
    if (address === undefined) return undefined;
    const cached = this.#cache.get(address);
    if (cached !== undefined) return cached ?? undefined;
    // IPv4 peers of a dual-stack socket arrive as ::ffff:a.b.c.d.
    const host = parseIpAddress(address.startsWith('::ffff:') ? address.slice(7) : address);
    const route =
      host === undefined ? undefined : this.#routes.find((r) => networkContains(r.network, host));
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(address, route?.tenantId ?? null);
    return route?.tenantId;
  }
}
