/**
 * Live detection over a real store (SQLite file): our shipped correlation rules fire on
 * realistic streams through the real correlation engine and stay quiet below their thresholds;
 * base rules report only through their correlation; exclusions, disabled rules and tenant
 * rules apply per tenant; the whole SigmaHQ rule set runs on a SigmaHQ regression event; the
 * incident listener hears about each incident; asset refresh records hosts once per batch.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, Principal } from '@cordon/core';
import {
  AccessService,
  AlertService,
  LoginThrottle,
  ReconciliationService,
  TriageService,
} from '@cordon/core';
import type { TestStore } from '@cordon/storage/testing';
import { openTestStore } from '@cordon/storage/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AssetRefreshConsumer } from '../../src/detection/asset-refresh.consumer.ts';
import { DetectionService } from '../../src/detection/detection.service.ts';
import type { ServerRuleSet } from '../../src/detection/server-rule-set.ts';
import { loadServerRuleSet } from '../../src/detection/server-rule-set.ts';
import { TenantRuleChecker } from '../../src/detection/tenant-rule-checker.ts';
import type { RaisedIncident } from '../../src/pipeline/contracts.ts';
import {
  BASE,
  consoleFailure,
  parse,
  rdpCoreTs,
  sshFailure,
  stored,
  windowsFailure,
  zeekConn,
} from './detection-events.ts';

const system: Principal = { kind: 'system', name: 'test' };
const SIGMAHQ = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'sigmahq',
);
const sigmaPresent = existsSync(join(SIGMAHQ, 'rules'));
if (!sigmaPresent) console.warn(`skipping SigmaHQ detection tests: ${SIGMAHQ} is absent`);

interface Rig {
  readonly t: TestStore;
  readonly tenantId: string;
  readonly detection: DetectionService;
  readonly alerts: AlertService;
  readonly raised: RaisedIncident[];
  ruleIds(): Promise<string[]>;
}

async function rig(rules: ServerRuleSet): Promise<Rig> {
  const clock: Clock = { now: () => BASE + 3_600_000 };
  const store = await openTestStore('sqlite', clock);
  const checker = new TenantRuleChecker({
    serverRules: [...rules.engine.rules, ...rules.correlations],
  });
  const t: TestStore = {
    ...store,
    dispose: async () => {
      await detection.close();
      await checker.close();
      await store.dispose();
    },
  };
  const tenantId = (
    await new AccessService(t.store, clock, new LoginThrottle()).createTenant(system, 'Acme')
  ).id;
  const raised: RaisedIncident[] = [];
  const detection = new DetectionService({
    store: t.store,
    clock,
    rules,
    triage: new TriageService(t.store, clock),
    checker,
    listeners: [async (r) => void raised.push(r)],
    settingsTtlMs: 60_000,
  });
  const alerts = new AlertService({
    store: t.store,
    clock,
    validateRules: (_tenant, yaml) => checker.validate(yaml),
  });
  return {
    t,
    tenantId,
    detection,
    alerts,
    raised,
    ruleIds: async () =>
      (await alerts.list(system, tenantId, {}, { limit: 100, offset: 0 })).items
        .map((a) => a.ruleTitle)
        .sort(),
  };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('live detection with our shipped rules', () => {
  let rules: ServerRuleSet;
  let r: Rig;
  beforeAll(async () => {
    rules = await loadServerRuleSet();
  });
  beforeEach(async () => {
    r = await rig(rules);
  });
  afterEach(async () => r.t.dispose());

  it('loads the shipped rules, all of them', () => {
    expect(rules.rejected).toEqual([]);
    expect(rules.correlations.map((c) => c.title).sort()).toEqual([
      'Password Spraying From One Source',
      'Port Scan From One Source',
      'RDP Brute Force From One Source',
      'SSH Brute Force Against a Host',
      'Windows Logon Brute Force Against an Account',
    ]);
  });

  it('SSH brute force: 10 failures in 5 minutes fire once, 9 do not', async () => {
    await r.detection.consume(
      r.tenantId,
      stored(range(9).map((i) => sshFailure(i * 20, '198.51.100.23'))),
    );
    expect(await r.ruleIds()).toEqual([]); // base rule alone raises nothing
    // The same attacker against another host, and another source: separate groups.
    await r.detection.consume(
      r.tenantId,
      stored([
        ...range(9).map((i) => sshFailure(i * 20, '198.51.100.23', 'root', 'web01')),
        ...range(9).map((i) => sshFailure(i * 20, '203.0.113.5')),
      ]),
    );
    expect(await r.ruleIds()).toEqual([]);
    const batch = stored([sshFailure(200, '198.51.100.23')]);
    await r.detection.consume(r.tenantId, batch);
    const page = await r.alerts.list(system, r.tenantId, {}, { limit: 10, offset: 0 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      ruleTitle: 'SSH Brute Force Against a Host',
      level: 'high',
      entities: { hosts: ['bastion'], sourceIps: ['198.51.100.23'], users: [] },
      eventCount: 10,
      firstSeen: BASE,
      lastSeen: BASE + 200_000,
    });
    expect(page.items[0]!.eventIds).toHaveLength(10);
    expect(page.items[0]!.eventIds).toContain(batch[0]!.id);
    expect(r.raised).toHaveLength(1);
    expect(r.raised[0]).toMatchObject({
      tenantId: r.tenantId,
      opened: true,
      hosts: ['bastion'],
      originIps: ['198.51.100.23'],
    });
    expect(r.raised[0]!.incident.phase).toBe('detected');
  });

  it('SSH brute force: the same failures spread beyond the window do not fire', async () => {
    await r.detection.consume(
      r.tenantId,
      stored(range(12).map((i) => sshFailure(i * 40, '198.51.100.23'))),
    );
    expect(await r.ruleIds()).toEqual([]);
  });

  it('Windows logon brute force: 10 failures for one account on one host', async () => {
    await r.detection.consume(
      r.tenantId,
      stored(range(9).map((i) => windowsFailure(i * 5, '10.1.1.1'))),
    );
    expect(await r.ruleIds()).toEqual([]);
    await r.detection.consume(r.tenantId, stored([windowsFailure(50, '10.1.1.1')]));
    expect(await r.ruleIds()).toEqual(['Windows Logon Brute Force Against an Account']);
    const [alert] = (await r.alerts.list(system, r.tenantId, {}, { limit: 1, offset: 0 })).items;
    expect(alert!.entities).toMatchObject({
      hosts: ['dc01.corp.example'],
      users: ['administrator'],
    });
  });

  it('RDP brute force: 4625 type 10 and RdpCoreTS 140 count together, 7 do not', async () => {
    const ip = '198.51.100.77';
    await r.detection.consume(
      r.tenantId,
      stored([
        ...range(4).map((i) => windowsFailure(i * 5, ip, `user${i}`, '10')),
        ...range(3).map((i) => rdpCoreTs(i * 5 + 1, ip)),
      ]),
    );
    expect(await r.ruleIds()).not.toContain('RDP Brute Force From One Source');
    await r.detection.consume(r.tenantId, stored([rdpCoreTs(40, ip)]));
    expect(await r.ruleIds()).toContain('RDP Brute Force From One Source');
  });

  it('password spraying: 10 users from one source across SSH, Windows and AWS; 9 do not', async () => {
    const ip = '198.51.100.99';
    const users = [
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
      'frank',
      'grace',
      'heidi',
      'ivan',
      'judy',
    ];
    const attempt = (user: string, i: number) =>
      i % 3 === 0
        ? sshFailure(i * 30, ip, user)
        : i % 3 === 1
          ? windowsFailure(i * 30, ip, user, '3')
          : consoleFailure(i * 30, ip, user);
    await r.detection.consume(r.tenantId, stored(users.slice(0, 9).map(attempt)));
    expect(await r.ruleIds()).toEqual([]);
    // many attempts on the same few users are not spraying
    await r.detection.consume(
      r.tenantId,
      stored(range(6).map((i) => sshFailure(300 + i, ip, users[i % 3], `h${i}`))),
    );
    expect(await r.ruleIds()).toEqual([]);
    await r.detection.consume(r.tenantId, stored([attempt('judy', 9)]));
    expect(await r.ruleIds()).toEqual(['Password Spraying From One Source']);
    const [alert] = (await r.alerts.list(system, r.tenantId, {}, { limit: 1, offset: 0 })).items;
    expect(alert!.entities).toEqual({ hosts: [], users: [], sourceIps: [ip], ips: [] });
  });

  it('port scan: 25 distinct ports from one source fire, 24 or one busy port do not', async () => {
    const ip = '198.51.100.9';
    await r.detection.consume(
      r.tenantId,
      stored([
        ...range(24).map((i) => zeekConn(i, ip, 1000 + i)),
        ...range(40).map((i) => zeekConn(i, '203.0.113.40', 443, 'S0')),
      ]),
    );
    expect(await r.ruleIds()).toEqual([]);
    await r.detection.consume(r.tenantId, stored([zeekConn(30, ip, 2000)]));
    expect(await r.ruleIds()).toEqual(['Port Scan From One Source']);
  });

  it('exclusions: a field filter keeps matches out of correlations; a rule id disables it', async () => {
    await r.alerts.addExclusion(system, r.tenantId, {
      ruleId: null,
      fields: { 'source.ip': ['198.51.100.*'] },
      reason: 'our vulnerability scanner',
    });
    await r.alerts.addExclusion(system, r.tenantId, {
      ruleId: '2d6de55b-e347-4b5f-a6ac-26579c892fb8',
      fields: {},
      reason: 'Windows brute force handled by the client’s own SOC',
    });
    r.detection.invalidate(r.tenantId);
    await r.detection.consume(
      r.tenantId,
      stored([
        ...range(12).map((i) => sshFailure(i * 10, '198.51.100.23')),
        ...range(12).map((i) => windowsFailure(i * 5, '10.1.1.1')),
        ...range(12).map((i) => sshFailure(i * 10, '203.0.113.5')),
      ]),
    );
    expect(await r.ruleIds()).toEqual(['SSH Brute Force Against a Host']);
    const [alert] = (await r.alerts.list(system, r.tenantId, {}, { limit: 1, offset: 0 })).items;
    expect(alert!.entities.sourceIps).toEqual(['203.0.113.5']);
  });

  it('tenant rules: refused with reasons when invalid, run when added, stop when disabled', async () => {
    await expect(r.alerts.addRule(system, r.tenantId, 'title: [unclosed')).rejects.toThrow(
      /invalid Sigma rule: .*invalid YAML/,
    );
    await expect(
      r.alerts.addRule(
        system,
        r.tenantId,
        'title: No detection\nid: 2a1b7a8e-0d9e-4a55-9f19-3c9f1f6f0001\nlogsource: {product: linux}\n',
      ),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await r.alerts.rules(system, r.tenantId)).toEqual([]);
    const rule = await r.alerts.addRule(
      system,
      r.tenantId,
      [
        'title: Root Login Attempt From Outside',
        'id: 6f1c1d9e-3f55-4c1e-9a3c-8b1d2e3f4a5b',
        'level: medium',
        'logsource: {product: linux, service: sshd}',
        'detection:',
        '  selection: {user.name: root, event.outcome: failure}',
        '  condition: selection',
      ].join('\n'),
    );
    expect(rule).toMatchObject({
      ruleIds: ['6f1c1d9e-3f55-4c1e-9a3c-8b1d2e3f4a5b'],
      enabled: true,
    });
    r.detection.invalidate(r.tenantId);
    await r.detection.consume(
      r.tenantId,
      stored([sshFailure(0, '203.0.113.5'), sshFailure(1, '203.0.113.5', 'oracle')]),
    );
    const page = await r.alerts.list(system, r.tenantId, {}, { limit: 10, offset: 0 });
    expect(page.items.map((a) => [a.ruleTitle, a.source])).toEqual([
      ['Root Login Attempt From Outside', 'tenant'],
    ]);
    await r.alerts.setRuleEnabled(system, r.tenantId, rule.id, false);
    r.detection.invalidate(r.tenantId);
    await r.detection.consume(r.tenantId, stored([sshFailure(3600, '203.0.113.6')]));
    expect((await r.alerts.list(system, r.tenantId, {}, { limit: 10, offset: 0 })).total).toBe(1);
  });

  it('asset refresh: one observed host per distinct name and address, cached across batches', async () => {
    const reconciliation = new ReconciliationService(r.t.store, { now: () => BASE });
    const refresh = new AssetRefreshConsumer({ reconciliation });
    const batch = stored([
      ...range(50).map((i) => windowsFailure(i, '10.1.1.1')),
      ...range(20).map((i) => zeekConn(i, '10.2.2.2', 80 + i, 'SF')),
      sshFailure(0, '198.51.100.23'),
    ]);
    await refresh.consume(r.tenantId, batch);
    const first = refresh.reported;
    // 10.1.1.1 (source), 10.2.2.2 (source), 10.0.0.5 (zeek destination) + named hosts without address
    expect(first).toBeGreaterThanOrEqual(3);
    const findings = await reconciliation.findings(system, r.tenantId);
    expect(
      findings
        .filter((f) => f.kind === 'undocumented')
        .map((f) => (f.kind === 'undocumented' ? f.observedHost.ip : ''))
        .sort(),
    ).toEqual(['10.0.0.5', '10.1.1.1', '10.2.2.2']);
    await refresh.consume(r.tenantId, stored([windowsFailure(30, '10.1.1.1')]));
    expect(refresh.reported).toBe(first); // seen within a minute: nothing written
  });
});

describe.skipIf(!sigmaPresent)('live detection with the SigmaHQ rule set', () => {
  let rules: ServerRuleSet;
  let r: Rig;
  beforeAll(async () => {
    rules = await loadServerRuleSet({ ruleDirs: [join(SIGMAHQ, 'rules')] });
    r = await rig(rules);
  });
  afterAll(async () => r.t.dispose());

  it('compiles the set once and raises the rule a regression event was recorded for', async () => {
    expect(rules.engine.ruleCount).toBeGreaterThan(2500);
    const id = '85de1f22-d189-44e4-8239-dc276b45379b';
    const file = join(
      SIGMAHQ,
      'regression_data/rules/windows/process_creation/proc_creation_win_curl_custom_user_agent',
      `${id}.json`,
    );
    const event = parse(readFileSync(file, 'utf8'));
    await r.detection.consume(r.tenantId, stored([event]));
    const page = await r.alerts.list(system, r.tenantId, { ruleId: id }, { limit: 5, offset: 0 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ level: 'medium', source: 'server', status: 'open' });
    expect(page.items[0]!.entities.hosts).toEqual(['swachchhanda']);
    // and the shipped correlations still run beside it
    await r.detection.consume(
      r.tenantId,
      stored(range(10).map((i) => sshFailure(i, '198.51.100.23'))),
    );
    expect(
      (await r.alerts.list(system, r.tenantId, {}, { limit: 50, offset: 0 })).items.map(
        (a) => a.ruleTitle,
      ),
    ).toContain('SSH Brute Force Against a Host');
  }, 180_000); // the detection worker compiles the whole set itself before its first batch
});
