/**
 * Walks every registered route with tenant B's credentials (API tokens and a browser session)
 * and tenant A's ids, and expects 403 or 404 with none of A's data in the answer. Routes come
 * from the server itself, so a route added later without an entry here fails this test until
 * someone decides how it is scoped and adds a request for it.
 *
 * issue 13 item 11 and "found by reading": A's ids went only into path parameters, so a
 * route that took an id in its body or query string without checking it against the tenant
 * (an incident linked to another tenant's alert) passed. Now every body and query property
 * named like an id (`…Id`, `…Ids`, `ids`), found in the routes' own schemas, is filled with
 * A's id on a request that is otherwise B's own and valid; every answer is searched for every
 * id A owns; and a public route not on the allow-list fails.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { loadOrCreateSecretBox } from '@cordon/storage';
import type { Role } from '@cordon/core';
import {
  CORDON_EXTENSION_ID,
  GuaranteeService,
  NotificationService,
  TriageService,
  systemClock,
} from '@cordon/core';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredRoute } from '../src/create-server.ts';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

/** A small playbook of one manual step, under an id of its tenant's own. */
const seedPlaybook = (tag: string) => {
  const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const team = `group--${u(9)}`;
  return {
    type: 'playbook',
    spec_version: 'cacao-2.0',
    id: `playbook--${u(tag === 'A' ? 0xa1 : 0xb1)}`,
    name: `${tag}-secret-playbook`,
    created: '2026-12-03T18:00:00.000Z',
    modified: '2026-12-03T18:00:00.000Z',
    workflow_start: `start--${u(1)}`,
    agent_definitions: { [team]: { type: 'group', name: 'team' } },
    workflow: {
      [`start--${u(1)}`]: { type: 'start', on_completion: `action--${u(2)}` },
      [`action--${u(2)}`]: {
        type: 'action',
        name: `${tag}-secret-step`,
        agent: team,
        commands: [{ type: 'manual' }],
        step_extensions: {
          [CORDON_EXTENSION_ID]: { kind: 'manual', phase: 'eradicated', owner_role: 'responder' },
        },
        on_completion: `end--${u(3)}`,
      },
      [`end--${u(3)}`]: { type: 'end' },
    },
  };
};

/** A valid body for each route that takes one, so that validation never hides the tenant check. */
/**
 * Path parameters that name no record of a tenant (every tenant has a `full` report kind and
 * every behavioural detector).
 */
const SHARED_PARAMS = new Set(['kind', 'detector']);

