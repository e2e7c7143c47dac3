/**
 * The MSSP routes declare their answers in the served OpenAPI document: each listed operation
 * has a JSON schema for its success status, and a channel's view names `secretSet`, never the
 * secret. (The schema is also the serializer, so the route tests that read these answers check
 * that nothing they need is dropped.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

const DECLARED: readonly [string, string, string][] = [
  ['get', '/api/v1/regulatory-regimes', '200'],
  ['get', '/api/v1/tenants/{tenantId}/incidents/{incidentId}/sla', '200'],
  ['post', '/api/v1/tenants/{tenantId}/incidents/{incidentId}/sla/pause', '201'],
  ['post', '/api/v1/tenants/{tenantId}/incidents/{incidentId}/sla/resume', '200'],
  ['put', '/api/v1/tenants/{tenantId}/guarantee/contract', '200'],
  ['get', '/api/v1/tenants/{tenantId}/guarantee/contract', '200'],
  ['post', '/api/v1/tenants/{tenantId}/guarantee/gap-notices', '201'],
  ['get', '/api/v1/tenants/{tenantId}/guarantee/gap-notices', '200'],
  ['get', '/api/v1/tenants/{tenantId}/guarantee/statement', '200'],
  ['post', '/api/v1/tenants/{tenantId}/incidents/{incidentId}/guarantee/entries', '201'],
  ['get', '/api/v1/tenants/{tenantId}/incidents/{incidentId}/guarantee/entries', '200'],
  [
    'post',
    '/api/v1/tenants/{tenantId}/incidents/{incidentId}/guarantee/entries/{entryId}/correction',
    '201',
  ],
  ['get', '/api/v1/tenants/{tenantId}/incidents/{incidentId}/guarantee/statement', '200'],
  ['post', '/api/v1/tenants/{tenantId}/notifications/channels', '201'],
  ['get', '/api/v1/tenants/{tenantId}/notifications/channels', '200'],
  ['post', '/api/v1/tenants/{tenantId}/notifications/channels/{channelId}/disable', '200'],
  ['post', '/api/v1/tenants/{tenantId}/notifications/channels/{channelId}/enable', '200'],
  ['post', '/api/v1/tenants/{tenantId}/notifications/rules', '201'],
  ['get', '/api/v1/tenants/{tenantId}/notifications/rules', '200'],
  ['get', '/api/v1/tenants/{tenantId}/notifications/outbox', '200'],
  ['post', '/api/v1/tenants/{tenantId}/notifications/outbox/{outboxId}/replay', '202'],
  ['get', '/api/v1/tenants/{tenantId}/report-templates', '200'],
  ['get', '/api/v1/tenants/{tenantId}/report-templates/{kind}', '200'],
  ['put', '/api/v1/tenants/{tenantId}/report-templates/{kind}', '200'],
];

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}

describe('OpenAPI answers of the MSSP routes', () => {
  let t: TestServer;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    const doc = await t.server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    paths = doc.json<{ paths: typeof paths }>().paths;
  });
  afterAll(async () => t?.dispose());

  it('declares a JSON schema for the success answer of each', () => {
    const missing = DECLARED.filter(([method, path, status]) => {
      const schema =
        paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;
      return schema === undefined || Object.keys(schema).length === 0;
    }).map(([method, path, status]) => `${method.toUpperCase()} ${path} ${status}`);
    expect(missing).toEqual([]);
  });

  it('shows that a channel has a secret, and the secret only in the answer that made it', () => {
    const schemaOf = (path: string, method: string, status: string) =>
      JSON.stringify(
        paths[path]![method]!.responses![status]!.content!['application/json']!.schema,
      );
    const list = schemaOf('/api/v1/tenants/{tenantId}/notifications/channels', 'get', '200');
    expect(list).toContain('"secretSet"');
    expect(list).not.toContain('"secret"');
    const created = schemaOf('/api/v1/tenants/{tenantId}/notifications/channels', 'post', '201');
    expect(created).toContain('"secret"');
  });
});
