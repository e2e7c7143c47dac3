/**
 * Verification use cases: define checks on an incident, run them (by hand, or on their
 * schedule through `runDue`), keep every run, and act on the result — a failing check moves the
 * incident back to the phase it names, with the reason. Re-hunts and detection replays finish
 * within the request; a reachability test is an agent action whose signed result finishes the
 * run later (`recordActionResult`).
 *
 * A re-hunt runs the rules over its window page by page (keyset pages of the event store, in its
 * stable order) within a per-run budget of events and time. A window larger than the budget ends
 * the run `incomplete` — never `passed` — with the cursor it reached in its findings; resuming
 * (`resume`, and the scheduler and run-all for a check whose latest run is incomplete) continues
 * from that cursor instead of starting over.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Incident, Phase } from '../incidents/incident.ts';
import type { ObservableKind } from '../incidents/incident-records.ts';
import type { ContainmentAction } from '../containment/containment-action.ts';
import type { Clock } from '../ports/clock.ts';
import type { ContainmentRequests } from '../ports/containment-requests.ts';
import type { DetectionReplay } from '../ports/detection-replay.ts';
import type { EventStore, StoredEvent } from '../ports/event-store.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import { loadIncident, openIncident } from '../recovery/incident-lookup.ts';
import { parseQuery } from '../search/query-parser.ts';
import { documentedAddress } from './documented-address.ts';
import { reopenPhase } from './phase-reopen.ts';
import { judgeProbes } from './probe-verdict.ts';
import { huntQuery } from './rehunt-queries.ts';
import type {
  CheckSchedule,
  ReachabilityProbe,
  RunStatus,
  VerificationCheck,
  VerificationKind,
  VerificationRun,
  VerificationSpec,
} from './verification-check.ts';
import { REOPENABLE_PHASES, defaultReopens } from './verification-check.ts';

export interface NewVerificationCheck {
  readonly kind: VerificationKind;
  readonly title?: string;
  readonly reopens?: Phase;
  /** Re-hunt: which observable kinds; default all but host names. */
  readonly observableKinds?: readonly ObservableKind[];
  /** Re-hunt: rule ids; default the rules of the incident's alerts. */
  readonly ruleIds?: readonly string[];
  /** Re-hunt: run again every `everyMinutes` for `forDays`. */
  readonly repeat?: { readonly everyMinutes: number; readonly forDays: number };
  /** Reachability: the agent (id) that probes, and the probes. */
  readonly agentId?: string;
  readonly probes?: readonly ReachabilityProbe[];
  readonly timeoutMs?: number;
}

export interface VerificationLimits {
  /**
   * Events one re-hunt run feeds the rules (its budget); a window holding more ends the run
   * incomplete, with the cursor it reached.
   */
  readonly maxRehuntEvents: number;
  /** Time one re-hunt run pages through its window (its budget), ms; checked between pages. */
  readonly maxRehuntMs: number;
  /** Events read per keyset page of a re-hunt. */
  readonly rehuntPageSize: number;
  /** Events of the incident's alerts replayed. */
  readonly maxReplayEvents: number;
  readonly maxProbes: number;
  /**
   * How long a reachability run waits for its agent's result (an agent offline, or one that
   * never answers); past it the scheduler ends the run as an error, so the check does not
   * stand `running` for ever.
   */
  readonly resultDeadlineMs: number;
}

export const DEFAULT_VERIFICATION_LIMITS: VerificationLimits = {
  maxRehuntEvents: 50_000,
  maxRehuntMs: 60_000,
  rehuntPageSize: 1_000,
  maxReplayEvents: 5_000,
  maxProbes: 64,
  resultDeadlineMs: 15 * 60_000,
};

export interface VerificationServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: EventStore;
  readonly replay: DetectionReplay;
  readonly containment: ContainmentRequests;
  readonly limits?: Partial<VerificationLimits>;
}

const DEFAULT_KINDS: readonly ObservableKind[] = ['ip', 'domain', 'url', 'file_hash', 'user'];
const SCHEDULER = 'system:verification-scheduler';

/** A reachability run still waiting for its agent, with its check (gone if deleted since). */
interface StaleRun {
  readonly run: VerificationRun;
  readonly check: VerificationCheck | undefined;
}

interface Outcome {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly findings: unknown;
  readonly reason: string | null;
}