const bodies: Record<string, object> = {
  'PUT /api/v1/tenants/:tenantId/report-templates/:kind': { template: '<p>{{reference}}</p>' },
  'POST /api/v1/tenants/:tenantId/playbooks': { document: seedPlaybook('planted') },
  'POST /api/v1/tenants/:tenantId/playbooks/validate': { text: '{}' },
  'PUT /api/v1/tenants/:tenantId/playbooks/:playbookId': { document: seedPlaybook('planted') },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/playbook-runs': {
    playbookId: 'playbook--00000000-0000-4000-8000-0000000000c1',
  },
  'POST /api/v1/tenants/:tenantId/playbook-runs/:runId/steps/complete': { step: 'action--x' },
  'POST /api/v1/tenants/:tenantId/playbook-runs/:runId/steps/decide': {
    step: 'action--x',
    decision: 'approved',
  },
  'POST /api/v1/tenants': { name: 'Intruder Inc' },
  'POST /api/v1/auth/unlock': { email: 'a-lead@example.com' },
  'POST /api/v1/tenants/:tenantId/deadletters/replay': { all: true },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/guarantee/entries': {
    kind: 'cost',
    responder: 'planted',
    role: 'responder',
    service: 'forensics',
    phase: 'analysed',
    activity: 'planted',
    amountMinor: 1,
    occurredAt: '2026-01-01T00:00:00.000Z',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/guarantee/entries/:entryId/correction': {
    reason: 'cross-tenant attempt',
  },
  'POST /api/v1/tenants/:tenantId/notifications/channels': {
    kind: 'webhook',
    name: 'planted',
    target: 'http://192.0.2.1/planted',
  },
  'POST /api/v1/tenants/:tenantId/notifications/rules': {
    channelId: '00000000-0000-4000-8000-0000000000c2',
    events: ['incident_opened'],
  },
  'PUT /api/v1/tenants/:tenantId/guarantee/contract': {
    currency: 'EUR',
    categories: [],
    services: [],
    perIncidentLimitMinor: 0,
    perYearLimitMinor: 0,
    deductibleMinor: 0,
    rates: [],
    exclusions: [],
  },
  'POST /api/v1/tenants/:tenantId/guarantee/gap-notices': {
    check: 'roles_staffed',
    note: 'planted',
  },
  'POST /api/v1/tenants/:tenantId/events/search': { query: 'A-secret*' },
  'POST /api/v1/tenants/:tenantId/events/count': {},
  'POST /api/v1/tenants/:tenantId/events/terms': { field: 'host.name' },
  'POST /api/v1/tenants/:tenantId/events/histogram': {},
  'PUT /api/v1/tenants/:tenantId/events/retention': { days: 1 },
  'POST /api/v1/tenants/:tenantId/members': {
    email: 'mole@example.com',
    password: 'correct horse battery staple',
    role: 'analyst',
  },
  'POST /api/v1/tenants/:tenantId/tokens': { role: 'analyst' },
  'POST /api/v1/tenants/:tenantId/incidents': { title: 'planted', severity: 'low' },
  'PATCH /api/v1/tenants/:tenantId/incidents/:incidentId': { summary: 'overwritten' },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/transitions': {
    to: 'identified',
    overrideJustification: 'cross-tenant attempt',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/notes': { body: 'planted note' },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/identification/corrections': {
    action: 'set',
    kind: 'category',
    category: 'insider',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/observables': {
    kind: 'ip',
    value: '192.0.2.1',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/alerts': { alertId: 'planted' },
  'POST /api/v1/tenants/:tenantId/watchlists': {
    name: 'planted',
    source: 'planted',
    format: 'iocs',
    content: 'planted.example',
  },
  'POST /api/v1/platform/watchlists': {
    name: 'planted',
    source: 'planted',
    format: 'iocs',
    content: 'planted.example',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/tasks': {
    phase: 'eradicated',
    title: 'planted',
  },
  'PATCH /api/v1/tenants/:tenantId/incidents/:incidentId/tasks/:taskId': { status: 'done' },
  'POST /api/v1/tenants/:tenantId/segments': {
    name: 'planted',
    cidr: '192.0.2.0/24',
    zone: 'user',
  },
  'POST /api/v1/tenants/:tenantId/assets': { name: 'planted', kind: 'server' },
  'PATCH /api/v1/tenants/:tenantId/assets/:assetId': { owner: 'intruder' },
  'POST /api/v1/tenants/:tenantId/relations': {
    kind: 'depends_on',
    fromAssetId: '00000000-0000-4000-8000-000000000001',
    toId: '00000000-0000-4000-8000-000000000002',
  },
  'POST /api/v1/tenants/:tenantId/assets/import': {
    format: 'csv',
    content: 'name,kind\nplanted,server\n',
  },
  'POST /api/v1/tenants/:tenantId/reconciliation/resolve': {
    findingId: 'stale:00000000-0000-4000-8000-000000000001',
    action: 'retire',
  },
  'POST /api/v1/tenants/:tenantId/functions': { name: 'planted', mtdMinutes: 60, costPerHour: 1 },
  'POST /api/v1/tenants/:tenantId/backups': {
    name: 'planted',
    rpoMinutes: 60,
    rtoMinutes: 60,
    system: 'x',
  },
  'PATCH /api/v1/tenants/:tenantId/backups/:backupJobId': { offlineCopy: false },
  'POST /api/v1/tenants/:tenantId/plans': { title: 'planted', owner: 'x', body: '# planted' },
  'POST /api/v1/tenants/:tenantId/plans/:planId/versions': { body: '# overwritten' },
  'POST /api/v1/tenants/:tenantId/plans/:planId/review': {},
  'POST /api/v1/tenants/:tenantId/roles': {
    role: 'incident_lead',
    primary: { name: 'Mole', phone: '+1 555 0199', email: null, chat: null },
    backup: null,
  },
  'POST /api/v1/tenants/:tenantId/contacts': {
    kind: 'insurer',
    name: 'planted',
    organisation: null,
    phone: null,
    email: null,
    notes: '',
  },
  'POST /api/v1/tenants/:tenantId/readiness/snapshots': {},
  'POST /api/v1/tenants/:tenantId/oncall': {
    level: 'primary',
    person: { name: 'Mole', phone: '+1 555 0199', email: null, chat: null },
    startsAt: '2030-01-01T00:00:00Z',
    endsAt: '2030-01-01T12:00:00Z',
  },
  'POST /api/v1/tenants/:tenantId/exercises': { kind: 'tabletop', heldAt: '2024-01-01T00:00:00Z' },
  'POST /api/v1/tenants/:tenantId/agents/enrolment-tokens': {},
  'POST /api/v1/tenants/:tenantId/agents/:agentId/release-codes': {},
  'POST /api/v1/tenants/:tenantId/actions': { host: 'A-secret-host', action: { kind: 'isolate' } },
  'POST /api/v1/tenants/:tenantId/actions/:actionId/approve': {},
  'POST /api/v1/tenants/:tenantId/actions/:actionId/deny': { reason: 'cross-tenant attempt' },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/actions/:actionId/waive': {
    reason: 'cross-tenant attempt to waive',
  },
  'POST /api/v1/tenants/:tenantId/agent-identity-changes/:changeId/decision': {
    decision: 'approved',
  },
  'PUT /api/v1/tenants/:tenantId/containment-policy': { rules: [] },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/containment-decisions': {
    assetId: '00000000-0000-4000-8000-000000000001',
    option: 'watch',
    rationale: 'cross-tenant attempt',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/containment-decisions/:decisionId/failover':
    { outcome: 'confirmed' },
  'POST /api/v1/tenants/:tenantId/alerts/:alertId/close': { reason: 'cross-tenant attempt' },
  'POST /api/v1/tenants/:tenantId/suppressions': { ruleId: 'x', reason: 'planted' },
  'POST /api/v1/tenants/:tenantId/detection/exclusions': { ruleId: 'x', reason: 'planted' },
  'POST /api/v1/tenants/:tenantId/detection/rules': {
    yaml: 'title: planted\nid: 00000000-0000-4000-8000-00000000abcd\nlogsource: {product: linux}\ndetection: {sel: {a: b}, condition: sel}\n',
  },
  'PATCH /api/v1/tenants/:tenantId/detection/rules/:ruleId': { enabled: false },
  'PUT /api/v1/tenants/:tenantId/detection/detectors/:detector': {
    enabled: true,
    thresholds: { minConnections: 12 },
  },
  'POST /api/v1/tenants/:tenantId/detection/detectors/:detector/allow-list': {
    key: '10.0.0.5>203.0.113.9:443/',
    reason: 'the backup agent',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/changes': {
    area: 'system',
    title: 'planted',
    reason: 'planted',
    changedBy: 'intruder',
    finding: 'observable',
    observableId: '00000000-0000-4000-8000-000000000001',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/restores': {
    backupJobId: '00000000-0000-4000-8000-000000000001',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/restores/:restoreId/result': {
    status: 'succeeded',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/release': {
    overrideJustification: 'cross-tenant attempt',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/verification/checks': {
    kind: 'reachability',
    agentId: 'planted',
    probes: [{ address: '192.0.2.140', port: 22, expect: 'open' }],
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/reports': { kind: 'full' },
  'POST /api/v1/tenants/:tenantId/reports/monthly': { month: '2026-12', formats: ['html'] },
  'PUT /api/v1/tenants/:tenantId/incidents/:incidentId/review': {
    whatHappened: 'planted',
    whatWorked: 'planted',
    whatToChange: 'planted',
    followUps: [{ title: 'planted', owner: 'intruder', due: '2030-01-01T00:00:00Z' }],
  },
};
Object.assign(bodies, {
  'PUT /api/v1/tenants/:tenantId/contract': { calendar: { timeZone: 'UTC' }, regimes: ['gdpr'] },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/sla/pause': { reason: 'cross-tenant' },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/regulatory/determination': {
    reportable: true,
    regimes: ['gdpr'],
    reason: 'cross-tenant attempt',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/regulatory/notices': {
    regime: 'gdpr',
    obligation: 'authority',
    channel: 'portal',
    content: 'planted notice',
  },
});
const rawBodies: Record<string, { contentType: string; query: string; payload: string }> = {
  'POST /api/v1/ingest': {
    contentType: 'application/x-ndjson',
    query: '',
    payload: '{"message":"planted"}\n',
  },
  'POST /api/v1/tenants/:tenantId/evidence': {
    contentType: 'application/octet-stream',
    query: '?filename=planted.bin&collectedFrom=nowhere&method=test',
    payload: 'planted',
  },
};

