/**
 * Playbooks as the API uses them: a tenant's CACAO playbooks with their versions (and the
 * shipped ones beside them), suggestions for an incident, and runs — started by hand, moved by
 * the run engine, by people (a manual step done, an approval given or declined) and by the
 * action queue (an agent action reaching its final state). Each run's changes are serialised
 * in this process and saved compare-and-set, with a journal entry for every step change; at
 * start-up every unfinished run is resumed from its stored position.
 */
import type {
  ActionState,
  Alert,
  OpeningHost,
  CacaoPlaybook,
  ConditionValue,
  Incident,
  PlaybookRun,
  PlaybookSuggestion,
  PlaybookVersion,
  Principal,
  RunEffects,
  RunWrites,
  StoredPlaybook,
  Store,
  Clock,
  EventSearchService,
  PlaybookProblem,
} from '@cordon/core';
import {
  CordonError,
  PlaybookRunEngine,
  RunStepError,
  actorOf,
  authorize,
  initialVariables,
  newId,
  notFound,
  parsePlaybookText,
  pendingRecords,
  playbookApplicability,
  playbookRefused,
  readCordonStep,
  resolveAgentTarget,
  roleIn,
  runWakeAt,
  can,
  factValues,
  openingHost,
  openingOrigin,
  suggestPlaybooks,
  validatePlaybook,
} from '@cordon/core';
import { WireFormatError, parseCommandAction } from '@cordon/protocol';
import type { ActionQueue } from '../agents/action-queue.ts';
import type { ActionTransition } from '../agents/agent-action.ts';
import type { ContainmentDispatcher } from '../agents/containment-dispatcher.ts';

export interface PlaybookServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly queue: ActionQueue;
  readonly dispatcher: Pick<ContainmentDispatcher, 'wake'>;
  readonly events: EventSearchService;
  readonly shipped: ReadonlyMap<string, CacaoPlaybook>;
  readonly warn: (message: string, error?: unknown) => void;
}

export interface PlaybookInput {
  readonly document?: unknown;
  readonly text?: string | undefined;
}

export interface PlaybookListing {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly source: 'tenant' | 'shipped';
  readonly latestVersion: number | null;
  readonly categories: readonly string[];
  readonly techniques: readonly string[];
  readonly updatedAt: number | null;
  readonly updatedBy: string | null;
}

/** Whether a run of the playbook may read the variable (its steps name it, or a sub-playbook). */
const mayUse = (playbook: CacaoPlaybook, name: string): boolean =>
  Object.values(playbook.workflow).some(
    (step) => step.type === 'playbook-action' || JSON.stringify(step).includes(name),
  );

const SEARCH_PRINCIPAL: Principal = { kind: 'system', name: 'playbook-runner' };
const ACTIVE = ['running', 'waiting'] as const;

export class PlaybookService {
  readonly #o: PlaybookServiceOptions;
  /** Per run: the tail of its chain of changes (one change at a time per run). */
  readonly #locks = new Map<string, Promise<unknown>>();
  /** Per run: the timer that advances it when a step's delay or timeout ends. */
  readonly #wakes = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  #closed = false;

  constructor(options: PlaybookServiceOptions) {
    this.#o = options;
  }

  /** Parses and validates without storing (any member of the tenant may ask). */
  validate(
    principal: Principal,
    tenantId: string,
    input: PlaybookInput,
  ): ReturnType<PlaybookService['check']> {
    authorize(principal, tenantId, 'tenant:read');
    return this.check(input);
  }

  /** Parses and validates (no tenant: the CLI's offline check uses the same code). */
  check(
    input: PlaybookInput,
  ): { ok: true; playbook: CacaoPlaybook } | { ok: false; problems: readonly PlaybookProblem[] } {
    let value: unknown = input.document;
    if (input.text !== undefined) {
      if (input.document !== undefined)
        return {
          ok: false,
          problems: [
            { stepId: null, code: 'not_a_document', message: 'give document or text, not both' },
          ],
        };
      const parsed = parsePlaybookText(input.text);
      if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
      value = parsed.value;
    }
    return validatePlaybook(value);
  }

