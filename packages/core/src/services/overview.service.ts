/**
 * The console's overview: one tenant's figures, or those of every tenant the caller may see
 * (an MSSP analyst's first screen). Access is decided per tenant by `authorize`/`can`, so a
 * client viewer's overview holds its own tenant and nothing else; the figures come from
 * aggregate queries whose cost follows the number of tenants shown, not what they store.
 */
import type { Principal } from '../access/principal.ts';
import { authorize, can } from '../access/principal.ts';
import { notFound } from '../errors/cordon-error.ts';
import type { TenantFigures } from '../ports/overview-queries.ts';
import type { Store } from '../ports/store.ts';
import type { Tenant } from '../tenants/tenant.ts';

export interface TenantOverview {
  readonly tenant: Tenant;
  readonly figures: TenantFigures;
}

export class OverviewService {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async tenant(principal: Principal, tenantId: string): Promise<TenantOverview> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const tenant = await uow.tenants.get(tenantId);
      if (!tenant) throw notFound('tenant');
      const [figures] = await uow.overview.figures([tenant.id]);
      return { tenant, figures: figures! };
    });
  }

  /** Every tenant the principal may read, by name. */
  async tenants(principal: Principal): Promise<TenantOverview[]> {
    return this.#store.transaction(async (uow) => {
      const visible = (await uow.tenants.list())
        .filter((t) => can(principal, t.id, 'tenant:read'))
        .sort((a, b) => a.name.localeCompare(b.name));
      const figures = new Map(
        (await uow.overview.figures(visible.map((t) => t.id))).map((f) => [f.tenantId, f]),
      );
      return visible.map((tenant) => ({ tenant, figures: figures.get(tenant.id)! }));
    });
  }
}