/** A query string a route requires, so that validation never hides the tenant check. */
const requiredQueries: Record<string, string> = {
  'DELETE /api/v1/tenants/:tenantId/detection/detectors/:detector/allow-list': 'key=planted',
};

/** Routes without a tenant in their path: what B may see there. */
const platformRoutes: Record<string, 'own-data-only' | 'forbidden' | 'self'> = {
  'GET /api/v1/tenants': 'own-data-only',
  'GET /api/v1/overview': 'own-data-only',
  'GET /api/v1/regulatory-regimes': 'own-data-only',
  // The MSSP's cross-tenant SLA report: platform roles only.
  'GET /api/v1/sla-report': 'forbidden',
  'POST /api/v1/tenants': 'forbidden',
  'POST /api/v1/auth/unlock': 'forbidden',
  'GET /api/v1/auth/me': 'self',
  'POST /api/v1/auth/logout': 'self',
  // Into the caller's own tenant (the token's), or ?tenant= checked like a path tenant.
  'POST /api/v1/ingest': 'self',
  // Platform-wide watchlists: platform admins only.
  'POST /api/v1/platform/watchlists': 'forbidden',
  'GET /api/v1/platform/watchlists': 'forbidden',
  'GET /api/v1/platform/watchlists/:watchlistId': 'forbidden',
  'GET /api/v1/platform/watchlists/:watchlistId/indicators': 'forbidden',
  'POST /api/v1/platform/watchlists/:watchlistId/expire': 'forbidden',
  'DELETE /api/v1/platform/watchlists/:watchlistId': 'forbidden',
};

/**
 * The body a route gets in B's own requests of the reference walk, where `bodies` would not
 * do: B's names instead of A's, and no field that excludes the id field.
 */
const ownBody = (key: string): object | undefined =>
  key === 'POST /api/v1/tenants/:tenantId/deadletters/replay'
    ? {}
    : bodies[key] &&
      (JSON.parse(JSON.stringify(bodies[key]).replaceAll('A-secret', 'B-secret')) as object);

