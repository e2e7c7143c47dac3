/**
 * The option figures beyond what the API test covers: dependants cut off transitively (and a
 * dependency cycle), an allow-list that keeps one tier but not the one behind it, a blocked origin
 * that is itself a dependant, a peer heard from too long ago or isolated, an agent refusing a
 * command, and the two-person rule following criticality.
 */
import { describe, expect, it } from 'vitest';
import type { Asset, AssetRelation, NetworkSegment } from '../assets/asset.ts';
import type { BusinessFunction } from '../continuity/business-function.ts';
import { containmentOptions } from './containment-options.ts';
import type { ContainmentOptionsInput } from './containment-options.ts';
import type { AgentStatus } from './peer-health.ts';
import { PEER_RECENTLY_SEEN_MS } from './peer-health.ts';

const NOW = 1_800_000_000_000;
const asset = (id: string, fields: Partial<Asset> = {}): Asset => ({
  id,
  tenantId: 't',
  name: id,
  kind: 'server',
  addresses: [],
  mac: null,
  os: null,
  owner: null,
  location: null,
  criticality: 'high',
  tags: [],
  segmentId: null,
  redundancyGroup: null,
  agentInstalled: true,
  operationalStatus: 'up',
  lastSeenAt: null,
  retiredAt: null,
  createdAt: 0,
  updatedAt: 0,
  ...fields,
});
const fn = (id: string, costPerHour: number, mtdMinutes: number): BusinessFunction => ({
  id,
  tenantId: 't',
  name: id,
  description: '',
  owner: null,
  mtdMinutes,
  costPerHour,
  createdAt: 0,
  updatedAt: 0,
});
let relationSeq = 0;
const rel = (kind: AssetRelation['kind'], from: string, to: string): AssetRelation => ({
  id: `r${++relationSeq}`,
  tenantId: 't',
  kind,
  fromAssetId: from,
  toId: to,
  createdAt: 0,
});
const segment: NetworkSegment = {
  id: 'seg-app',
  tenantId: 't',
  name: 'app',
  cidr: '10.20.0.0/24',
  vlan: null,
  zone: 'server',
  gateway: null,
  description: '',
  createdAt: 0,
};
const agent = (agentId: string, fields: Partial<AgentStatus> = {}): AgentStatus => ({
  agentId,
  online: true,
  lastSeenAt: NOW,
  isolated: false,
  isolationPending: false,
  ...fields,
});

// db ← app (in segment app) ← web (outside); web runs the shop, app runs the api, db reports.
const db = asset('db', { addresses: ['10.10.0.1'], redundancyGroup: 'db' });
const app = asset('app', { addresses: ['10.20.0.7'], segmentId: 'seg-app' });
const web = asset('web', { addresses: ['198.51.100.4'] });
const base = (overrides: Partial<ContainmentOptionsInput> = {}): ContainmentOptionsInput => ({
  incident: { severity: 'medium', attackTechniques: [], origins: [] },
  asset: db,
  facts: {
    assets: [db, app, web],
    relations: [
      rel('depends_on', 'app', 'db'),
      rel('depends_on', 'web', 'app'),
      // A cycle must not loop.
      rel('depends_on', 'db', 'web'),
      rel('runs_function', 'web', 'shop'),
      rel('runs_function', 'app', 'api'),
      rel('runs_function', 'db', 'reports'),
    ],
    functions: [fn('shop', 600, 30), fn('api', 120, 600), fn('reports', 60, 2880)],
    segments: [segment],
  },
  affectedAssetIds: new Set(['db']),
  agentOf: (a) => (a.id === 'db' ? agent('agent-db') : undefined),
  accounts: [],
  rules: [],
  durations: {},
  now: NOW,
  ...overrides,
});
const option = (input: ContainmentOptionsInput, kind: string) => {
  const found = containmentOptions(input).options.find((o) => o.kind === kind);
  if (found === undefined) throw new Error(kind);
  return found;
};
const names = (list: readonly { readonly function: { readonly name: string } }[]) =>
  list.map((f) => f.function.name).sort();

