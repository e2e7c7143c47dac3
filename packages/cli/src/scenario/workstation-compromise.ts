/**
 * `workstation-compromise`: one whole incident in the lab, from the attack to *closed*, driven
 * through the HTTP API only — what `cordon lab scenario` shows a newcomer and what the lab's
 * incident-lifecycle test asserts on, so the two cannot drift apart.
 *
 * The lab: h1 a workstation (the victim), h2 and h3 two web servers in one redundancy group,
 * h4 the critical database with no peer. The attacker brute-forces h1's SSH, opens a reverse
 * shell and plants a cron entry. Then: detection raises alerts and opens an incident, the
 * default policy isolates h1; identification fills itself in; the analyst scopes h2 and h4 in;
 * h2 fails over to h3 and is isolated; h4 is isolated under the two-person rule; the shipped
 * playbook for the incident's category runs (agent and manual steps); root cause and scope are
 * recorded; the agent removes the cron entry (its copy kept as evidence); a restore from a
 * backup job and a change record; containment is released; verification re-hunts, replays the
 * detection and tests that the attacker is unreachable; the closing review; closure; the
 * incident's metrics; and the journal is verified offline as `cordon verify journal` does.
 *
 * Each step is reported as it happens (phase, what was done, which API call). A step whose
 * answer is not what the response needs throws a ScenarioError naming the call and the answer.
 */
import type { AttackReport } from '@cordon/lab';
import { labAgentPaths, runAttack } from '@cordon/lab';
import { PassThrough } from 'node:stream';
import { verifyJournalCommand } from '../commands/verify-journal.command.ts';
import type { ApiAnswer, ScenarioActor, ScenarioStage } from './scenario-lab.ts';
import { startScenarioStage } from './scenario-lab.ts';

export interface ScenarioStep {
  readonly phase: string;
  readonly what: string;
  /** The API call(s) that did it, e.g. `POST /incidents/{id}/transitions`. */
  readonly call: string;
  /** Milliseconds since the scenario started. */
  readonly atMs: number;
}

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly code = 'scenario_step_failed' as const;
}

interface ActionView {
  readonly id: string;
  readonly state: string;
  readonly incidentId: string | null;
  readonly requestedBy: string;
  readonly agentId: string;
  readonly detail: string | null;
  readonly approvals: readonly { readonly by: string; readonly at: string }[];
  readonly requiredApprovals?: number;
  readonly action: { readonly kind: string } & Record<string, unknown>;
  readonly result?: { readonly output?: unknown } | null;
}

interface DecisionView {
  readonly id: string;
  readonly option: string;
  readonly state: string;
  readonly assetName: string;
  readonly figures: { readonly requiredApprovals: number; readonly recommended: boolean };
  readonly failover: { readonly peerName: string; readonly state: string } | null;
  readonly actions: readonly ActionView[];
}

interface RunStep {
  readonly key: string;
  readonly kind: string | null;
  readonly name: string;
  readonly state: string;
  readonly actor: string | null;
  readonly outputs: Record<string, unknown>;
  readonly phase?: string;
}

interface PlaybookRunView {
  readonly id: string;
  readonly playbookId: string;
  readonly playbookName: string;
  readonly status: string;
  readonly variables: Record<string, unknown>;
  readonly steps: readonly RunStep[];
}

interface VerificationRun {
  readonly id: string;
  readonly checkId: string;
  readonly status: string;
  readonly reason: string | null;
  readonly findings: Record<string, unknown>;
}