/** The only routes that answer without credentials; each is also searched for A's data. */
const publicRoutes = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/v1/openapi.json',
  'POST /api/v1/auth/login',
  'POST /api/v1/agents/enrol',
  // The console's static files and its SPA fallback (index.html): no data in them.
  'GET /',
  'GET /*',
]);

/** A body or query property that names something by id: by its name, or by its type (a UUID). */
const ID_FIELD = /(Id|Ids)$|^ids$/;
const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Which of A's ids goes into each id-carrying field of a body or query string. */
const referenceKinds: Record<string, string> = {
  alertId: 'alertId',
  incidentId: 'incidentId',
  assigneeUserId: 'userId',
  segmentId: 'segmentId',
  segment: 'segmentId',
  assetId: 'assetId',
  assetIds: 'assetId',
  fromAssetId: 'assetId',
  toId: 'peerId',
  duplicateOf: 'incidentId',
  tenant: 'tenantId',
  findingId: 'findingId',
  agentId: 'agentId',
  ids: 'deadLetterId',
  ruleId: 'ruleId',
  ruleIds: 'ruleId',
  observableId: 'observableId',
  backupJobId: 'backupJobId',
  checkId: 'checkId',
  playbookId: 'playbookId',
  channelId: 'channelId',
};

/**
 * Fields whose ids belong to no tenant: A's value is still sent, and nothing of A may leak or
 * change, but the request may succeed.
 */
const unownedReferences: Record<string, string> = {
  ruleId:
    'Sigma rule ids are one namespace (the shipped rules, and ids a tenant writes in its YAML)',
  ruleIds: 'Sigma rule ids are one namespace',
};

/** A UUID string, an array of them, or a union with one. */
function isUuid(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as Record<string, unknown>;
  if (n['pattern'] === UUID_PATTERN) return true;
  if (isUuid(n['items'])) return true;
  return ['anyOf', 'oneOf'].some((k) => Array.isArray(n[k]) && (n[k] as unknown[]).some(isUuid));
}

interface IdField {
  readonly name: string;
  readonly array: boolean;
}

/** The id-carrying properties of a request schema (JSON Schema, as the route registered it). */
function idFields(schema: unknown, key: string): IdField[] {
  const found: IdField[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    for (const k of ['anyOf', 'oneOf', 'allOf'])
      if (Array.isArray(n[k])) for (const sub of n[k] as unknown[]) visit(sub, depth);
    if (n['items']) visit(n['items'], depth + 1);
    const properties = n['properties'] as Record<string, Record<string, unknown>> | undefined;
    for (const [name, sub] of Object.entries(properties ?? {})) {
      if (ID_FIELD.test(name) || isUuid(sub)) {
        if (depth > 0)
          throw new Error(`${key}: id field ${name} is nested; extend this walk to fill it`);
        const array = sub['type'] === 'array' || JSON.stringify(sub).includes('"type":"array"');
        if (!found.some((f) => f.name === name)) found.push({ name, array });
      }
      visit(sub, depth + 1);
    }
  };
  visit(schema, 0);
  return found;
}

