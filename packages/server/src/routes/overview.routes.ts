/**
 * The console's overview: `GET /api/v1/overview` (every tenant the caller may read, with
 * totals: the MSSP's first screen) and `GET /api/v1/tenants/:tenantId/overview` (one tenant).
 * Both are aggregate reads whose cost does not grow with the incidents, alerts or events
 * stored (see the storage layer's overview queries and migration 0017).
 */
import { MsspOverviewView, TenantOverviewView, TenantParams } from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import { msspOverviewView, tenantOverviewView } from '../http/overview-views.ts';
import type { App, Services } from './route-context.ts';

const tags = ['overview'];

export function overviewRoutes(app: App, { overview }: Services): void {
  app.get(
    '/api/v1/overview',
    { schema: { tags, response: { 200: MsspOverviewView } } },
    async (request) => msspOverviewView(await overview.tenants(principalOf(request))),
  );

  app.get(
    '/api/v1/tenants/:tenantId/overview',
    { schema: { tags, params: TenantParams, response: { 200: TenantOverviewView } } },
    async (request) =>
      tenantOverviewView(await overview.tenant(principalOf(request), request.params.tenantId)),
  );
}