export interface ScenarioResult {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly reference: string;
  readonly attack: AttackReport;
  readonly alerts: readonly { readonly ruleId: string; readonly ruleTitle: string }[];
  readonly identification: {
    readonly category: { readonly category: string; readonly basis: readonly string[] } | null;
    readonly assets: readonly {
      name: string;
      assetKind: string | null;
      criticality: string | null;
    }[];
    readonly techniques: readonly { id: string; name: string | null }[];
    readonly origins: readonly { address: string; class: string; range: string | null }[];
  };
  readonly policyIsolation: ActionView;
  readonly failoverDecision: DecisionView;
  readonly twoPersonDecision: DecisionView;
  /** The same lead approving the critical server's isolation a second time: its answer. */
  readonly repeatedApproval: ApiAnswer<{ error?: { code: string } }>;
  readonly twoPersonIsolation: ActionView;
  readonly playbookRun: PlaybookRunView;
  readonly persistenceRemoval: ActionView;
  readonly persistenceAfter: readonly unknown[];
  readonly evidence: readonly { id: string; sha256: string; filename: string }[];
  readonly restore: { readonly status: string; readonly backupJobId: string };
  readonly backupJob: { readonly lastRestoreTestPassed: boolean | null };
  readonly releaseActions: readonly ActionView[];
  readonly verification: readonly VerificationRun[];
  readonly closure: {
    readonly phase: string;
    readonly metrics: Record<string, number | null>;
    readonly checks: { total: number; passing: number };
    readonly restores: { succeeded: number; failed: number; pending: number };
  };
  readonly incident: { readonly phase: string; readonly phaseTimes: Record<string, string> };
  readonly journal: { readonly exitCode: number; readonly output: string };
  readonly steps: readonly ScenarioStep[];
  readonly durationMs: number;
}

export interface ScenarioOptions {
  /** Lab name (namespaces are `cordon-lab-NAME-*`). */
  readonly name: string;
  readonly stateDir?: string;
  /** Called for every step as it happens. */
  readonly onStep?: (step: ScenarioStep) => void;
  /** How long any one awaited state may take; default 60 s. */
  readonly waitMs?: number;
}

const C2_PORT = 4444;
const DB_PORT = 5432;

