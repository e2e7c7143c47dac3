/**
 * `cordon demo` / `cordon serve --demo`: a demo tenant that shows something on first start.
 * Preparation goes in through the API (the same validation a user meets), the attack through
 * the ingestion pipeline, so alerts and incidents arise from live detection; then some
 * incidents are moved through their phases through the API, as an analyst would. The tenant is
 * recorded in `demo_tenants` (the console marks it "sample data"); a second run finds it and
 * adds nothing. The demo user's password is generated and returned once, never stored in clear.
 */
import type { Principal } from '@cordon/core';
import { CordonError, actorOf, newSecret } from '@cordon/core';
import type { CordonServer } from '../create-server.ts';
import {
  DEMO_ASSETS,
  DEMO_BACKUPS,
  DEMO_DEPENDENCIES,
  DEMO_FUNCTIONS,
  DEMO_PLAN,
  DEMO_ROLES,
  DEMO_RULES,
  DEMO_SEGMENTS,
  DEMO_TENANT_NAME,
  DEMO_USER_EMAIL,
} from './demo-content.ts';
import { demoRecords } from './demo-events.ts';

const system: Principal = { kind: 'system', name: 'demo' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type DemoSetup =
  | {
      readonly kind: 'created';
      readonly tenantId: string;
      readonly email: string;
      /** Generated, shown once; null when the user existed already (its password unchanged). */
      readonly password: string | null;
      readonly incidents: readonly { readonly reference: string; readonly phase: string }[];
    }
  | { readonly kind: 'existing'; readonly tenantId: string; readonly email: string };

export interface DemoOptions {
  /** How long to wait for live detection to raise the expected incidents (default 60 s). */
  readonly detectionTimeoutMs?: number;
}

/** Incidents the replay must raise, one per attacked host, each known by the rule that opens it. */
const ATTACKS = {
  'ws-fin-07': 'Windows Logon Brute Force Against an Account',
  'lnx-web-01': 'SSH Brute Force Against a Host',
  'srv-dc-01': 'Password Spraying From One Source',
  'srv-file-02': 'LSASS Opened With Full Access (demo rule)',
} as const;
type AttackedHost = keyof typeof ATTACKS;
const ATTACKED_HOSTS = Object.keys(ATTACKS) as AttackedHost[];

export async function setUpDemo(
  server: CordonServer,
  options: DemoOptions = {},
): Promise<DemoSetup> {
  const { access } = server.services;
  const existing = await server.store.transaction(async (uow) => {
    const tenant = await uow.tenants.findByName(DEMO_TENANT_NAME);
    return tenant && { tenant, demo: await uow.demoTenants.get(tenant.id) };
  });
  if (existing) {
    if (existing.demo?.completedAt != null)
      return { kind: 'existing', tenantId: existing.tenant.id, email: DEMO_USER_EMAIL };
    throw new CordonError(
      'conflict',
      existing.demo
        ? `the demo set-up of tenant ${existing.tenant.id} did not finish; start from a fresh data directory to set it up again`
        : `a tenant named "${DEMO_TENANT_NAME}" exists and is not the demo tenant`,
    );
  }

  const tenant = await access.createTenant(system, DEMO_TENANT_NAME);
  const now = Date.now();
  await server.store.transaction(async (uow) => {
    await uow.demoTenants.mark(tenant.id, now);
    await uow.forTenant(tenant.id).journal.append({
      actor: actorOf(system),
      kind: 'demo.started',
      payload: { note: 'generated demo data follows' },
    });
  });
  const password = newSecret().slice(0, 24);
  const user = await access.createUser(system, {
    email: DEMO_USER_EMAIL,
    password,
    role: 'incident_lead',
    tenantId: tenant.id,
    displayName: 'Demo incident lead',
  });
  const { token, record } = await access.createToken(system, {
    tenantId: tenant.id,
    role: 'incident_lead',
    name: 'demo set-up',
  });
  try {
    const api = apiClient(server, tenant.id, token);
    await documentTenant(api, now);
    for (const yaml of DEMO_RULES) await api('POST', '/detection/rules', { yaml });
    await replayAttack(server, tenant.id, now);
    const incidentOf = await waitForIncidents(api, options.detectionTimeoutMs ?? 60_000);
    // Readiness after the telemetry: documentation coverage counts the hosts it named.
    await waitFor(
      async () => JSON.stringify(await api('GET', '/reconciliation')).includes('10.20.1.99'),
      options.detectionTimeoutMs ?? 60_000,
      'the spraying source (undocumented) to reach reconciliation',
    );
    await api('POST', '/readiness/snapshots');
    const incidents = await workIncidents(api, incidentOf);
    await server.store.transaction(async (uow) => {
      await uow.demoTenants.complete(tenant.id, Date.now());
      await uow.forTenant(tenant.id).journal.append({
        actor: actorOf(system),
        kind: 'demo.completed',
        payload: { incidents: incidents.length },
      });
    });
    return {
      kind: 'created',
      tenantId: tenant.id,
      email: user.user.email,
      password: user.created ? password : null,
      incidents,
    };
  } finally {
    await access.revokeToken(system, tenant.id, record.id);
  }
}

type Api = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => Promise<unknown>;

/** Requests to the tenant's API in-process (no socket), failing loudly on any non-2xx. */
function apiClient(server: CordonServer, tenantId: string, token: string): Api {
  return async (method, path, body) => {
    const response = await server.app.inject({
      method,
      url: `/api/v1/tenants/${tenantId}${path}`,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    if (response.statusCode >= 300)
      throw new Error(
        `demo set-up: ${method} ${path} answered ${response.statusCode}: ${response.body}`,
      );
    return response.body === '' ? undefined : response.json<unknown>();
  };
}

async function documentTenant(api: Api, now: number): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const segments = new Map<string, string>();
  for (const segment of DEMO_SEGMENTS) {
    const created = (await api('POST', '/segments', segment)) as { id: string };
    segments.set(segment.name, created.id);
  }
  const assets = new Map<string, string>();
  for (const [name, kind, segment, address, os, owner, criticality, group, agent] of DEMO_ASSETS) {
    const created = (await api('POST', '/assets', {
      name,
      kind,
      addresses: [address],
      os,
      owner,
      location: kind === 'workstation' ? 'Office, 2nd floor' : 'Server room',
      criticality,
      tags: ['demo'],
      segmentId: segments.get(segment)!,
      redundancyGroup: group,
      agentInstalled: agent,
      operationalStatus: 'up',
    })) as { id: string };
    assets.set(name, created.id);
  }
  const id = (name: string) => assets.get(name)!;
  for (const [from, to] of DEMO_DEPENDENCIES)
    await api('POST', '/relations', { kind: 'depends_on', fromAssetId: id(from), toId: id(to) });
  for (const [a, b] of [
    ['srv-dc-01', 'srv-dc-02'],
    ['srv-erp-01', 'srv-erp-02'],
  ] as const)
    await api('POST', '/relations', { kind: 'redundant_with', fromAssetId: id(a), toId: id(b) });
  for (const f of DEMO_FUNCTIONS)
    await api('POST', '/functions', {
      name: f.name,
      mtdMinutes: f.mtdMinutes,
      costPerHour: f.costPerHour,
      assetIds: f.assets.map(id),
    });
  for (const [
    name,
    asset,
    rpoHours,
    successHoursAgo,
    restoreDaysAgo,
    offline,
    immutable,
  ] of DEMO_BACKUPS)
    await api('POST', '/backups', {
      name,
      assetId: id(asset),
      rpoMinutes: rpoHours * 60,
      rtoMinutes: 240,
      lastSuccessAt: iso(now - successHoursAgo * HOUR),
      ...(restoreDaysAgo === null
        ? {}
        : { lastRestoreTestAt: iso(now - restoreDaysAgo * DAY), lastRestoreTestPassed: true }),
      offlineCopy: offline,
      immutableCopy: immutable,
    });
  const plan = (await api('POST', '/plans', DEMO_PLAN)) as { id: string };
  await api('POST', `/plans/${plan.id}/approve`);
  await api('POST', `/plans/${plan.id}/review`, {});
  let rank = 1;
  for (const [role, primary, backup] of DEMO_ROLES)
    await api('POST', '/roles', { role, primary, backup, escalationRank: rank++ });
  const shiftStart = now - 2 * HOUR;
  // The MSSP's SOC is primary this week, the client's incident lead secondary.
  for (const [level, person] of [
    ['primary', DEMO_ROLES[7][1]],
    ['secondary', DEMO_ROLES[0][1]],
  ] as const)
    await api('POST', '/oncall', {
      level,
      person,
      startsAt: iso(shiftStart),
      endsAt: iso(shiftStart + 7 * DAY),
      note: 'demo rota',
    });
  await api('POST', '/exercises', {
    kind: 'tabletop',
    heldAt: iso(now - 60 * DAY),
    notes: 'demo: ransomware on the ERP servers',
  });
}

async function replayAttack(server: CordonServer, tenantId: string, now: number): Promise<void> {
  const { windows, linux } = demoRecords(now);
  for (const records of [windows, linux])
    await server.ingestion.pipeline.submitRecords(tenantId, {
      source: 'http',
      provenance: { kind: 'http', credential: 'system', id: 'cordon-demo' },
      records,
      receivedAt: new Date(now),
    });
}

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string | (() => string),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(
        `demo set-up: timed out waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The incident live detection opened for each attacked host. */
async function waitForIncidents(api: Api, timeoutMs: number): Promise<Map<AttackedHost, string>> {
  const found = new Map<AttackedHost, string>();
  await waitFor(
    async () => {
      const page = (await api('GET', '/alerts?limit=100')) as {
        items: { ruleTitle: string; incidentId: string | null }[];
      };
      for (const host of ATTACKED_HOSTS) {
        const incident = page.items.find(
          (a) => a.ruleTitle === ATTACKS[host] && a.incidentId !== null,
        )?.incidentId;
        if (incident) found.set(host, incident);
      }
      return found.size === ATTACKED_HOSTS.length;
    },
    timeoutMs,
    () =>
      `incidents on ${ATTACKED_HOSTS.join(', ')} (raised: ${[...found.keys()].join(', ') || 'none'})`,
  );
  return found;
}

/** What an analyst would have done by now: several incidents in several phases. */
async function workIncidents(
  api: Api,
  incidentOf: ReadonlyMap<AttackedHost, string>,
): Promise<{ reference: string; phase: string }[]> {
  const path = (host: AttackedHost) => `/incidents/${incidentOf.get(host)!}`;
  const to = (host: AttackedHost, phase: string) =>
    api('POST', `${path(host)}/transitions`, { to: phase });
  const note = (host: AttackedHost, body: string) => api('POST', `${path(host)}/notes`, { body });

  // ws-fin-07: brute-forced, then PowerShell and a scheduled task: worked through to analysed.
  await api('POST', `${path('ws-fin-07')}/acknowledge`);
  await api('PATCH', path('ws-fin-07'), {
    affectedAssets: ['ws-fin-07'],
    attackTechniques: ['T1110', 'T1059.001', 'T1053.005'],
    origins: [{ address: '203.0.113.77', scope: 'external', note: 'demo: documentation range' }],
  });
  await to('ws-fin-07', 'identified');
  await note(
    'ws-fin-07',
    'Demo: j.meyer was brute-forced over SMB, then an encoded PowerShell ran.',
  );
  await api('PATCH', path('ws-fin-07'), {
    containmentNote: 'Demo: workstation isolated, j.meyer disabled and its password reset.',
  });
  await to('ws-fin-07', 'contained');
  await api('PATCH', path('ws-fin-07'), {
    rootCause:
      'Demo: SMB reachable from the internet through a forgotten port forward; weak password.',
    scope: 'Demo: one workstation, one account; no lateral movement found in 24 h of logs.',
  });
  await to('ws-fin-07', 'analysed');

  // srv-file-02: LSASS read with full access: identified and contained.
  await api('PATCH', path('srv-file-02'), {
    affectedAssets: ['srv-file-02'],
    attackTechniques: ['T1003.001'],
    origins: [{ address: '10.20.0.30', scope: 'internal', note: 'demo: on the host itself' }],
  });
  await to('srv-file-02', 'identified');
  await api('PATCH', path('srv-file-02'), {
    containmentNote:
      'Demo: not isolated (file shares for 120 users); svc-backup disabled, the dumper killed.',
  });
  await to('srv-file-02', 'contained');

  // lnx-web-01: SSH brute force from the internet: identified.
  await api('PATCH', path('lnx-web-01'), {
    affectedAssets: ['lnx-web-01'],
    attackTechniques: ['T1110.001'],
    origins: [{ address: '198.51.100.23', scope: 'external' }],
  });
  await to('lnx-web-01', 'identified');
  // srv-dc-01 (password spraying) stays detected: the queue's next item.

  const phases: { reference: string; phase: string }[] = [];
  for (const host of ATTACKED_HOSTS) {
    const incident = (await api('GET', path(host))) as { reference: string; phase: string };
    phases.push({ reference: incident.reference, phase: incident.phase });
  }
  return phases;
}