/** One tenant's objects of every kind, so that a route can be called on the caller's own ones. */
async function seedTenant(
  t: TestServer,
  name: string,
  tag: string,
): Promise<Record<string, string>> {
  const { access, incidents, evidence } = t.server.services;
  const tenant = await access.createTenant(system, name);
  const lead = await access.createUser(system, {
    email: `${tag.toLowerCase()}-lead@example.com`,
    password: 'correct horse battery staple',
    role: 'incident_lead',
    tenantId: tenant.id,
  });
  const incident = await incidents.create(system, tenant.id, {
    title: `${tag}-secret-incident-title`,
    severity: 'high',
  });
  const observable = await incidents.addObservable(system, tenant.id, incident.id, {
    kind: 'domain',
    value: `${tag.toLowerCase()}-secret-domain.example`,
  });
  const task = await incidents.addTask(system, tenant.id, incident.id, {
    phase: 'eradicated',
    title: `${tag}-secret-task`,
  });
  await incidents.addNote(system, tenant.id, incident.id, `${tag}-secret-note`);
  // A contract, an SLA pause and a determination, so that their routes have A's data to leak.
  await t.server.contracts.sla.setContract(system, tenant.id, {
    calendar: { timeZone: 'Europe/Berlin' },
    sla: { targets: { high: { acknowledge: 60 } } },
    regimes: ['gdpr'],
    reporting: { organisation: `${tag}-secret-organisation` },
  });
  await t.server.contracts.sla.pause(system, tenant.id, incident.id, `${tag}-secret-pause`);
  await t.server.contracts.regulatory.determine(system, tenant.id, incident.id, {
    reportable: true,
    regimes: ['gdpr'],
    reason: `${tag}-secret-determination`,
  });
  const item = await evidence.add(
    system,
    tenant.id,
    { filename: `${tag}-secret-file.txt`, collectedFrom: `${tag}-host`, method: 'copy' },
    Readable.from([Buffer.from(`${tag}-secret-evidence-bytes`)]),
  );
  const token = await access.createToken(system, {
    tenantId: tenant.id,
    role: 'analyst',
    name: `${tag}-secret-token-name`,
  });
  const { assets, continuity, responsePlan } = t.server.services.preparation;
  const segment = await assets.createSegment(system, tenant.id, {
    name: `${tag}-secret-segment`,
    cidr: tag === 'A' ? '192.0.2.0/25' : '192.0.2.128/25',
    zone: 'server',
  });
  const server = await assets.create(system, tenant.id, {
    name: `${tag}-secret-server`,
    kind: 'server',
  });
  const peer = await assets.create(system, tenant.id, {
    name: `${tag}-secret-peer`,
    kind: 'server',
  });
  const relation = await assets.relate(system, tenant.id, {
    kind: 'redundant_with',
    fromAssetId: server.id,
    toId: peer.id,
  });
  const backup = await continuity.createBackupJob(system, tenant.id, {
    name: `${tag}-secret-backup`,
    assetId: server.id,
    rpoMinutes: 60,
    rtoMinutes: 60,
  });
  await incidents.update(system, tenant.id, incident.id, { affectedAssets: [server.id] });
  const decision = await t.server.decisions.decide(system, tenant.id, incident.id, {
    assetId: server.id,
    option: 'watch',
    rationale: `${tag}-secret-rationale`,
  });
  const plan = await responsePlan.createPlan(system, tenant.id, {
    title: `${tag}-secret-plan`,
    owner: `${tag}-secret-owner`,
    body: `# ${tag}-secret-plan-body`,
  });
  const shift = await responsePlan.addShift(system, tenant.id, {
    level: 'primary',
    person: { name: `${tag}-secret-on-call`, phone: '+1 555 0100', email: null, chat: null },
    startsAt: Date.now(),
    endsAt: Date.now() + 3_600_000,
  });
  const agentId = `agent-00112233445566${tag.toLowerCase().repeat(2)}`;
  const host = `${tag}-secret-host`;
  await t.server.store.transaction(async (uow) =>
    uow.forTenant(tenant.id).containment.agents.put({
      tenantId: tenant.id,
      agentId,
      publicKey: `${tag}-secret-agent-key`,
      enrolledAt: 0,
      identity: {
        hostname: host,
        addresses: { v4: [tag === 'A' ? '192.0.2.10' : '192.0.2.140'], v6: [] },
      },
      facts: {
        hostname: host,
        os: { platform: 'linux', release: '6' },
        addresses: { v4: [tag === 'A' ? '192.0.2.10' : '192.0.2.140'], v6: [] },
        agentVersion: '0.1.0',
        isolated: false,
      },
      online: false,
      lastSeenAt: 0,
      telemetrySeq: 0,
    }),
  );
  const action = await t.server.containment.queue.request({
    tenantId: tenant.id,
    agentId,
    action: { kind: 'isolate' },
    requestedBy: 'policy:auto-containment',
    incidentId: incident.id,
    requiresApproval: true,
  });
  // An identity change the agent reported (the gateway's heartbeat path files these).
  const changeId =
    tag === 'A' ? '00000000-0000-4000-8000-00000000c4a9' : '00000000-0000-4000-8000-00000000c4b9';
  await t.server.store.transaction(async (uow) =>
    uow.forTenant(tenant.id).containment.identityChanges.insert({
      id: changeId,
      tenantId: tenant.id,
      agentId,
      from: { hostname: host, addresses: { v4: ['192.0.2.10'], v6: [] } },
      to: { hostname: `${tag}-secret-claim`, addresses: { v4: ['192.0.2.11'], v6: [] } },
      state: 'pending',
      reportedAt: 0,
      decidedBy: null,
      decidedAt: null,
      reason: null,
    }),
  );
  const { events } = t.server.store;
  const [eventId] = (
    await events.appendBatch(tenant.id, {
      batchId: `${tag}-secret-batch`,
      events: [
        {
          '@timestamp': new Date().toISOString(),
          event: { kind: 'event', dataset: `test.${tag.toLowerCase()}` },
          message: `${tag}-secret-event`,
          host: { name: host },
          log_source: {},
          fields: {},
        },
      ],
    })
  ).ids;
  const [deadLetterId] = await events.addDeadLetters(tenant.id, [
    {
      source: 'http',
      reason: `${tag}-secret-reason`,
      code: 'invalid_json',
      raw: Buffer.from(`{"message":"${tag}-secret-raw-bytes"}`),
      receivedAt: Date.now(),
    },
  ]);
  const { detection } = t.server;
  const [raised] = (
    await new TriageService(t.server.store, systemClock).triage(tenant.id, [
      {
        ruleId: `${tag}-secret-rule`,
        ruleName: undefined,
        ruleTitle: `${tag}-secret-alert`,
        level: 'high',
        tags: [],
        source: 'server',
        entities: { hosts: [host.toLowerCase()], users: [], sourceIps: [], ips: [] },
        firstSeen: Date.now(),
        lastSeen: Date.now(),
        eventIds: [`${tag}-secret-event`],
        eventCount: 1,
        lookup: () => undefined,
      },
    ])
  ).incidents;
  expect(raised?.opened).toBe(true);
  const [alert] = (await detection.alerts.list(system, tenant.id, {}, { limit: 1, offset: 0 }))
    .items;
  const suppression = await detection.alerts.addSuppression(system, tenant.id, {
    ruleId: `${tag}-secret-rule`,
    fields: {},
    reason: `${tag}-secret-reason`,
    expiresAt: null,
  });
  const exclusion = await detection.alerts.addExclusion(system, tenant.id, {
    ruleId: `${tag}-secret-rule`,
    fields: {},
    reason: `${tag}-secret-reason`,
  });
  const rule = await detection.alerts.addRule(
    system,
    tenant.id,
    `title: ${tag}-secret-tenant-rule\nid: 00000000-0000-4000-8000-0000000${tag === 'A' ? 'a' : 'b'}5ec7\nlogsource: {product: linux}\ndetection: {sel: {a: b}, condition: sel}\n`,
  );
  const { recovery, verification } = t.server.recovery;
  const restore = await recovery.addRestore(system, tenant.id, incident.id, {
    backupJobId: backup.job.id,
    restorePointLabel: `${tag}-secret-restore-point`,
  });
  const check = await verification.addCheck(system, tenant.id, incident.id, {
    kind: 'detection_replay',
    title: `${tag}-secret-check`,
  });
  const playbook = await t.server.playbooks.create(system, tenant.id, {
    document: seedPlaybook(tag),
  });
  const run = await t.server.playbooks.startRun(system, tenant.id, incident.id, {
    playbookId: playbook.id,
  });
  const guaranteeEntry = await new GuaranteeService({
    store: t.server.store,
    clock: systemClock,
  }).recordEntry(system, tenant.id, incident.id, {
    kind: 'cost',
    responder: `${tag}-secret-responder`,
    role: 'responder',
    service: 'forensics',
    phase: 'analysed',
    activity: `${tag}-secret-activity`,
    amountMinor: 100,
    occurredAt: Date.now(),
  });
  const notifications = new NotificationService({
    store: t.server.store,
    clock: systemClock,
    secrets: loadOrCreateSecretBox(t.server.config.dataDir),
  });
  const { channel } = await notifications.addChannel(system, tenant.id, {
    kind: 'webhook',
    name: `${tag}-secret-channel`,
    target: `http://192.0.2.1/${tag}-secret-hook`,
  });
  const notificationRule = await notifications.addRule(system, tenant.id, {
    channelId: channel.id,
    spec: {
      events: [],
      kinds: ['incident.note_added'],
      roles: [],
      responseRoles: [],
      onCall: false,
      addresses: [],
    },
  });
  await incidents.addNote(system, tenant.id, incident.id, `${tag}-secret-routed-note`);
  await notifications.routeAll();
  const [outboxItem] = await notifications.outbox(system, tenant.id, {}, 1);
  const watchlist = await t.server.intel.watchlists.import(
    system,
    { kind: 'tenant', tenantId: tenant.id },
    {
      name: `${tag}-secret-watchlist`,
      source: `${tag}-secret-feed`,
      format: 'iocs',
      content: `${tag.toLowerCase()}-secret-ioc.example\n`,
    },
  );
  // A detector allow-list entry and settings, so that their routes have A's data to leak.
  await t.server.detection.detectorSettings.allow(system, tenant.id, 'beaconing', {
    key: `${tag}-secret-allow-key`,
    reason: `${tag}-secret-allow-reason`,
  });
  await t.server.detection.detectorSettings.update(system, tenant.id, 'port-scan', {
    enabled: tag === 'A',
    thresholds: { verticalPorts: tag === 'A' ? 31 : 32 },
  });
  const template = await t.server.app.inject({
    method: 'PUT',
    url: `/api/v1/tenants/${tenant.id}/report-templates/full`,
    headers: { authorization: `Bearer ${await t.token(tenant.id, 'incident_lead')}` },
    payload: { template: `<p>${tag}-secret-template {{reference}}</p>` },
  });
  if (template.statusCode !== 200) throw new Error(`report template: ${template.body}`);
  return {
    // Not an id: a detector's name, the same in every tenant (see SHARED_PARAMS).
    detector: 'beaconing',
    // Not an id: a report kind, the same word in every tenant (see SHARED_PARAMS).
    kind: 'full',
    channelId: channel.id,
    notificationRuleId: notificationRule.id,
    outboxId: outboxItem!.id,
    entryId: guaranteeEntry.id,
    watchlistId: watchlist.watchlist.id,
    playbookId: playbook.id,
    runId: run.id,
    decisionId: decision.decision.id,
    tenantId: tenant.id,
    userId: lead.user.id,
    restoreId: restore.id,
    checkId: check.id,
    email: lead.user.email,
    incidentId: incident.id,
    observableId: observable.id,
    taskId: task.id,
    evidenceId: item.id,
    sha256: item.sha256,
    tokenId: token.record.id,
    segmentId: segment.id,
    assetId: server.id,
    peerId: peer.id,
    findingId: `stale:${server.id}`,
    relationId: relation.id,
    backupJobId: backup.job.id,
    planId: plan.id,
    shiftId: shift.id,
    agentId,
    actionId: action.id,
    changeId,
    eventId: eventId!,
    deadLetterId: deadLetterId!,
    alertId: alert!.id,
    suppressionId: suppression.id,
    exclusionId: exclusion.id,
    ruleId: rule.id,
  };
}