export const SCENARIOS = ['workstation-compromise'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export async function runWorkstationCompromise(options: ScenarioOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const steps: ScenarioStep[] = [];
  const waitMs = options.waitMs ?? 60_000;
  const step = (phase: string, what: string, call: string) => {
    const s = { phase, what, call, atMs: Math.round(performance.now() - started) };
    steps.push(s);
    options.onStep?.(s);
  };
  const stage = await startScenarioStage({
    name: options.name,
    stateDir: options.stateDir,
    assets: [
      { kind: 'workstation', criticality: 'medium', owner: 'finance' },
      { kind: 'server', criticality: 'high', redundancyGroup: 'web', owner: 'web team' },
      { kind: 'server', criticality: 'high', redundancyGroup: 'web', owner: 'web team' },
      { kind: 'server', criticality: 'critical', owner: 'dba team' },
    ],
  });
  step(
    'setup',
    `lab ${options.name}: ${stage.lab.hosts.map((h) => h.id).join(', ')} and an attacker in namespaces; a server with tenant, two incident leads and a responder; ${stage.agents.size} agents enrolled`,
    'cordon lab up (Lab.up, POST /assets, POST /agents/enrolment-tokens)',
  );
  try {
    return await play(stage, { step, steps, waitMs, started });
  } finally {
    await stage.dispose();
  }
}

interface PlayContext {
  readonly step: (phase: string, what: string, call: string) => void;
  readonly steps: ScenarioStep[];
  readonly waitMs: number;
  readonly started: number;
}

async function play(stage: ScenarioStage, ctx: PlayContext): Promise<ScenarioResult> {
  const { lab } = stage;
  const [h1, h2, h3, h4] = lab.hosts as [
    (typeof lab.hosts)[number],
    (typeof lab.hosts)[number],
    (typeof lab.hosts)[number],
    (typeof lab.hosts)[number],
  ];
  const { step, waitMs } = ctx;

  /** Calls the API and throws unless the answer has the expected status. */
  const call = async <T>(
    method: string,
    path: string,
    body: unknown,
    expected: number,
    actor: ScenarioActor = 'lead',
  ): Promise<T> => {
    const answer = await stage.api<T>(method, path, body, actor);
    if (answer.status !== expected)
      throw new ScenarioError(
        `${method} ${path} answered ${answer.status}, not ${expected}: ${JSON.stringify(answer.body)}`,
      );
    return answer.body;
  };
  /** Polls until `read` gives a value (not undefined), or throws naming `what`. */
  const until = async <T>(what: string, read: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new ScenarioError(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const actionDone = (id: string, what: string) =>
    until(what, async () => {
      const a = await call<ActionView>('GET', `/actions/${id}`, undefined, 200);
      if (a.state === 'failed' || a.state === 'rolled-back')
        throw new ScenarioError(`${what}: action ${id} ${a.state}: ${a.detail ?? ''}`);
      return a.state === 'applied' ? a : undefined;
    });
  const transition = async (incidentId: string, to: string, extra: object = {}) => {
    await call('POST', `/incidents/${incidentId}/transitions`, { to, ...extra }, 200);
    step(
      to,
      `the incident enters ${to}: its guard holds`,
      `POST /incidents/{id}/transitions {"to":"${to}"}`,
    );
  };

  // ── The attack ────────────────────────────────────────────────────────────────────────
  await lab.listen(h1.namespace, '::', 22);
  const attack = await runAttack(lab, {
    host: h1,
    authLogPath: labAgentPaths(lab, h1).authLogPath,
    c2Port: C2_PORT,
    persistenceRoot: labAgentPaths(lab, h1).persistenceRoot,
  });
  step(
    'attack',
    `${attack.bruteForceAttempts} SSH attempts from ${attack.c2.address} on ${h1.id}, a reverse shell ${attack.reverseShell.connected ? 'connected to' : 'towards'} ${attack.c2.address}:${attack.c2.port}, a cron entry planted in ${attack.persistence?.path ?? '?'}`,
    'cordon lab attack (runAttack)',
  );

  // ── Detected: alerts, an incident, the policy isolates the workstation ─────────────────
  const policyIsolationRequested = await until(
    'the policy to isolate the workstation',
    async () => {
      const list = await call<{ items: ActionView[] }>('GET', '/actions', undefined, 200);
      return list.items.find(
        (a) => a.action.kind === 'isolate' && a.requestedBy === 'policy:auto-containment',
      );
    },
  );
  const incidentId = policyIsolationRequested.incidentId;
  if (incidentId === null) throw new ScenarioError('the policy isolation names no incident');
  const alerts = await call<{ items: { ruleId: string; ruleTitle: string }[] }>(
    'GET',
    `/alerts?incidentId=${incidentId}`,
    undefined,
    200,
  );
  const opened = await call<{ reference: string; severity: string }>(
    'GET',
    `/incidents/${incidentId}`,
    undefined,
    200,
  );
  step(
    'detected',
    `${alerts.items.length} alert(s) (${[...new Set(alerts.items.map((a) => a.ruleTitle))].join('; ')}) opened ${opened.reference}, severity ${opened.severity}`,
    'GET /alerts?incidentId=…, GET /incidents/{id}',
  );
  const policyIsolation = await actionDone(policyIsolationRequested.id, 'the policy isolation');
  step(
    'detected',
    `the default containment policy isolated workstation ${h1.id} on its own (action ${policyIsolation.state})`,
    'GET /actions (requestedBy policy:auto-containment)',
  );
  await call('POST', `/incidents/${incidentId}/acknowledge`, {}, 200);
  step('detected', 'an incident lead acknowledged it', 'POST /incidents/{id}/acknowledge');

  // ── Identified ────────────────────────────────────────────────────────────────────────
  type Identification = ScenarioResult['identification'];
  const identification = await until(
    'identification to name the asset, technique and origin',
    async () => {
      const view = await call<Identification>(
        'GET',
        `/incidents/${incidentId}/identification`,
        undefined,
        200,
      );
      return view.assets.some((a) => a.name === h1.id) &&
        view.techniques.length > 0 &&
        view.origins.some((o) => o.address === lab.attacker.ipv4)
        ? view
        : undefined;
    },
  );
  step(
    'identified',
    `filled in: asset ${identification.assets.map((a) => `${a.name} (${a.assetKind ?? '?'}, ${a.criticality ?? '?'})`).join(', ')}; ${identification.techniques.map((t) => `${t.id} ${t.name ?? ''}`).join(', ')}; category ${identification.category?.category ?? 'none'}; origin ${identification.origins.map((o) => `${o.address} ${o.class}`).join(', ')}`,
    'GET /incidents/{id}/identification',
  );
  await transition(incidentId, 'identified');

  // ── Contained: the servers, through the options ───────────────────────────────────────
  for (const host of [h2, h4])
    await call(
      'POST',
      `/incidents/${incidentId}/identification/corrections`,
      {
        action: 'add',
        kind: 'asset',
        name: host.id,
        reason: 'the reverse shell reached it from h1 (scoping)',
      },
      200,
    );
  step(
    'identified',
    `an analyst scoped servers ${h2.id} and ${h4.id} into the incident`,
    'POST /incidents/{id}/identification/corrections {"action":"add","kind":"asset"}',
  );
  type Options = {
    assets: {
      asset: { id: string; name: string };
      peers: { name: string; healthy: boolean }[];
      recommendation: { option: string } | null;
      options: {
        option: string;
        available: boolean;
        requiredApprovals: number;
        downtimeCost: number;
      }[];
    }[];
  };
  const options = await call<Options>(
    'GET',
    `/incidents/${incidentId}/containment-options`,
    undefined,
    200,
  );
  const optionsOf = (hostId: string) => {
    const entry = options.assets.find((a) => a.asset.name === hostId);
    if (entry === undefined) throw new ScenarioError(`no containment options for ${hostId}`);
    return entry;
  };
  const web = optionsOf(h2.id);
  const db = optionsOf(h4.id);
  step(
    'identified',
    `options for ${h2.id}: peer ${web.peers.map((p) => `${p.name} ${p.healthy ? 'healthy' : 'unhealthy'}`).join(', ') || 'none'}, recommended ${web.recommendation?.option ?? 'none'}; for ${h4.id} (critical, no peer): ${db.options
      .filter((o) => o.available)
      .map((o) => o.option)
      .join(', ')}`,
    'GET /incidents/{id}/containment-options',
  );

  const failoverDecisionMade = await call<DecisionView>(
    'POST',
    `/incidents/${incidentId}/containment-decisions`,
    {
      assetId: stage.assetIds.get(h2.id),
      option: 'failover-then-isolate',
      rationale: `${h3.id} carries the web traffic while ${h2.id} is isolated`,
    },
    201,
  );
  step(
    'identified',
    `decided: ${h2.id} fails over to ${failoverDecisionMade.failover?.peerName ?? '?'}, then is isolated (${failoverDecisionMade.state})`,
    'POST /incidents/{id}/containment-decisions {"option":"failover-then-isolate"}',
  );
  const afterFailover = await call<DecisionView>(
    'POST',
    `/incidents/${incidentId}/containment-decisions/${failoverDecisionMade.id}/failover`,
    { outcome: 'confirmed', note: `${h3.id} serving` },
    200,
  );
  const webIsolation = afterFailover.actions.find((a) => a.action.kind === 'isolate');
  if (webIsolation === undefined)
    throw new ScenarioError('the confirmed failover queued no isolation');
  step(
    'identified',
    `the failover to ${h3.id} confirmed by a lead: the isolation of ${h2.id} is queued`,
    'POST /incidents/{id}/containment-decisions/{d}/failover {"outcome":"confirmed"}',
  );
  if (webIsolation.state === 'requested') {
    await call('POST', `/actions/${webIsolation.id}/approve`, {}, 200);
    step('identified', `a lead approved the isolation of ${h2.id}`, 'POST /actions/{a}/approve');
  }
  await actionDone(webIsolation.id, `the isolation of ${h2.id}`);
  step('contained', `${h2.id} isolated by its agent`, 'GET /actions/{a}');

  const dbDecision = await call<DecisionView>(
    'POST',
    `/incidents/${incidentId}/containment-decisions`,
    {
      assetId: stage.assetIds.get(h4.id),
      option: 'isolate',
      rationale: 'no peer; the database must not talk to the attacker',
    },
    201,
  );
  const dbIsolation = dbDecision.actions.find((a) => a.action.kind === 'isolate');
  if (dbIsolation === undefined)
    throw new ScenarioError('the database decision queued no isolation');
  step(
    'identified',
    `decided: isolate ${h4.id} (critical, no peer) — needs ${dbDecision.figures.requiredApprovals} distinct approvers`,
    'POST /incidents/{id}/containment-decisions {"option":"isolate"}',
  );
  const firstApproval = await call<ActionView>(
    'POST',
    `/actions/${dbIsolation.id}/approve`,
    {},
    200,
  );
  step(
    'identified',
    `first lead approved (${firstApproval.approvals.length} of ${dbDecision.figures.requiredApprovals}); the action is still ${firstApproval.state}`,
    'POST /actions/{a}/approve',
  );
  const repeatedApproval = await stage.api<{ error?: { code: string } }>(
    'POST',
    `/actions/${dbIsolation.id}/approve`,
    {},
    'lead',
  );
  step(
    'identified',
    `the same lead approving again is refused (${repeatedApproval.status} ${repeatedApproval.body.error?.code ?? ''})`,
    'POST /actions/{a}/approve',
  );
  await call('POST', `/actions/${dbIsolation.id}/approve`, {}, 200, 'secondLead');
  step(
    'identified',
    'a second, different lead approved: the two-person rule holds',
    'POST /actions/{a}/approve',
  );
  const twoPersonIsolation = await actionDone(dbIsolation.id, `the isolation of ${h4.id}`);
  step('contained', `${h4.id} isolated by its agent`, 'GET /actions/{a}');
  await call(
    'PATCH',
    `/incidents/${incidentId}`,
    {
      containmentNote: `${h1.id} isolated by policy; ${h2.id} failed over to ${h3.id} and isolated; ${h4.id} isolated (two approvers)`,
    },
    200,
  );
  await transition(incidentId, 'contained');

  // ── The playbook ──────────────────────────────────────────────────────────────────────
  const suggestions = await call<{ items: { playbookId: string; name: string; score: number }[] }>(
    'GET',
    `/incidents/${incidentId}/playbook-suggestions`,
    undefined,
    200,
  );
  const chosen = suggestions.items[0];
  if (chosen === undefined) throw new ScenarioError('no playbook suggested for the incident');
  let run = await call<PlaybookRunView>(
    'POST',
    `/incidents/${incidentId}/playbook-runs`,
    {
      playbookId: chosen.playbookId,
      // The workstation the attack came in on (the incident also lists the servers scoped in).
      variables: { __affected_host__: h1.id },
    },
    201,
    'responder',
  );
  step(
    'contained',
    `playbook "${chosen.name}" suggested (score ${chosen.score}) and started against ${h1.id}`,
    'GET /incidents/{id}/playbook-suggestions, POST /incidents/{id}/playbook-runs',
  );
  const reported = new Set<string>();
  /** Reports finished steps; completes the waiting manual steps of `phases`; approves approvals. */
  const advancePlaybook = async (phases: readonly string[]) => {
    for (;;) {
      run = await call<PlaybookRunView>('GET', `/playbook-runs/${run.id}`, undefined, 200);
      for (const s of run.steps)
        if (
          (s.state === 'done' || s.state === 'skipped') &&
          s.kind !== null &&
          !reported.has(s.key)
        ) {
          reported.add(s.key);
          step(
            'playbook',
            `step "${s.name}" (${s.kind}) ${s.state}${Object.keys(s.outputs).length > 0 ? ` → ${JSON.stringify(s.outputs)}` : ''}`,
            'GET /playbook-runs/{r}',
          );
        }
      if (run.status === 'failed')
        throw new ScenarioError(`the playbook run failed: ${JSON.stringify(run)}`);
      const manual = run.steps.find(
        (s) =>
          s.state === 'waiting' &&
          s.kind === 'manual' &&
          s.phase !== undefined &&
          phases.includes(s.phase),
      );
      if (manual !== undefined) {
        await call(
          'POST',
          `/playbook-runs/${run.id}/steps/complete`,
          { step: manual.key, note: 'done in the scenario' },
          200,
          'lead',
        );
        continue;
      }
      const approval = run.steps.find((s) => s.state === 'waiting' && s.kind === 'approval');
      if (approval !== undefined) {
        await call(
          'POST',
          `/playbook-runs/${run.id}/steps/decide`,
          { step: approval.key, decision: 'approved' },
          200,
        );
        continue;
      }
      const busy = run.steps.some(
        (s) => s.state === 'running' || (s.state === 'waiting' && s.kind !== 'manual'),
      );
      if (!busy) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await advancePlaybook(['contained']);

  // ── Analysed ──────────────────────────────────────────────────────────────────────────
  await call(
    'PATCH',
    `/incidents/${incidentId}`,
    {
      rootCause: `password guessing against ${h1.id}'s SSH from ${lab.attacker.ipv4}, then a reverse shell and a cron entry for persistence`,
      scope: `${h1.id} (workstation); ${h2.id} and ${h4.id} reachable from it; no sign-in succeeded`,
    },
    200,
  );
  step('analysed', 'root cause and scope recorded', 'PATCH /incidents/{id} {"rootCause","scope"}');
  await advancePlaybook(['contained', 'analysed']);
  await transition(incidentId, 'analysed');

  // ── Eradicated: the agent removes the cron entry; its copy is kept ─────────────────────
  const planted = attack.persistence;
  if (planted === undefined) throw new ScenarioError('the attack planted no persistence entry');
  const listed = await call<ActionView>(
    'POST',
    '/actions',
    { host: h1.id, action: { kind: 'list-persistence' }, incidentId },
    201,
    'responder',
  );
  const listing = await actionDone(listed.id, 'the persistence listing');
  step(
    'analysed',
    `the agent on ${h1.id} listed its persistence entries`,
    'POST /actions {"kind":"list-persistence"}',
  );
  const removal = await call<ActionView>(
    'POST',
    '/actions',
    { host: h1.id, action: { kind: 'remove-persistence', target: planted }, incidentId },
    201,
    'responder',
  );
  const persistenceRemoval = await actionDone(removal.id, 'the removal of the cron entry');
  step(
    'eradicated',
    `the agent removed the cron entry from ${planted.path} (signed, journalled)`,
    'POST /actions {"kind":"remove-persistence"}',
  );
  const evidence = await until('the removed entry to be kept as evidence', async () => {
    const page = await call<{ items: { id: string; sha256: string; filename: string }[] }>(
      'GET',
      `/evidence?incidentId=${incidentId}`,
      undefined,
      200,
    );
    return page.items.length > 0 ? page : undefined;
  });
  step(
    'eradicated',
    `its copy is kept as evidence: ${evidence.items.map((e) => `${e.filename} sha256:${e.sha256.slice(0, 12)}…`).join(', ')}`,
    'GET /evidence?incidentId=…',
  );
  const relisted = await call<ActionView>(
    'POST',
    '/actions',
    { host: h1.id, action: { kind: 'list-persistence' }, incidentId },
    201,
    'responder',
  );
  const persistenceAfter = entriesOf(await actionDone(relisted.id, 'the second listing'));
  void listing;
  const eradication = await call<{ unmet: string[] }>(
    'GET',
    `/incidents/${incidentId}/eradication`,
    undefined,
    200,
  );
  step(
    'eradicated',
    `eradication checklist: ${eradication.unmet.length === 0 ? 'every step done' : eradication.unmet.join('; ')}`,
    'GET /incidents/{id}/eradication',
  );
  await advancePlaybook(['contained', 'analysed', 'eradicated']);
  await transition(incidentId, 'eradicated');

  // ── Recovered: restore, change record, release ────────────────────────────────────────
  const job = await call<{ id: string }>(
    'POST',
    '/backups',
    {
      name: 'db nightly',
      rpoMinutes: 1440,
      rtoMinutes: 240,
      assetId: stage.assetIds.get(h4.id),
      system: 'pg_dump to the backup vault',
    },
    201,
  );
  const restore = await call<{ id: string; backupJobId: string }>(
    'POST',
    `/incidents/${incidentId}/restores`,
    { backupJobId: job.id, restorePointLabel: 'last night before the attack' },
    201,
  );
  const restored = await call<{ status: string; backupJobId: string }>(
    'POST',
    `/incidents/${incidentId}/restores/${restore.id}/result`,
    { status: 'succeeded', detail: 'row counts and checksums match' },
    200,
  );
  const jobs = await call<
    | { id: string; lastRestoreTestPassed: boolean | null }[]
    | { items: { id: string; lastRestoreTestPassed: boolean | null }[] }
  >('GET', '/backups', undefined, 200);
  const backupJob = (Array.isArray(jobs) ? jobs : jobs.items).find((j) => j.id === job.id);
  if (backupJob === undefined) throw new ScenarioError('the backup job is gone');
  step(
    'recovered',
    `restore of ${h4.id} from backup job "db nightly" recorded: ${restored.status} (the job's restore test: ${String(backupJob.lastRestoreTestPassed)})`,
    'POST /backups, POST /incidents/{id}/restores, POST …/restores/{r}/result',
  );
  const changes = await call<{ suggestions: { mitigationId: string; name: string }[] }>(
    'GET',
    `/incidents/${incidentId}/changes`,
    undefined,
    200,
  );
  const mitigation = changes.suggestions[0];
  await call(
    'POST',
    `/incidents/${incidentId}/changes`,
    {
      area: 'system',
      title: mitigation === undefined ? 'SSH: keys only' : `SSH: ${mitigation.name}`,
      reason: 'password guessing against SSH',
      changedBy: 'web team',
      finding: 'root_cause',
      ...(mitigation === undefined ? {} : { mitigation: mitigation.mitigationId }),
    },
    201,
  );
  step(
    'recovered',
    `change record written${mitigation === undefined ? '' : ` (adopts ATT&CK mitigation ${mitigation.mitigationId} ${mitigation.name})`}`,
    'GET|POST /incidents/{id}/changes',
  );
  const rehuntCheck = await call<{ id: string }>(
    'POST',
    `/incidents/${incidentId}/verification/checks`,
    { kind: 'rehunt' },
    201,
    'responder',
  );
  step(
    'recovered',
    'a re-hunt check watches for the threat (monitoring in place)',
    'POST /incidents/{id}/verification/checks {"kind":"rehunt"}',
  );
  const plan = await call<{ checklist: { item: string; holds: boolean }[]; ready: boolean }>(
    'GET',
    `/incidents/${incidentId}/release`,
    undefined,
    200,
  );
  step(
    'recovered',
    `release checklist: ${plan.checklist.map((c) => `${c.item} ${c.holds ? '✓' : '✗'}`).join(', ')}`,
    'GET /incidents/{id}/release',
  );
  const release = await call<{ actionIds: string[] }>(
    'POST',
    `/incidents/${incidentId}/release`,
    {},
    201,
  );
  const releaseActions: ActionView[] = [];
  for (const id of release.actionIds) releaseActions.push(await actionDone(id, 'a release'));
  step(
    'recovered',
    `containment released: ${releaseActions.length} signed release action(s) applied`,
    'POST /incidents/{id}/release',
  );
  await advancePlaybook(['contained', 'analysed', 'eradicated', 'recovered']);
  await transition(incidentId, 'recovered');

  // ── Verified ──────────────────────────────────────────────────────────────────────────
  const attackerAsset = await call<{ id: string }>(
    'POST',
    '/assets',
    { name: 'attacker', kind: 'server', addresses: [lab.attacker.ipv4], tags: ['hostile'] },
    201,
  );
  void attackerAsset;
  await lab.listen(lab.attacker.namespace, '::', C2_PORT);
  await lab.listen(h4.namespace, '::', DB_PORT);
  const replayCheck = await call<{ id: string }>(
    'POST',
    `/incidents/${incidentId}/verification/checks`,
    { kind: 'detection_replay' },
    201,
    'responder',
  );
  const reachCheck = await call<{ id: string }>(
    'POST',
    `/incidents/${incidentId}/verification/checks`,
    {
      kind: 'reachability',
      agentId: stage.agents.get(h1.id)!.agentId,
      timeoutMs: 1000,
      probes: [
        { address: lab.attacker.ipv4, port: C2_PORT, expect: 'unreachable' },
        { address: h4.ipv4, port: DB_PORT, expect: 'open' },
      ],
    },
    201,
    'responder',
  );
  const verification: VerificationRun[] = [];
  // The re-hunt first: the reachability probes are themselves connections the agent reports.
  for (const [check, label] of [
    [rehuntCheck, 're-hunt'],
    [replayCheck, 'detection replay'],
    [reachCheck, 'reachability'],
  ] as const) {
    const startedRun = await call<VerificationRun>(
      'POST',
      `/incidents/${incidentId}/verification/checks/${check.id}/runs`,
      {},
      201,
      'responder',
    );
    const finished = await until(`the ${label} check`, async () => {
      const runs = await call<VerificationRun[]>(
        'GET',
        `/incidents/${incidentId}/verification/runs?checkId=${check.id}`,
        undefined,
        200,
      );
      const found = runs.find((r) => r.id === startedRun.id);
      return found !== undefined && found.status !== 'running' ? found : undefined;
    });
    verification.push(finished);
    step(
      'verified',
      `${label}: ${finished.status}${finished.reason === null ? '' : ` (${finished.reason})`}`,
      'POST /incidents/{id}/verification/checks/{c}/runs',
    );
    if (finished.status !== 'passed')
      throw new ScenarioError(`the ${label} check did not pass: ${finished.reason ?? ''}`);
  }
  await advancePlaybook(['contained', 'analysed', 'eradicated', 'recovered', 'verified']);
  if (run.status !== 'completed')
    throw new ScenarioError(`the playbook run is ${run.status}, not completed`);
  step('verified', `playbook "${run.playbookName}" completed`, 'GET /playbook-runs/{r}');
  await transition(incidentId, 'verified');

  // ── Closed ────────────────────────────────────────────────────────────────────────────
  await call(
    'PUT',
    `/incidents/${incidentId}/review`,
    {
      whatHappened: `SSH password guessing on ${h1.id} from ${lab.attacker.ipv4}, a reverse shell and a cron entry`,
      whatWorked:
        'the policy isolated the workstation within seconds; the failover kept the web up',
      whatToChange: 'keys-only SSH on workstations; alert on new cron.d files',
      followUps: [
        {
          title: 'Roll out keys-only SSH',
          owner: 'web team',
          due: new Date(Date.now() + 14 * 86_400_000).toISOString(),
          done: false,
        },
      ],
    },
    200,
  );
  step(
    'closed',
    'closing review written (what happened, what worked, what to change, a follow-up)',
    'PUT /incidents/{id}/review',
  );
  await transition(incidentId, 'closed', { closureReason: 'resolved' });
  const closure = await call<ScenarioResult['closure']>(
    'GET',
    `/incidents/${incidentId}/closure`,
    undefined,
    200,
  );
  const incident = await call<ScenarioResult['incident'] & { reference: string }>(
    'GET',
    `/incidents/${incidentId}`,
    undefined,
    200,
  );
  step(
    'closed',
    `metrics: ${Object.entries(closure.metrics)
      .map(([k, v]) => `${k.replace(/Ms$/, '')} ${v === null ? '—' : formatMs(v)}`)
      .join(', ')}`,
    'GET /incidents/{id}/closure',
  );

  // ── The journal, offline ──────────────────────────────────────────────────────────────
  await stage.stopServer();
  const journal = await verifyJournal(stage);
  step(
    'closed',
    `journal: ${journal.output.trim()}`,
    `cordon verify journal --tenant ${stage.tenantId} --data-dir …`,
  );
  if (journal.exitCode !== 0)
    throw new ScenarioError(`cordon verify journal failed: ${journal.output}`);

  return {
    tenantId: stage.tenantId,
    incidentId,
    reference: incident.reference,
    attack,
    alerts: alerts.items,
    identification,
    policyIsolation,
    failoverDecision: afterFailover,
    twoPersonDecision: dbDecision,
    repeatedApproval,
    twoPersonIsolation,
    playbookRun: run,
    persistenceRemoval,
    persistenceAfter,
    evidence: evidence.items,
    restore: restored,
    backupJob,
    releaseActions,
    verification,
    closure,
    incident,
    journal,
    steps: ctx.steps,
    durationMs: Math.round(performance.now() - ctx.started),
  };
}

/** The entries a `list-persistence` result reports (the agent wrote it: read defensively). */
function entriesOf(action: ActionView): readonly unknown[] {
  const output = action.result?.output as { entries?: unknown } | undefined;
  return Array.isArray(output?.entries) ? output.entries : [];
}

function formatMs(ms: number): string {
  return ms < 1000
    ? `${ms} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${(ms / 60_000).toFixed(1)} min`;
}

/** `cordon verify journal` over the stopped server's data directory. */
async function verifyJournal(stage: ScenarioStage): Promise<{ exitCode: number; output: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let output = '';
  stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await verifyJournalCommand.run(
    ['--tenant', stage.tenantId, '--data-dir', stage.dataDir],
    {
      stdout,
      stderr,
      stdin: new PassThrough(),
      env: { PATH: process.env['PATH'] },
    },
  );
  return { exitCode, output };
}