/** Where an incomplete re-hunt stopped, as its findings keep it. */
interface RehuntProgress {
  readonly runId: string;
  /** The event store's cursor after the last event the rules saw. */
  readonly cursor: string;
  /** Events the rules saw in the runs up to it, since the first of the chain. */
  readonly eventsScannedTotal: number;
}

export class VerificationService {
  readonly #o: VerificationServiceOptions;
  readonly #limits: VerificationLimits;

  constructor(options: VerificationServiceOptions) {
    this.#o = options;
    this.#limits = { ...DEFAULT_VERIFICATION_LIMITS, ...options.limits };
    for (const [name, value] of Object.entries(this.#limits))
      if (!Number.isSafeInteger(value) || value < 1)
        throw new CordonError(
          'invalid_input',
          `verification limit ${name} must be a positive integer`,
        );
  }

  async addCheck(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: NewVerificationCheck,
  ): Promise<VerificationCheck> {
    authorize(principal, tenantId, 'incident:write');
    const reopens = input.reopens ?? defaultReopens(input.kind);
    if (!REOPENABLE_PHASES.includes(reopens))
      throw invalidInput(`a failing check reopens one of ${REOPENABLE_PHASES.join(', ')}`);
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await openIncident(scope, incidentId);
      const spec = await this.#spec(scope, input);
      const now = this.#o.clock.now();
      let schedule: CheckSchedule | null = null;
      if (input.repeat) {
        if (spec.kind !== 'rehunt') throw invalidInput('only a re-hunt repeats on a schedule');
        const { everyMinutes, forDays } = input.repeat;
        schedule = {
          intervalMinutes: everyMinutes,
          untilAt: now + forDays * 86_400_000,
          nextRunAt: now + everyMinutes * 60_000,
        };
      }
      const check: VerificationCheck = {
        id: newId(),
        tenantId,
        incidentId,
        title: input.title ?? defaultTitle(spec),
        spec,
        reopens,
        schedule,
        lastStatus: null,
        createdBy: actorOf(principal),
        createdAt: now,
      };
      await scope.recovery.checks.insert(check);
      await scope.journal.append({
        actor: check.createdBy,
        kind: 'verification.check_added',
        incidentId,
        payload: { checkId: check.id, title: check.title, spec, reopens, schedule },
      });
      return check;
    });
  }

