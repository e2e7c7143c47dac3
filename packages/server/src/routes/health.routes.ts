/** Liveness, readiness, Prometheus metrics and the OpenAPI document: no authentication. */
import type { Registry } from 'prom-client';
import type { App, Services } from './route-context.ts';

export function healthRoutes(app: App, services: Services, registry: Registry): void {
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { config: { public: true }, schema: { hide: true } },
    async (_request, reply) => {
      const ready = await services.store.ping();
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'database unavailable' });
    },
  );
  app.get(
    '/metrics',
    { config: { public: true }, schema: { hide: true } },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