describe('containmentOptions', () => {
  it('isolating cuts every dependant, transitively, through a cycle', () => {
    const isolate = option(base(), 'isolate');
    expect(isolate.stoppedDependants.map((d) => d.id).sort()).toEqual(['app', 'web']);
    expect(names(isolate.stoppedFunctions)).toEqual(['api', 'reports', 'shop']);
    // 4 h: 600×4 + 120×4 + 60×4; only the shop's 30-minute MTD is exceeded.
    expect(isolate.downtimeCost).toBe(3120);
    expect(isolate.stoppedFunctions.filter((f) => f.mtdExceeded).map((f) => f.function.id)).toEqual(
      ['shop'],
    );
    expect(isolate.requiredApprovals).toBe(1);
  });

  it('an allow-list to the app segment keeps app (and so web) but not what sits elsewhere', () => {
    const keepOpen = [{ segment: 'app', ports: [5432, 5432] }];
    const allow = option(base({ keepOpen }), 'isolate-with-allow');
    expect(allow.available).toBe(true);
    expect(allow.stoppedDependants).toEqual([]);
    expect(allow.stoppedFunctions).toEqual([]);
    expect(allow.steps[0]).toMatchObject({
      command: { kind: 'isolate', allow: [{ network: '10.20.0.0/24', ports: [5432] }] },
    });
    // web depends on db directly too: outside the segment, it is cut, and its shop stops.
    const direct = base({ keepOpen });
    const cut = option(
      {
        ...direct,
        facts: {
          ...direct.facts,
          relations: [...direct.facts.relations, rel('depends_on', 'web', 'db')],
        },
      },
      'isolate-with-allow',
    );
    expect(cut.stoppedDependants.map((d) => d.id)).toEqual(['web']);
    expect(names(cut.stoppedFunctions)).toEqual(['shop']);
  });

  it('blocking an origin that is a dependant cuts it and what depends on it', () => {
    const block = option(
      base({
        incident: {
          severity: 'high',
          attackTechniques: [],
          origins: [{ address: '10.20.0.7', scope: 'internal' }],
        },
      }),
      'block-origins',
    );
    expect(block.stoppedDependants.map((d) => d.id).sort()).toEqual(['app', 'web']);
    expect(names(block.stoppedFunctions)).toEqual(['api', 'shop']);
  });

  it('a peer is healthy only when up, unaffected, recently heard from and not isolated', () => {
    const peer = asset('db2', { redundancyGroup: 'db' });
    const withPeer = (
      status: AgentStatus | undefined,
      extra: Partial<ContainmentOptionsInput> = {},
    ) => {
      const input = base({
        ...extra,
        agentOf: (a) => (a.id === 'db' ? agent('agent-db') : a.id === 'db2' ? status : undefined),
      });
      return containmentOptions({
        ...input,
        facts: { ...input.facts, assets: [...input.facts.assets, peer] },
      });
    };
    const failover = (result: ReturnType<typeof containmentOptions>) =>
      result.options.find((o) => o.kind === 'failover-then-isolate')!;
    expect(failover(withPeer(agent('agent-db2'))).available).toBe(true);
    // Offline but heard from within the window still counts; beyond it, not.
    expect(
      failover(
        withPeer(agent('agent-db2', { online: false, lastSeenAt: NOW - PEER_RECENTLY_SEEN_MS })),
      ).available,
    ).toBe(true);
    const silent = withPeer(agent('agent-db2', { online: false, lastSeenAt: NOW - 3 * 3_600_000 }));
    expect(silent.peers[0]?.reasons).toEqual([
      'the agent of db2 was last heard from 180 minutes ago',
    ]);
    expect(failover(silent).available).toBe(false);
    expect(withPeer(agent('agent-db2', { isolated: true })).peers[0]?.reasons).toEqual([
      'db2 is isolated',
    ]);
    expect(withPeer(agent('agent-db2', { isolationPending: true })).peers[0]?.healthy).toBe(false);
    expect(withPeer(undefined).peers[0]?.reasons).toEqual([
      'no enrolled agent answers for db2, so Cordon cannot see it serving',
    ]);
    // The failover interrupts for 15 minutes by default, or the tenant's figure.
    const quick = failover(
      withPeer(agent('agent-db2'), { durations: { 'failover-then-isolate': 45 } }),
    );
    expect(quick.expectedDurationMinutes).toBe(45);
    expect(quick.stoppedFunctions.filter((f) => f.mtdExceeded).map((f) => f.function.id)).toEqual([
      'shop',
    ]);
  });

  it('marks an option unavailable when the agent would refuse its command, or there is no agent', () => {
    const refused = option(
      base({
        accounts: ['Not A Valid Name'],
        commandProblem: (command) =>
          command.kind === 'disable-account' ? 'bad account name' : undefined,
      }),
      'disable-accounts',
    );
    expect(refused).toMatchObject({ available: false, unavailableReasons: ['bad account name'] });
    const noAgent = base({ agentOf: () => undefined });
    expect(option(noAgent, 'isolate').unavailableReasons).toEqual([
      'no enrolled agent answers for db',
    ]);
    expect(option(noAgent, 'watch').available).toBe(true);
  });

  it('asks for two approvers on a critical asset, none to watch', () => {
    const critical = base({ asset: { ...db, criticality: 'critical' } });
    expect(option(critical, 'isolate').requiredApprovals).toBe(2);
    expect(option(critical, 'isolate').needs.map((n) => n.kind)).toContain('second-approver');
    expect(option(critical, 'watch').requiredApprovals).toBe(0);
  });
});