  async checks(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<{ check: VerificationCheck; lastRun: VerificationRun | null }[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      const checks = await scope.recovery.checks.list(incidentId);
      const out: { check: VerificationCheck; lastRun: VerificationRun | null }[] = [];
      for (const check of checks) {
        const [lastRun] = await scope.recovery.runs.list({ incidentId, checkId: check.id }, 1);
        out.push({ check, lastRun: lastRun ?? null });
      }
      return out;
    });
  }

  async runs(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    filter: { checkId?: string; limit?: number } = {},
  ): Promise<VerificationRun[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      return scope.recovery.runs.list(
        { incidentId, ...(filter.checkId ? { checkId: filter.checkId } : {}) },
        Math.min(filter.limit ?? 100, 500),
      );
    });
  }

  /** Runs a check now. Reachability returns the run `running`; its agent's result finishes it. */
  async run(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    checkId: string,
  ): Promise<VerificationRun> {
    authorize(principal, tenantId, 'incident:write');
    const check = await this.#check(tenantId, incidentId, checkId);
    // A reachability test is an agent action: it takes who may run containment actions.
    if (check.spec.kind === 'reachability') authorize(principal, tenantId, 'containment:run');
    return this.#run(tenantId, incidentId, checkId, actorOf(principal));
  }

  /**
   * Continues an incomplete re-hunt from the cursor it reached: a new run over the rest of the
   * window (up to now). Only the check's latest run, and only while the incident's recovery
   * time is the one that run searched from (409 otherwise: run the check afresh).
   */
  async resume(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    runId: string,
  ): Promise<VerificationRun> {
    authorize(principal, tenantId, 'incident:write');
    const run = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).recovery.runs.get(runId),
    );
    if (!run || run.incidentId !== incidentId) throw notFound('verification run');
    const progress = await this.#resumable(tenantId, incidentId, run.checkId);
    if (progress?.runId !== runId)
      throw new CordonError(
        'conflict',
        `run ${runId} cannot be resumed: only the latest run of a re-hunt check, when it is incomplete and the incident's recovery time is unchanged`,
      );
    return this.#run(tenantId, incidentId, run.checkId, actorOf(principal), progress);
  }

  /** The check's latest run, when it is an incomplete re-hunt that can be continued. */
  async #resumable(
    tenantId: string,
    incidentId: string,
    checkId: string,
  ): Promise<RehuntProgress | undefined> {
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const [latest] = await scope.recovery.runs.list({ incidentId, checkId }, 1);
      if (latest?.status !== 'incomplete') return undefined;
      const incident = await scope.incidents.get(incidentId);
      if (incident?.phaseTimes.recovered !== latest.windowFrom) return undefined;
      return progressOf(latest);
    });
  }

  async #check(tenantId: string, incidentId: string, checkId: string): Promise<VerificationCheck> {
    const check = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).recovery.checks.get(checkId),
    );
    if (!check || check.incidentId !== incidentId) throw notFound('verification check');
    return check;
  }

  /** Runs every check of the incident, in order; what `cordon incident verify` does. */
  async runAll(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<VerificationRun[]> {
    authorize(principal, tenantId, 'incident:write');
    const checks = await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      return scope.recovery.checks.list(incidentId);
    });
    if (checks.some((c) => c.spec.kind === 'reachability'))
      authorize(principal, tenantId, 'containment:run');
    const runs: VerificationRun[] = [];
    for (const check of checks) {
      const progress = await this.#resumable(tenantId, incidentId, check.id);
      runs.push(await this.#run(tenantId, incidentId, check.id, actorOf(principal), progress));
    }
    return runs;
  }

  /**
   * The scheduler's pass: every check whose next run is due, in every tenant. The next run time
   * moves on before the run starts, so a crash mid-run does not repeat it in a loop.
   */
  async runDue(now: number, limit = 100): Promise<VerificationRun[]> {
    const { stale, due } = await this.#pending(now, limit);
    const expired = await this.#expireUnanswered(now, stale);
    const runs: VerificationRun[] = [];
    for (const check of due) {
      const schedule = check.schedule!;
      let next = (schedule.nextRunAt ?? now) + schedule.intervalMinutes * 60_000;
      if (next <= now) next = now + schedule.intervalMinutes * 60_000;
      await this.#o.store.transaction(async (uow) =>
        uow.forTenant(check.tenantId).recovery.checks.setSchedule(check.id, {
          ...schedule,
          nextRunAt: next > schedule.untilAt ? null : next,
        }),
      );
      try {
        const progress = await this.#resumable(check.tenantId, check.incidentId, check.id);
        runs.push(await this.#run(check.tenantId, check.incidentId, check.id, SCHEDULER, progress));
      } catch (error) {
        if (!(error instanceof CordonError)) throw error;
        // A check that cannot run is journalled, not retried now; a closed incident's schedule
        // ends (nothing would ever run it again).
        await this.#o.store.transaction(async (uow) => {
          const scope = uow.forTenant(check.tenantId);
          const closed = (await scope.incidents.get(check.incidentId))?.phase === 'closed';
          if (closed)
            await scope.recovery.checks.setSchedule(check.id, { ...schedule, nextRunAt: null });
          await scope.journal.append({
            actor: SCHEDULER,
            kind: 'verification.run_skipped',
            incidentId: check.incidentId,
            payload: { checkId: check.id, reason: error.message, scheduleEnded: closed },
          });
        });
      }
    }
    return [...expired, ...runs];
  }

  /**
   * One walk over the tenants for a tick: the reachability runs whose agent has not answered
   * within the deadline, and the scheduled checks that are due, each up to `limit`.
   */
  async #pending(
    now: number,
    limit: number,
  ): Promise<{ stale: StaleRun[]; due: VerificationCheck[] }> {
    const answeredBy = now - this.#limits.resultDeadlineMs;
    return this.#o.store.transaction(async (uow) => {
      const stale: StaleRun[] = [];
      const due: VerificationCheck[] = [];
      for (const tenant of await uow.tenants.list()) {
        const scope = uow.forTenant(tenant.id);
        if (stale.length < limit)
          for (const run of await scope.recovery.runs.listRunning(answeredBy, limit)) {
            if (run.actionId !== null)
              stale.push({ run, check: await scope.recovery.checks.get(run.checkId) });
          }
        if (due.length < limit) due.push(...(await scope.recovery.checks.due(now, limit)));
        if (stale.length >= limit && due.length >= limit) break;
      }
      return { stale: stale.slice(0, limit), due: due.slice(0, limit) };
    });
  }

  /** Ends as errors the reachability runs whose agent has not answered within the deadline. */
  async #expireUnanswered(now: number, stale: readonly StaleRun[]): Promise<VerificationRun[]> {
    const deadline = this.#limits.resultDeadlineMs;
    const expired: VerificationRun[] = [];
    for (const { run, check } of stale) {
      if (!check) continue;
      const minutes = Math.round(deadline / 60_000);
      expired.push(
        await this.#finish(
          run,
          check,
          {
            status: 'error',
            findings: { actionId: run.actionId, waitedMs: now - run.startedAt },
            reason: `no result from the agent within ${minutes} minutes (is it offline?): run the check again once it is back`,
          },
          SCHEDULER,
        ),
      );
    }
    return expired;
  }

  /** An agent reported on a reachability test: judge it and finish its run. */
  async recordActionResult(action: ContainmentAction): Promise<VerificationRun | undefined> {
    if (action.action.kind !== 'reachability-test' || action.incidentId === null) return undefined;
    const run = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(action.tenantId).recovery.runs.findByAction(action.id),
    );
    if (!run || run.status !== 'running') return undefined;
    const check = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(action.tenantId).recovery.checks.get(run.checkId),
    );
    if (!check || check.spec.kind !== 'reachability') return undefined;
    let outcome: Outcome;
    if (action.state !== 'applied') {
      outcome = {
        status: 'error',
        findings: { actionState: action.state },
        reason: `the agent did not run the test: ${action.detail ?? action.state}`,
      };
    } else {
      const reported = probesOf(action.result);
      const findings = judgeProbes(check.spec.probes, reported);
      const failed = findings.filter((f) => !f.passed);
      outcome = {
        status: failed.length === 0 ? 'passed' : 'failed',
        findings: { probes: findings },
        reason:
          failed.length === 0
            ? null
            : failed
                .map((f) => `${f.address}:${f.port} expected ${f.expect}, got ${f.outcome}`)
                .join('; '),
      };
    }
    return this.#finish(run, check, outcome, `agent:${action.agentId}`);
  }

  /** Runs a check; a re-hunt given `progress` continues from its cursor. */
  async #run(
    tenantId: string,
    incidentId: string,
    checkId: string,
    actor: string,
    progress?: RehuntProgress,
  ): Promise<VerificationRun> {
    const { check, incident } = await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await openIncident(scope, incidentId);
      const check = await scope.recovery.checks.get(checkId);
      if (!check || check.incidentId !== incidentId) throw notFound('verification check');
      return { check, incident };
    });
    const now = this.#o.clock.now();
    const windowFrom =
      check.spec.kind === 'rehunt' ? (incident.phaseTimes.recovered ?? null) : null;
    if (check.spec.kind === 'rehunt' && windowFrom === null)
      throw new CordonError(
        'conflict',
        'a re-hunt searches the telemetry since recovery: the incident has not been recovered',
      );
    const run: VerificationRun = {
      id: newId(),
      tenantId,
      incidentId,
      checkId,
      status: 'running',
      actor,
      startedAt: now,
      finishedAt: null,
      windowFrom,
      windowTo: windowFrom === null ? null : now,
      findings: null,
      reason: null,
      actionId: null,
    };
    if (check.spec.kind === 'reachability') {
      const spec = check.spec;
      const action = await this.#o.containment.request({
        tenantId,
        agentId: spec.agentId,
        action: {
          kind: 'reachability-test',
          probes: spec.probes.map((p) => ({ address: p.address, port: p.port })),
          timeoutMs: spec.timeoutMs,
        },
        requestedBy: actor,
        incidentId,
        detail: `verification check ${check.title}`,
      });
      const started = { ...run, actionId: action.id };
      await this.#o.store.transaction(async (uow) => {
        const scope = uow.forTenant(tenantId);
        await scope.recovery.runs.insert(started);
        await scope.recovery.checks.setLastStatus(check.id, 'running');
        await scope.journal.append({
          actor,
          kind: 'verification.run_started',
          incidentId,
          payload: { checkId, runId: run.id, actionId: action.id },
        });
      });
      // The result may have come back before the run was stored.
      const current = await this.#o.store.transaction(async (uow) =>
        uow.forTenant(tenantId).containment.actions.get(action.id),
      );
      if (current && ['applied', 'failed', 'rolled-back'].includes(current.state))
        return (await this.recordActionResult(current)) ?? started;
      return started;
    }
    await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).recovery.runs.insert(run),
    );
    let outcome: Outcome;
    try {
      outcome =
        check.spec.kind === 'rehunt'
          ? await this.#rehunt(incident, check.spec, { from: windowFrom!, to: now }, progress)
          : await this.#replay(incident);
    } catch (error) {
      outcome = {
        status: 'error',
        findings: null,
        reason: error instanceof Error ? error.message : String(error),
      };
    }
    return this.#finish(run, check, outcome, actor);
  }

  async #finish(
    run: VerificationRun,
    check: VerificationCheck,
    outcome: Outcome,
    actor: string,
  ): Promise<VerificationRun> {
    const now = this.#o.clock.now();
    const finished: VerificationRun = { ...run, ...outcome, finishedAt: now };
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(run.tenantId);
      if (!(await scope.recovery.runs.finish(finished))) {
        return (await scope.recovery.runs.get(run.id)) ?? finished;
      }
      await scope.recovery.checks.setLastStatus(check.id, outcome.status);
      await scope.journal.append({
        actor,
        kind: `verification.run_${outcome.status}`,
        incidentId: run.incidentId,
        payload: {
          checkId: check.id,
          runId: run.id,
          title: check.title,
          reason: outcome.reason,
          findings: outcome.findings,
        },
      });
      if (outcome.status === 'failed') {
        const incident = await scope.incidents.get(run.incidentId);
        if (incident)
          await reopenPhase(scope, incident, {
            to: check.reopens,
            reason: `verification check "${check.title}" failed: ${outcome.reason ?? ''}`,
            actor,
            now,
            checkId: check.id,
            runId: run.id,
          });
      }
      return finished;
    });
  }

  async #rehunt(
    incident: Incident,
    spec: Extract<VerificationSpec, { kind: 'rehunt' }>,
    window: { readonly from: number; readonly to: number },
    progress: RehuntProgress | undefined,
  ): Promise<Outcome> {
    const { tenantId } = incident;
    const { from, to } = window;
    const terms = await this.#o.store.transaction(async (uow) => {
      const observables = await uow.forTenant(tenantId).observables.list(incident.id);
      const wanted = new Set(spec.observableKinds);
      const list = observables
        .filter((o) => wanted.has(o.kind))
        .map((o) => ({ kind: o.kind, value: o.value }));
      if (wanted.has('ip'))
        for (const origin of incident.origins)
          if (!list.some((t) => t.kind === 'ip' && t.value === origin.address))
            list.push({ kind: 'ip', value: origin.address });
      return list;
    });
    // The observables are counted over the whole window in every run (bounded counts).
    const observableHits: { kind: string; value: string; count: number; eventIds: string[] }[] = [];
    const skipped: { kind: string; value: string }[] = [];
    for (const term of terms) {
      const text = huntQuery(term);
      if (text === undefined) {
        skipped.push(term);
        continue;
      }
      const found = await this.#o.events.search(tenantId, {
        query: parseQuery(text),
        from,
        to: to + 1,
        limit: 5,
        sort: 'asc',
        countLimit: 10_000,
      });
      if (found.total > 0)
        observableHits.push({
          ...term,
          count: found.total,
          eventIds: found.events.map((e) => e.id),
        });
    }
    const ruleIds = spec.ruleIds.length > 0 ? spec.ruleIds : await this.#firedRules(incident);
    const scan =
      ruleIds.length > 0
        ? await this.#scanRules(tenantId, new Set(ruleIds), { from, to: to + 1 }, progress)
        : { ruleHits: [], scanned: 0, cursor: progress?.cursor ?? null, complete: true };
    const { ruleHits, scanned } = scan;
    const eventsScannedTotal = (progress?.eventsScannedTotal ?? 0) + scanned;
    const findings = {
      terms: terms.length,
      observableHits,
      skipped,
      ruleIds,
      ruleHits,
      eventsScanned: scanned,
      eventsScannedTotal,
      ...(progress === undefined ? {} : { resumedFrom: progress.runId }),
      ...(scan.complete ? {} : { cursor: scan.cursor }),
    };
    if (observableHits.length > 0 || ruleHits.length > 0) {
      return {
        status: 'failed',
        findings,
        reason: [
          ...observableHits.map((h) => `${h.kind} ${h.value} seen in ${h.count} events`),
          ...ruleHits.map((h) => `rule ${h.ruleId} fired again`),
        ].join('; '),
      };
    }
    if (!scan.complete) {
      const { maxRehuntEvents, maxRehuntMs } = this.#limits;
      return {
        status: 'incomplete',
        findings,
        reason: `the rules ran over ${eventsScannedTotal} events of the window, not all of it (a run's budget is ${maxRehuntEvents} events or ${Math.round(maxRehuntMs / 1000)} s): resume the run to continue from where it stopped`,
      };
    }
    if (terms.length === 0 && ruleIds.length === 0)
      return {
        status: 'error',
        findings,
        reason: 'nothing to hunt for: the incident has no observables, origins or alerts',
      };
    return { status: 'passed', findings, reason: null };
  }

  /**
   * The rules over the window's events, oldest first in keyset pages from `progress`'s cursor (or
   * the start), until the window ends or the run's budget of events or time is spent. One replay
   * session for the run, so correlations span its pages.
   */
  async #scanRules(
    tenantId: string,
    wanted: ReadonlySet<string>,
    window: { readonly from: number; readonly to: number },
    progress: RehuntProgress | undefined,
  ): Promise<{
    ruleHits: { ruleId: string; eventIds: string[] }[];
    scanned: number;
    cursor: string | null;
    complete: boolean;
  }> {
    const { maxRehuntEvents, maxRehuntMs, rehuntPageSize } = this.#limits;
    const session = await this.#o.replay.session(tenantId);
    const ruleHits: { ruleId: string; eventIds: string[] }[] = [];
    const started = this.#o.clock.now();
    let cursor = progress?.cursor ?? null;
    let scanned = 0;
    // Every run reads at least one page, so a resumed chain always moves on.
    for (let pages = 0; ; pages++) {
      const room = maxRehuntEvents - scanned;
      if (room <= 0 || (pages > 0 && this.#o.clock.now() - started >= maxRehuntMs))
        return { ruleHits, scanned, cursor, complete: false };
      const limit = Math.max(1, Math.min(rehuntPageSize, room));
      const page = await this.#o.events.search(tenantId, {
        from: window.from,
        to: window.to,
        sort: 'asc',
        limit,
        countLimit: 1,
        ...(cursor === null ? {} : { after: cursor }),
      });
      scanned += page.events.length;
      if (page.next !== null) cursor = page.next;
      for (const d of session.feed(page.events)) {
        if (!wanted.has(d.ruleId)) continue;
        const hit = ruleHits.find((h) => h.ruleId === d.ruleId);
        if (hit) hit.eventIds.push(...d.eventIds.slice(0, 5 - hit.eventIds.length));
        else ruleHits.push({ ruleId: d.ruleId, eventIds: d.eventIds.slice(0, 5) });
      }
      if (page.events.length < limit) return { ruleHits, scanned, cursor, complete: true };
    }
  }

  async #replay(incident: Incident): Promise<Outcome> {
    const { tenantId } = incident;
    const alerts = await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const links = await scope.alertLinks.list(incident.id);
      const found = [];
      for (const link of links) {
        const alert = await scope.detection.alerts.get(link.alertId);
        if (alert) found.push(alert);
      }
      return found;
    });
    if (alerts.length === 0)
      return {
        status: 'error',
        findings: null,
        reason: 'the incident has no alerts: there is no detection to replay',
      };
    const results: { ruleId: string; alertId: string; events: number; fired: boolean }[] = [];
    for (const alert of alerts) {
      const events: StoredEvent[] = [];
      for (const id of alert.eventIds.slice(0, this.#limits.maxReplayEvents)) {
        const event = await this.#o.events.getEvent(tenantId, id);
        if (event) events.push(event);
      }
      events.sort((a, b) => a.timestamp - b.timestamp);
      const fired =
        events.length > 0 &&
        (await this.#o.replay.replay(tenantId, events)).some((d) => d.ruleId === alert.ruleId);
      results.push({ ruleId: alert.ruleId, alertId: alert.id, events: events.length, fired });
    }
    const silent = results.filter((r) => !r.fired);
    return silent.length === 0
      ? { status: 'passed', findings: { alerts: results }, reason: null }
      : {
          status: 'failed',
          findings: { alerts: results },
          reason: silent
            .map((r) =>
              r.events === 0
                ? `alert ${r.alertId}: its events are no longer stored`
                : `rule ${r.ruleId} no longer fires on the events of alert ${r.alertId}`,
            )
            .join('; '),
        };
  }

  async #firedRules(incident: Incident): Promise<string[]> {
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(incident.tenantId);
      const ids = new Set<string>();
      for (const link of await scope.alertLinks.list(incident.id)) {
        const alert = await scope.detection.alerts.get(link.alertId);
        if (alert) ids.add(alert.ruleId);
      }
      return [...ids];
    });
  }

  async #spec(scope: TenantScope, input: NewVerificationCheck): Promise<VerificationSpec> {
    switch (input.kind) {
      case 'rehunt':
        return {
          kind: 'rehunt',
          observableKinds: [...new Set(input.observableKinds ?? DEFAULT_KINDS)],
          ruleIds: [...new Set(input.ruleIds ?? [])],
        };
      case 'detection_replay':
        return { kind: 'detection_replay' };
      case 'reachability': {
        if (!input.agentId) throw invalidInput('a reachability check names the agent that probes');
        const probes = input.probes ?? [];
        if (probes.length === 0 || probes.length > this.#limits.maxProbes)
          throw invalidInput(`a reachability check has 1 to ${this.#limits.maxProbes} probes`);
        const agent = await scope.containment.agents.get(input.agentId);
        if (!agent) throw notFound('agent');
        const inventory = {
          assets: await scope.preparation.assets.list(),
          segments: await scope.preparation.segments.list(),
        };
        const undocumented = [
          ...new Set(
            probes
              .filter((p) => !documentedAddress(p.address, inventory).documented)
              .map((p) => p.address),
          ),
        ];
        if (undocumented.length > 0)
          throw invalidInput(
            `reachability tests go only to addresses the tenant documents (assets, segments): ${undocumented.join(', ')} is not documented`,
            { undocumented },
          );
        return {
          kind: 'reachability',
          agentId: agent.agentId,
          probes: probes.map((p) => ({ address: p.address, port: p.port, expect: p.expect })),
          timeoutMs: input.timeoutMs ?? 2000,
        };
      }
    }
  }
}