/** How a walk authenticates: an API token, or a browser session with its CSRF token. */
interface Credentials {
  readonly label: string;
  readonly headers: (method: string) => Record<string, string>;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(
    `tenant isolation on every route (${dialect})`,
    () => {
      let t: TestServer;
      let ids: Record<string, string> = {};
      let own: Record<string, string> = {};
      let secrets: string[] = [];
      beforeAll(async () => {
        t = await startTestServer(dialect);
        ids = await seedTenant(t, 'Tenant A', 'A');
        own = await seedTenant(t, 'Tenant B', 'B');
        // Every id A owns, and the names it gave things: none may appear in an answer to B.
        const { email: _email, kind: _kind, ...aIds } = ids;
        secrets = ['A-secret', 'a-secret', 'Tenant A', ids['email']!, ...Object.values(aIds)];
      });
      afterAll(async () => t.dispose());

      const leaks = (body: string, allowed: readonly string[] = []): string[] =>
        secrets.filter((s) => body.includes(s) && !allowed.includes(s));

      const request = async (
        route: { method: string; key: string },
        url: string,
        credentials: Credentials | undefined,
        overrides: { payload?: object; query?: string } = {},
      ) => {
        const raw = rawBodies[route.key];
        const query = [raw?.query.slice(1), requiredQueries[route.key], overrides.query]
          .filter(Boolean)
          .join('&');
        const payload = overrides.payload ?? bodies[route.key];
        return t.server.app.inject({
          method: route.method as 'GET',
          url: query ? `${url}?${query}` : url,
          headers: {
            ...credentials?.headers(route.method),
            ...(raw ? { 'content-type': raw.contentType } : {}),
          },
          ...(raw ? { payload: raw.payload } : payload ? { payload } : {}),
        });
      };

      const tokenCredentials = async (role: Role): Promise<Credentials> => {
        const token = await t.token(own['tenantId']!, role);
        return { label: `${role} token`, headers: () => bearer(token) };
      };
      const sessionCredentials = async (): Promise<Credentials> => {
        const login = await t.server.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: own['email'], password: 'correct horse battery staple' },
        });
        expect(login.statusCode, login.body).toBe(200);
        const cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
        const { csrfToken } = login.json<{ csrfToken: string }>();
        return {
          label: 'incident_lead browser session',
          headers: (method) => ({
            cookie,
            ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
          }),
        };
      };

      const keyOf = (route: RegisteredRoute): string => `${route.method} ${route.url}`;

      it('allows only the listed public routes, and they show nothing of A', async () => {
        for (const route of t.server.routes.filter((r) => r.public)) {
          const key = keyOf(route);
          expect(
            publicRoutes.has(key),
            `${key} is public: list it in publicRoutes or authenticate it`,
          ).toBe(true);
          const response = await request({ method: route.method, key }, route.url, undefined);
          expect(leaks(response.body), `${key} leaked A's data`).toEqual([]);
        }
      });

      const walks: [string, () => Promise<Credentials>][] = [
        ['incident_lead token', () => tokenCredentials('incident_lead')],
        ['client_viewer token', () => tokenCredentials('client_viewer')],
        ['incident_lead browser session', sessionCredentials],
      ];
      for (const [label, credentialsOf] of walks) {
        it(`refuses tenant B's ${label} on A's ids in paths, on every route`, async () => {
          const credentials = await credentialsOf();
          const tenantRoutes = t.server.routes.filter(
            (r) => !r.public && r.url.includes(':tenantId'),
          );
          expect(tenantRoutes.length).toBeGreaterThan(20);
          for (const route of t.server.routes.filter((r) => !r.public)) {
            const key = keyOf(route);
            const target = { method: route.method, key };
            const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
            for (const p of params)
              expect(ids[p], `${key}: the test has no id for :${p}; add one`).toBeDefined();
            if (!route.url.includes(':tenantId')) {
              expect(
                platformRoutes[key],
                `${key} has no tenant in its path: decide its scoping and list it in platformRoutes`,
              ).toBeDefined();
              if (key === 'POST /api/v1/auth/logout') continue; // would end the walk's session
              // A's ids where a platform route takes one (a platform watchlist's id).
              const url = route.url.replace(/:(\w+)/g, (_m, p: string) => ids[p]!);
              const response = await request(target, url, credentials);
              if (platformRoutes[key] === 'forbidden') expect(response.statusCode, key).toBe(403);
              expect(leaks(response.body), `${key} leaked A's data`).toEqual([]);
              continue;
            }
            if (
              ['POST', 'PATCH', 'PUT'].includes(route.method) &&
              params.length === 1 &&
              !bodies[key] &&
              !rawBodies[key]
            ) {
              throw new Error(`${key}: add a valid body for it to this test`);
            }
            // 1. A's tenant in the path: refused outright.
            const inA = route.url.replace(/:(\w+)/g, (_m, p: string) => ids[p]!);
            // An error may name the ids it was asked for; nothing else of A.
            const asked = params.map((p) => ids[p]!);
            const first = await request(target, inA, credentials);
            expect(
              [403, 404],
              `${key} with A's tenant answered ${first.statusCode}: ${first.body}`,
            ).toContain(first.statusCode);
            expect(leaks(first.body, asked), `${key} leaked A's data`).toEqual([]);
            // 2. B's own tenant in the path, A's ids for everything else: nothing found.
            if (params.some((p) => p !== 'tenantId' && !SHARED_PARAMS.has(p))) {
              const inB = route.url.replace(/:(\w+)/g, (_m, p: string) =>
                p === 'tenantId' ? own['tenantId']! : ids[p]!,
              );
              const second = await request(target, inB, credentials);
              expect(
                [403, 404],
                `${key} with A's ids under B answered ${second.statusCode}: ${second.body}`,
              ).toContain(second.statusCode);
              expect(leaks(second.body, asked), `${key} leaked A's data`).toEqual([]);
            }
          }
        });
      }

      it("refuses A's ids in bodies and query strings of B's own requests, on every route", async () => {
        const credentials = await tokenCredentials('incident_lead');
        const failures: string[] = [];
        let exercised = 0;
        for (const route of t.server.routes.filter((r) => !r.public)) {
          const key = keyOf(route);
          const target = { method: route.method, key };
          const inB = route.url.replace(/:(\w+)/g, (_m, p: string) => own[p]!);
          const fields = [
            ...idFields(route.body, key).map((f) => ({ ...f, place: 'body' as const })),
            ...idFields(route.querystring, key).map((f) => ({ ...f, place: 'query' as const })),
          ];
          for (const field of fields) {
            const kind = referenceKinds[field.name];
            expect(
              kind,
              `${key}: which id does ${field.place} field ${field.name} take? add it to referenceKinds`,
            ).toBeDefined();
            if (field.place === 'body')
              expect(bodies[key], `${key}: add a valid body for it to this test`).toBeDefined();
            const send = (value: string) => {
              const v = field.array ? [value] : value;
              return request(
                target,
                inB,
                credentials,
                field.place === 'body'
                  ? { payload: { ...ownBody(key), [field.name]: v } }
                  : { query: `${field.name}=${encodeURIComponent(value)}` },
              );
            };
            exercised++;
            const foreign = await send(ids[kind!]!);
            const where = `${key} with A's ${kind} in ${field.place} field ${field.name}`;
            const accepted = unownedReferences[field.name]
              ? foreign.statusCode < 500
              : route.method === 'GET'
                ? [200, 403, 404].includes(foreign.statusCode)
                : [403, 404].includes(foreign.statusCode);
            if (!accepted)
              failures.push(
                `${where} answered ${foreign.statusCode}: ${foreign.body.slice(0, 200)}`,
              );
            const leaked = leaks(foreign.body, [ids[kind!]!]);
            if (leaked.length > 0) failures.push(`${where} leaked ${leaked.join(', ')}`);
            // The same request with B's own id is valid: validation did not hide the check.
            const control = await send(own[kind!]!);
            if (control.statusCode === 400 || control.statusCode >= 500)
              failures.push(
                `${key} with B's own ${kind} in ${field.name} answered ${control.statusCode}: ${control.body.slice(0, 200)}; fix its body in this test`,
              );
          }
        }
        expect(exercised).toBeGreaterThan(15);
        expect(failures).toEqual([]);
      });

      it('leaves A untouched after the walk', async () => {
        const { incidents } = t.server.services;
        const a = ids['tenantId']!;
        expect(await t.server.containment.queue.get(a, ids['actionId']!)).toMatchObject({
          state: 'requested',
        });
        const change = await t.server.store.transaction(async (uow) =>
          uow.forTenant(a).containment.identityChanges.get(ids['changeId']!),
        );
        expect(change?.state).toBe('pending');
        const incident = await incidents.get(system, a, ids['incidentId']!);
        expect(incident).toMatchObject({ phase: 'detected', summary: '' });
        expect(await incidents.notes(system, a, ids['incidentId']!)).toHaveLength(2); // the seeded note and the routed one
        expect((await incidents.tasks(system, a, ids['incidentId']!))[0]).toMatchObject({
          status: 'open',
        });
        const { assets, responsePlan } = t.server.services.preparation;
        expect(await assets.get(system, a, ids['assetId']!)).toMatchObject({
          owner: null,
          retiredAt: null,
        });
        expect(await assets.list(system, a)).toHaveLength(2);
        expect(await t.server.store.events.retention(a)).toBeNull();
        expect(await responsePlan.plans(system, a)).toMatchObject([
          { currentVersion: 1, approvedAt: null, lastReviewedAt: null },
        ]);
      });
    },
  );
}