  #valid(input: PlaybookInput): CacaoPlaybook {
    const checked = this.check(input);
    if (!checked.ok) throw playbookRefused(checked.problems);
    return checked.playbook;
  }

  async create(
    principal: Principal,
    tenantId: string,
    input: PlaybookInput,
  ): Promise<PlaybookListing> {
    authorize(principal, tenantId, 'incident:write');
    const playbook = this.#valid(input);
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (await scope.playbooks.playbooks.get(playbook.id))
        throw new CordonError(
          'conflict',
          `playbook ${playbook.id} exists; update it to make a new version`,
        );
      return this.#storeVersion(scope, playbook, actorOf(principal), undefined);
    });
  }

  async update(
    principal: Principal,
    tenantId: string,
    playbookId: string,
    input: PlaybookInput,
  ): Promise<PlaybookListing> {
    authorize(principal, tenantId, 'incident:write');
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const current = await scope.playbooks.playbooks.get(playbookId);
      if (!current && !this.#o.shipped.has(playbookId)) throw notFound('playbook');
      const playbook = this.#valid(input);
      if (playbook.id !== playbookId)
        throw new CordonError(
          'invalid_input',
          `the document's id ${playbook.id} is not ${playbookId}`,
        );
      return this.#storeVersion(scope, playbook, actorOf(principal), current);
    });
  }

  async #storeVersion(
    scope: ReturnType<Parameters<Parameters<Store['transaction']>[0]>[0]['forTenant']>,
    playbook: CacaoPlaybook,
    actor: string,
    current: StoredPlaybook | undefined,
  ): Promise<PlaybookListing> {
    const now = this.#o.clock.now();
    const version = (current?.latestVersion ?? 0) + 1;
    const { categories, techniques } = playbookApplicability(playbook);
    const stored: StoredPlaybook = {
      tenantId: scope.tenantId,
      id: playbook.id,
      name: playbook.name,
      latestVersion: version,
      categories,
      techniques,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
      updatedBy: actor,
    };
    await scope.playbooks.playbooks.upsert(stored);
    await scope.playbooks.playbooks.insertVersion({
      playbookId: playbook.id,
      version,
      document: playbook,
      author: actor,
      createdAt: now,
    });
    await scope.journal.append({
      actor,
      kind: version === 1 ? 'playbook.created' : 'playbook.updated',
      payload: {
        playbookId: playbook.id,
        name: playbook.name,
        version,
        modified: playbook.modified,
      },
    });
    return this.#listing(stored, playbook);
  }

  #listing(stored: StoredPlaybook | undefined, playbook: CacaoPlaybook): PlaybookListing {
    const { categories, techniques } = playbookApplicability(playbook);
    return {
      id: playbook.id,
      name: playbook.name,
      description: playbook.description ?? '',
      source: stored ? 'tenant' : 'shipped',
      latestVersion: stored?.latestVersion ?? null,
      categories,
      techniques,
      updatedAt: stored?.updatedAt ?? null,
      updatedBy: stored?.updatedBy ?? null,
    };
  }

  async list(principal: Principal, tenantId: string): Promise<PlaybookListing[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.store.transaction(async (uow) => {
      const repo = uow.forTenant(tenantId).playbooks.playbooks;
      const stored = await repo.list();
      const listed: PlaybookListing[] = [];
      for (const p of stored) {
        const latest = await repo.version(p.id, p.latestVersion);
        if (latest) listed.push(this.#listing(p, latest.document));
      }
      const ids = new Set(stored.map((p) => p.id));
      for (const [id, playbook] of this.#o.shipped)
        if (!ids.has(id)) listed.push(this.#listing(undefined, playbook));
      return listed.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    });
  }

  async get(
    principal: Principal,
    tenantId: string,
    playbookId: string,
    version?: number,
  ): Promise<{ playbook: PlaybookListing; version: number | null; document: CacaoPlaybook }> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.store.transaction(async (uow) => {
      const repo = uow.forTenant(tenantId).playbooks.playbooks;
      const stored = await repo.get(playbookId);
      if (!stored) {
        const shipped = this.#o.shipped.get(playbookId);
        if (!shipped || version !== undefined) throw notFound('playbook');
        return { playbook: this.#listing(undefined, shipped), version: null, document: shipped };
      }
      const found = await repo.version(playbookId, version ?? stored.latestVersion);
      if (!found) throw notFound('playbook version');
      return {
        playbook: this.#listing(stored, found.document),
        version: found.version,
        document: found.document,
      };
    });
  }

  async versions(
    principal: Principal,
    tenantId: string,
    playbookId: string,
  ): Promise<PlaybookVersion[]> {
    authorize(principal, tenantId, 'tenant:read');
    const versions = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).playbooks.playbooks.versions(playbookId),
    );
    if (versions.length === 0 && !this.#o.shipped.has(playbookId)) throw notFound('playbook');
    return versions;
  }

  async suggestions(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<PlaybookSuggestion[]> {
    authorize(principal, tenantId, 'tenant:read');
    const incident = await this.#incident(tenantId, incidentId);
    const category = await this.#category(tenantId, incidentId);
    const listed = await this.list(principal, tenantId);
    return suggestPlaybooks(
      listed.map((p) => ({
        playbookId: p.id,
        name: p.name,
        applicability: { categories: p.categories, techniques: p.techniques },
      })),
      { category, techniques: incident.attackTechniques },
    );
  }

  async startRun(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: {
      readonly playbookId: string;
      readonly variables?: Readonly<Record<string, ConditionValue>> | undefined;
    },
  ): Promise<PlaybookRun> {
    authorize(principal, tenantId, 'incident:write');
    const incident = await this.#incident(tenantId, incidentId);
    if (incident.phase === 'closed') throw new CordonError('conflict', 'the incident is closed');
    const actor = actorOf(principal);
    const { playbook, version } = await this.#installed(tenantId, input.playbookId, actor);
    const hasAgentActions = Object.entries(playbook.workflow).some(([id, step]) => {
      const read = step.type === 'action' ? readCordonStep(id, step) : undefined;
      return read?.ok === true && read.step.kind === 'agent-action';
    });
    // Its agent actions are queued in the starter's name: who may not contain may not start it.
    if (hasAgentActions) authorize(principal, tenantId, 'containment:run');
    const declared = new Set(Object.keys(playbook.playbook_variables ?? {}));
    for (const name of Object.keys(input.variables ?? {}))
      if (!declared.has(name))
        throw new CordonError('invalid_input', `the playbook declares no variable ${name}`);
    const opening = await this.#opening(tenantId, incident);
    const given = input.variables ?? {};
    if (
      opening.host.kind === 'undetermined' &&
      !Object.hasOwn(given, '__affected_host__') &&
      mayUse(playbook, '__affected_host__')
    )
      throw new CordonError(
        'conflict',
        `__affected_host__ cannot be set: ${opening.host.reason}; give it in variables to start the run`,
        { details: { variable: '__affected_host__', reason: opening.host.reason } },
      );
    const builtins: Record<string, ConditionValue> = {
      __incident_id__: incident.id,
      __incident_severity__: incident.severity,
      __incident_category__: await this.#category(tenantId, incidentId),
      __affected_host__: opening.host.kind === 'host' ? opening.host.asset.name : null,
      __origin_address__: opening.origin,
    };
    const now = this.#o.clock.now();
    const run: PlaybookRun = {
      id: newId(),
      tenantId,
      incidentId,
      playbookId: playbook.id,
      playbookVersion: version,
      playbookName: playbook.name,
      status: 'running',
      startedBy: actor,
      startedAt: now,
      endedAt: null,
      failure: null,
      revision: 1,
      position: {
        cursors: [
          {
            id: 'c0',
            scope: '',
            stepId: playbook.workflow_start,
            join: null,
            entered: false,
            waiting: false,
          },
        ],
        joins: {},
        scopes: {
          '': {
            playbookId: playbook.id,
            version,
            variables: initialVariables(playbook, { ...builtins, ...input.variables }),
          },
        },
        steps: pendingRecords('', playbook),
        nextId: 1,
        executed: 0,
      },
    };
    await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await scope.playbooks.runs.insert(run);
      await scope.journal.append({
        actor,
        kind: 'playbook.run_started',
        incidentId,
        payload: { runId: run.id, playbookId: playbook.id, version, name: playbook.name },
      });
    });
    return this.#withRun(tenantId, run.id, async (engine) => engine.advance());
  }

  async getRun(principal: Principal, tenantId: string, runId: string): Promise<PlaybookRun> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#run(tenantId, runId);
  }

  async listRuns(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<PlaybookRun[]> {
    authorize(principal, tenantId, 'tenant:read');
    await this.#incident(tenantId, incidentId);
    return this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).playbooks.runs.list({ incidentId }, 100),
    );
  }

  /** A person did a manual step: its owner role, or an incident lead. */
  async completeStep(
    principal: Principal,
    tenantId: string,
    runId: string,
    input: { step: string; note?: string | undefined },
  ): Promise<PlaybookRun> {
    authorize(principal, tenantId, 'incident:write');
    const run = await this.#run(tenantId, runId);
    const record = run.position.steps[input.step];
    if (
      record?.ownerRole !== undefined &&
      roleIn(principal, tenantId) !== record.ownerRole &&
      !can(principal, tenantId, 'incident:override_guard')
    )
      throw new CordonError(
        'forbidden',
        `step ${input.step} is owned by the ${record.ownerRole} role (or an incident lead)`,
      );
    return this.#withRun(tenantId, runId, async (engine) => {
      engine.completeManual(input.step, actorOf(principal), input.note ?? null);
      return engine.advance();
    });
  }

  /** An incident lead approves or declines an approval step. */
  async decideStep(
    principal: Principal,
    tenantId: string,
    runId: string,
    input: { step: string; decision: 'approved' | 'declined'; reason?: string | undefined },
  ): Promise<PlaybookRun> {
    authorize(principal, tenantId, 'containment:approve');
    return this.#withRun(tenantId, runId, async (engine) => {
      engine.decide(input.step, input.decision, actorOf(principal), input.reason ?? null);
      return engine.advance();
    });
  }

  /** The action queue's listener: a final state finishes the step waiting on it. */
  readonly onActionTransition = (transition: ActionTransition): void => {
    const { action } = transition;
    if (action.incidentId === null) return;
    const incidentId = action.incidentId;
    void (async () => {
      const runs = await this.#o.store.transaction(async (uow) =>
        uow
          .forTenant(action.tenantId)
          .playbooks.runs.list({ incidentId, statuses: [...ACTIVE] }, 100),
      );
      // Every active run of the incident, looked at under its lock: the step may be saving the
      // action's id right now.
      for (const run of runs) {
        await this.#withRun(action.tenantId, run.id, async (engine) => {
          if (!engine.actionChanged(action.id, transition.to)) return engine.run;
          return engine.advance();
        }).catch((error: unknown) => {
          if (!(error instanceof CordonError && error.code === 'conflict')) throw error;
        });
      }
    })().catch((error: unknown) =>
      this.#o.warn(`playbook run after action ${action.id} failed`, error),
    );
  };

  /** Resumes every unfinished run of every tenant (start-up). */
  async resumeAll(): Promise<number> {
    const tenants = await this.#o.store.transaction(async (uow) => uow.tenants.list());
    let resumed = 0;
    for (const tenant of tenants) {
      const runs = await this.#o.store.transaction(async (uow) =>
        uow.forTenant(tenant.id).playbooks.runs.list({ statuses: [...ACTIVE] }, 1000),
      );
      for (const run of runs) {
        try {
          await this.#withRun(tenant.id, run.id, async (engine) => {
            await engine.refreshWaitingActions();
            return engine.advance();
          });
          resumed += 1;
        } catch (error) {
          this.#o.warn(`resuming playbook run ${run.id} failed`, error);
        }
      }
    }
    return resumed;
  }

  async #withRun(
    tenantId: string,
    runId: string,
    work: (engine: PlaybookRunEngine) => Promise<PlaybookRun>,
  ): Promise<PlaybookRun> {
    const before = this.#locks.get(runId) ?? Promise.resolve();
    const next = before.then(async () => {
      const run = await this.#run(tenantId, runId);
      if (run.status === 'completed' || run.status === 'failed') {
        throw new CordonError('conflict', `the run is ${run.status}`);
      }
      const engine = new PlaybookRunEngine(
        run,
        await this.#documents(tenantId, run),
        this.#effects(run),
      );
      try {
        // A delay or timeout that ended while nobody looked is applied before anything else: a
        // step completed after its timeout has failed, whatever the timer's lateness.
        if (engine.isDue()) await engine.advance();
        return await work(engine);
      } catch (error) {
        if (error instanceof RunStepError)
          throw new CordonError('conflict', error.message, { cause: error });
        throw error;
      } finally {
        this.#schedule(engine.run);
      }
    });
    const tail = next.catch(() => undefined);
    this.#locks.set(runId, tail);
    void tail.then(() => {
      if (this.#locks.get(runId) === tail) this.#locks.delete(runId);
    });
    return next;
  }

  /**
   * Sets the run's timer for its next delay or timeout (the times are in the stored position;
   * the timer is only this process's reminder, set again by `resumeAll` after a restart).
   */
  #schedule(run: PlaybookRun): void {
    const at =
      run.status === 'completed' || run.status === 'failed' ? undefined : runWakeAt(run.position);
    const current = this.#wakes.get(run.id);
    if (current?.at === at) return;
    if (current) clearTimeout(current.timer);
    this.#wakes.delete(run.id);
    if (at === undefined || this.#closed) return;
    // setTimeout holds at most 2^31-1 ms; a longer wait wakes early and is set again.
    const wait = Math.min(Math.max(0, at - this.#o.clock.now()), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      if (this.#wakes.get(run.id)?.timer === timer) this.#wakes.delete(run.id);
      if (this.#closed) return;
      this.#withRun(run.tenantId, run.id, async (engine) => engine.advance()).catch(
        (error: unknown) => {
          if (error instanceof CordonError && error.code === 'conflict') return;
          this.#o.warn(`playbook run ${run.id}: a delay or timeout could not be applied`, error);
        },
      );
    }, wait);
    timer.unref();
    this.#wakes.set(run.id, { at, timer });
  }

  /** Stops the timers (at shutdown, before the store closes) and waits for runs being moved. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const { timer } of this.#wakes.values()) clearTimeout(timer);
    this.#wakes.clear();
    await Promise.all([...this.#locks.values()]);
  }

  async #documents(tenantId: string, run: PlaybookRun): Promise<Map<string, CacaoPlaybook>> {
    const documents = new Map<string, CacaoPlaybook>();
    await this.#o.store.transaction(async (uow) => {
      const repo = uow.forTenant(tenantId).playbooks.playbooks;
      for (const [prefix, scope] of Object.entries(run.position.scopes)) {
        const found = await repo.version(scope.playbookId, scope.version);
        if (!found)
          throw new CordonError(
            'integrity_failure',
            `playbook ${scope.playbookId} v${scope.version} of run ${run.id} is missing`,
          );
        documents.set(prefix, found.document);
      }
    });
    return documents;
  }

  /** The tenant's stored playbook, storing a shipped one first if need be. */
  async #installed(
    tenantId: string,
    playbookId: string,
    actor: string,
  ): Promise<{ playbook: CacaoPlaybook; version: number }> {
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const stored = await scope.playbooks.playbooks.get(playbookId);
      if (stored) {
        const latest = await scope.playbooks.playbooks.version(playbookId, stored.latestVersion);
        if (!latest)
          throw new CordonError(
            'integrity_failure',
            `playbook ${playbookId} has no version ${stored.latestVersion}`,
          );
        return { playbook: latest.document, version: latest.version };
      }
      const shipped = this.#o.shipped.get(playbookId);
      if (!shipped) throw notFound('playbook');
      const listing = await this.#storeVersion(scope, shipped, actor, undefined);
      return { playbook: shipped, version: listing.latestVersion ?? 1 };
    });
  }

  #effects(run: PlaybookRun): RunEffects {
    const { tenantId, incidentId } = run;
    const { store, queue } = this.#o;
    return {
      now: () => this.#o.clock.now(),
      newId,
      requestAction: async ({ host, action, requiresApproval, marker }) => {
        let parsed;
        try {
          parsed = parseCommandAction(action);
        } catch (error) {
          if (error instanceof WireFormatError)
            throw new CordonError('invalid_input', `action: ${error.message}`);
          throw error;
        }
        const { agents, assets } = await store.transaction(async (uow) => {
          const scope = uow.forTenant(tenantId);
          return {
            agents: await scope.containment.agents.list(),
            assets: await scope.preparation.assets.list(),
          };
        });
        const target = resolveAgentTarget(agents, host, assets);
        if (target.kind !== 'agent')
          throw new CordonError(
            'conflict',
            target.kind === 'none'
              ? `no enrolled agent answers to host "${host}"`
              : `"${host}" does not name exactly one agent`,
          );
        const queued = await queue.request({
          tenantId,
          agentId: target.agent.agentId,
          action: parsed,
          requestedBy: run.startedBy,
          incidentId,
          requiresApproval,
          detail: marker,
        });
        if (queued.state === 'approved') void this.#o.dispatcher.wake(tenantId, queued.agentId);
        return { actionId: queued.id, state: queued.state };
      },
      findAction: async (marker) => {
        const actions = await queue.list(tenantId, { incidentId });
        const found = actions.find((a) => a.detail === marker);
        return found && { actionId: found.id, state: found.state };
      },
      actionState: async (actionId): Promise<ActionState | undefined> =>
        (await queue.get(tenantId, actionId))?.state,
      search: async ({ query, from }) => {
        const filter = { query, ...(from === undefined ? {} : { from }) };
        const count = await this.#o.events.count(SEARCH_PRINCIPAL, tenantId, filter);
        const found = await this.#o.events.search(SEARCH_PRINCIPAL, tenantId, {
          ...filter,
          limit: 20,
        });
        return { count, hits: found.events.map((e) => e.id) };
      },
      loadPlaybook: async (playbookId) => {
        try {
          return await this.#installed(tenantId, playbookId, run.startedBy);
        } catch (error) {
          if (error instanceof CordonError && error.code === 'not_found') return undefined;
          throw error;
        }
      },
      save: (next, writes) => this.#save(next, writes),
    };
  }

  async #save(run: PlaybookRun, writes: RunWrites): Promise<PlaybookRun> {
    const saved: PlaybookRun = { ...run, revision: run.revision + 1 };
    await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(run.tenantId);
      const before = await scope.playbooks.runs.get(run.id);
      if (!(await scope.playbooks.runs.update(saved, run.revision)))
        throw new CordonError('conflict', `playbook run ${run.id} changed meanwhile`);
      const runActor = `playbook:${run.id}`;
      for (const task of writes.newTasks) {
        await scope.tasks.insert({
          id: task.id,
          tenantId: run.tenantId,
          incidentId: run.incidentId,
          phase: task.phase,
          title: task.title,
          status: 'open',
          createdAt: this.#o.clock.now(),
          completedAt: null,
          completedBy: null,
        });
        await scope.journal.append({
          actor: runActor,
          kind: 'incident.task_added',
          incidentId: run.incidentId,
          payload: { taskId: task.id, phase: task.phase, title: task.title, runId: run.id },
        });
      }
      for (const done of writes.doneTasks) {
        const task = await scope.tasks.get(done.taskId);
        if (!task || task.status === 'done') continue;
        await scope.tasks.setStatus(done.taskId, 'done', this.#o.clock.now(), done.actor);
        await scope.journal.append({
          actor: done.actor,
          kind: 'incident.task_status_changed',
          incidentId: run.incidentId,
          payload: { taskId: done.taskId, from: task.status, to: 'done', runId: run.id },
        });
      }
      for (const change of writes.changes) {
        await scope.journal.append({
          actor: change.actor,
          kind: 'playbook.step_changed',
          incidentId: run.incidentId,
          payload: {
            runId: run.id,
            step: change.key,
            from: change.from,
            to: change.to,
            iteration: change.iteration,
            ...(change.detail === null ? {} : { detail: change.detail }),
            ...(change.outputs ? { outputs: change.outputs } : {}),
          },
        });
      }
      if (
        before &&
        before.status !== saved.status &&
        (saved.status === 'completed' || saved.status === 'failed')
      ) {
        await scope.journal.append({
          actor: runActor,
          kind: saved.status === 'completed' ? 'playbook.run_completed' : 'playbook.run_failed',
          incidentId: run.incidentId,
          payload: { runId: run.id, ...(saved.failure ? { failure: saved.failure } : {}) },
        });
      }
    });
    return saved;
  }

  async #run(tenantId: string, runId: string): Promise<PlaybookRun> {
    const run = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).playbooks.runs.get(runId),
    );
    if (!run) throw notFound('playbook run');
    return run;
  }

  /** The attack category identification recorded (inferred or set by an analyst), if any. */
  async #category(tenantId: string, incidentId: string): Promise<string | null> {
    const facts = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).identification.list(incidentId),
    );
    return factValues(facts, 'category')[0]?.category ?? null;
  }

  /**
   * The host and origin of the incident's opening alert (`__affected_host__` and
   * `__origin_address__`), never the first of a list the incident gathered.
   */
  async #opening(
    tenantId: string,
    incident: Incident,
  ): Promise<{ host: OpeningHost; origin: string | null }> {
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const links = await scope.alertLinks.list(incident.id);
      const first = Math.min(...links.map((l) => l.linkedAt));
      const alerts: Alert[] = [];
      for (const link of links.filter((l) => l.linkedAt === first).slice(0, 100)) {
        const alert = await scope.detection.alerts.get(link.alertId);
        if (alert) alerts.push(alert);
      }
      const facts = {
        links,
        alerts,
        assets: await scope.preparation.assets.list(),
        agents: await scope.containment.agents.list(),
      };
      return {
        host: openingHost(facts),
        origin: openingOrigin(
          facts,
          incident.origins.map((o) => o.address),
        ),
      };
    });
  }

  async #incident(tenantId: string, incidentId: string): Promise<Incident> {
    const incident = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).incidents.get(incidentId),
    );
    if (!incident) throw notFound('incident');
    return incident;
  }
}