function defaultTitle(spec: VerificationSpec): string {
  switch (spec.kind) {
    case 'rehunt':
      return 'Re-hunt the observables and rules since recovery';
    case 'reachability':
      return `Reachability from agent ${spec.agentId} (${spec.probes.length} probes)`;
    case 'detection_replay':
      return 'Replay the detection that opened the incident';
  }
}

/** The probe outcomes of a signed result body, read defensively (it came over the wire). */
function probesOf(result: unknown): { address: string; port: number; outcome: string }[] {
  const output = (result as { output?: { probes?: unknown } } | null)?.output;
  const probes = output?.probes;
  if (!Array.isArray(probes)) return [];
  return probes.flatMap((p: unknown) => {
    const r = p as { address?: unknown; port?: unknown; outcome?: unknown };
    return typeof r.address === 'string' &&
      typeof r.port === 'number' &&
      typeof r.outcome === 'string'
      ? [{ address: r.address, port: r.port, outcome: r.outcome }]
      : [];
  });
}

/** The progress an incomplete re-hunt run keeps in its findings, read defensively. */
function progressOf(run: VerificationRun): RehuntProgress | undefined {
  const findings = run.findings as { cursor?: unknown; eventsScannedTotal?: unknown } | null;
  const cursor = findings?.cursor;
  const total = findings?.eventsScannedTotal;
  if (typeof cursor !== 'string' || cursor === '') return undefined;
  return {
    runId: run.id,
    cursor,
    eventsScannedTotal: typeof total === 'number' && Number.isSafeInteger(total) ? total : 0,
  };
}
