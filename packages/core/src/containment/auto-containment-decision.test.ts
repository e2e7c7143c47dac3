// issue 13 item 5: forged telemetry isolated a victim — the policy's intent is carried out
// automatically only when the host is confirmed by provenance, within a per-tenant rate limit.
import { describe, expect, it } from 'vitest';
import type { EventProvenance } from '../provenance/event-provenance.ts';
import { parseEventProvenance } from '../provenance/event-provenance.ts';
import { autoContainmentDecision } from './auto-containment-decision.ts';
import type { AutoContainmentInput, AutoContainmentTarget } from './auto-containment-decision.ts';
import { DEFAULT_AUTO_ISOLATION_LIMIT, DEFAULT_CONTAINMENT_RULES } from './containment-policy.ts';

const isolate = { kind: 'isolate', rule: DEFAULT_CONTAINMENT_RULES[0]! } as const;
const ask = { kind: 'request-approval', rule: DEFAULT_CONTAINMENT_RULES[1]! } as const;
const ws1: AutoContainmentTarget = { host: 'ws-1', agentId: 'agent-ws-1', intent: isolate };
const NOW = 1_800_000_000_000;

const ownAgent: EventProvenance = { kind: 'agent', agentId: 'agent-ws-1', host: 'ws-1' };
const token: EventProvenance = { kind: 'http', credential: 'token', id: 'tok-1' };
const syslog = (
  transport: 'udp' | 'tcp' | 'tls',
  boundHosts: string[],
  bindingConfirms = transport !== 'udp',
): EventProvenance => ({
  kind: 'syslog',
  listener: '127.0.0.1:5514',
  transport,
  senderAddress: '198.18.0.10',
  spoofable: transport === 'udp',
  tenantBinding: 'sender',
  boundHosts,
  bindingConfirms,
});

const decide = (overrides: Partial<AutoContainmentInput>) =>
  autoContainmentDecision({
    targets: [ws1],
    evidence: Array<EventProvenance>(12).fill(ownAgent),
    recentAutomaticIsolations: [],
    limit: DEFAULT_AUTO_ISOLATION_LIMIT,
    now: NOW,
    ...overrides,
  }).map((o) => o.verdict);

describe('autoContainmentDecision (issue 13 item 5)', () => {
  it("acts at once when every event is the host's own agent's telemetry", () => {
    expect(decide({})).toEqual([{ kind: 'act-now', reason: expect.stringContaining('confirmed') }]);
  });

  it('asks an incident lead when the events came with an ingest token, naming it', () => {
    const [verdict] = decide({ evidence: Array<EventProvenance>(12).fill(token) });
    expect(verdict?.kind).toBe('ask-incident-lead');
    expect(verdict).toMatchObject({
      reason: expect.stringMatching(/ws-1.*12 of 12.*ingest token tok-1/),
    });
  });

  it('asks when one event of twelve is not confirming (forged lines mixed with real ones)', () => {
    const evidence = [...Array<EventProvenance>(11).fill(ownAgent), token];
    expect(decide({ evidence })[0]?.kind).toBe('ask-incident-lead');
  });

  it("asks for another host's agent, an unreadable event, no evidence, a replay", () => {
    const other: EventProvenance = { kind: 'agent', agentId: 'agent-ws-2', host: 'ws-2' };
    expect(decide({ evidence: [other] })[0]?.kind).toBe('ask-incident-lead');
    expect(decide({ evidence: [ownAgent, undefined] })[0]?.kind).toBe('ask-incident-lead');
    expect(decide({ evidence: [] })[0]?.kind).toBe('ask-incident-lead');
    const replay: EventProvenance = { kind: 'replay', deadLetterId: 'd1', source: 'agent' };
    expect(decide({ evidence: [replay] })[0]?.kind).toBe('ask-incident-lead');
  });

  it('trusts a TCP/TLS sender bound to the host, not an unbound one, not UDP by default', () => {
    expect(decide({ evidence: [syslog('tcp', ['WS-1'])] })[0]?.kind).toBe('act-now');
    expect(decide({ evidence: [syslog('tls', ['ws-1'])] })[0]?.kind).toBe('act-now');
    expect(decide({ evidence: [syslog('tcp', ['ws-2'])] })[0]?.kind).toBe('ask-incident-lead');
    expect(decide({ evidence: [syslog('tcp', [])] })[0]?.kind).toBe('ask-incident-lead');
    const udp = decide({ evidence: [syslog('udp', ['ws-1'])] })[0];
    expect(udp).toMatchObject({
      kind: 'ask-incident-lead',
      reason: expect.stringContaining('UDP'),
    });
    // Only when the operator opted in (documented as weaker) does a UDP binding confirm.
    expect(decide({ evidence: [syslog('udp', ['ws-1'], true)] })[0]?.kind).toBe('act-now');
  });

  it('asks for every host of a raise when one of them is not confirmed', () => {
    const ws2: AutoContainmentTarget = { host: 'ws-2', agentId: 'agent-ws-2', intent: isolate };
    const verdicts = decide({ targets: [ws1, ws2], evidence: [ownAgent] });
    expect(verdicts.map((v) => v.kind)).toEqual(['ask-incident-lead', 'ask-incident-lead']);
  });

  it('keeps the policy asking for servers and doing nothing where it says nothing', () => {
    const server: AutoContainmentTarget = { host: 'srv', agentId: 'agent-ws-1', intent: ask };
    const idle: AutoContainmentTarget = { host: 'x', agentId: 'a', intent: { kind: 'none' } };
    expect(decide({ targets: [server, idle] }).map((v) => v.kind)).toEqual([
      'ask-incident-lead',
      'nothing',
    ]);
  });

  it('rate-limits automatic isolations per tenant: the sixth in ten minutes asks', () => {
    const minute = 60_000;
    const five = [1, 2, 3, 4, 5].map((m) => NOW - m * minute);
    expect(decide({ recentAutomaticIsolations: five.slice(0, 4) })[0]?.kind).toBe('act-now');
    const limited = decide({ recentAutomaticIsolations: five })[0];
    expect(limited).toMatchObject({
      kind: 'ask-incident-lead',
      reason: expect.stringContaining('limited to 5 per 10 minutes'),
    });
    // Isolations older than the window no longer count.
    const old = five.map((at) => at - 10 * minute);
    expect(decide({ recentAutomaticIsolations: old })[0]?.kind).toBe('act-now');
    expect(decide({ limit: { maxIsolations: 0, windowMinutes: 10 } })[0]?.kind).toBe(
      'ask-incident-lead',
    );
  });
});

describe('parseEventProvenance', () => {
  it('reads back what was stored and makes anything else unrecorded (never trusted)', () => {
    expect(parseEventProvenance(JSON.parse(JSON.stringify(ownAgent)))).toEqual(ownAgent);
    const tcp = syslog('tcp', ['ws-1']);
    expect(parseEventProvenance(JSON.parse(JSON.stringify(tcp)))).toEqual(tcp);
    expect(parseEventProvenance(null)).toEqual({ kind: 'unrecorded' });
    expect(parseEventProvenance({ kind: 'agent' })).toEqual({ kind: 'unrecorded' });
    expect(parseEventProvenance({ kind: 'root' })).toEqual({ kind: 'unrecorded' });
  });
});
