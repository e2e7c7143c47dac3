/**
 * SLA use cases: the tenant contract (set by the MSSP's platform admins, read by the tenant),
 * an incident's SLA clocks with their pauses, pausing and resuming while the MSSP waits on the
 * client (who and why, journalled), and the SLA report of a tenant or of every tenant.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize, requirePlatformAdmin } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Incident } from '../incidents/incident.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import { loadIncident, openIncident } from '../recovery/incident-lookup.ts';
import type { TenantContractInput } from './contract-input.ts';
import { parseTenantContract } from './contract-input.ts';
import type { SlaClock } from './sla-clock.ts';
import { slaClocks } from './sla-clock.ts';
import type { SlaPause } from './sla-pause.ts';
import type { SlaReport, SlaReportRange } from './sla-report.ts';
import { slaReportOf } from './sla-report.ts';
import type { TenantContract } from './tenant-contract.ts';

export interface IncidentSla {
  readonly clocks: readonly SlaClock[];
  readonly pauses: readonly SlaPause[];
  /** False when the tenant has no contract or its contract has no SLA terms. */
  readonly covered: boolean;
}

const MAX_REASON = 2_000;
/** Pauses per incident: past this the clocks are not worth keeping, and lists stay bounded. */
export const MAX_PAUSES_PER_INCIDENT = 500;

export class SlaService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(options: { readonly store: Store; readonly clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  async contract(principal: Principal, tenantId: string): Promise<TenantContract> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const contract = await uow.forTenant(tenantId).contracts.contract.get();
      if (!contract) throw notFound('contract');
      return contract;
    });
  }

  async setContract(
    principal: Principal,
    tenantId: string,
    input: TenantContractInput,
  ): Promise<TenantContract> {
    requirePlatformAdmin(principal);
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      const previous = await scope.contracts.contract.get();
      const contract = parseTenantContract(input, {
        tenantId,
        version: (previous?.version ?? 0) + 1,
        updatedBy: actorOf(principal),
        updatedAt: this.#clock.now(),
      });
      await scope.contracts.contract.put(contract);
      await scope.journal.append({
        actor: contract.updatedBy,
        kind: 'contract.updated',
        payload: { version: contract.version, contract: { ...input } },
      });
      return contract;
    });
  }

  async incidentSla(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<IncidentSla> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await loadIncident(scope, incidentId);
      return this.#incidentSla(scope, incident, await scope.contracts.contract.get());
    });
  }

  async pause(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    reason: string,
  ): Promise<SlaPause> {
    authorize(principal, tenantId, 'incident:write');
    const text = reason.trim();
    if (text === '' || text.length > MAX_REASON)
      throw invalidInput(`a pause needs a reason of 1 to ${MAX_REASON} characters`);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await openIncident(scope, incidentId);
      const pauses = await scope.contracts.pauses.list(incidentId);
      if (pauses.some((p) => p.endedAt === null))
        throw new CordonError('conflict', 'the SLA clocks are already paused');
      if (pauses.length >= MAX_PAUSES_PER_INCIDENT)
        throw new CordonError(
          'conflict',
          `an incident keeps at most ${MAX_PAUSES_PER_INCIDENT} pauses`,
        );
      const pause: SlaPause = {
        id: newId(),
        tenantId,
        incidentId,
        reason: text,
        startedBy: actorOf(principal),
        startedAt: Math.max(this.#clock.now(), ...pauses.map((p) => p.endedAt ?? 0)),
        endedBy: null,
        endedAt: null,
      };
      await scope.contracts.pauses.insert(pause);
      await scope.journal.append({
        actor: pause.startedBy,
        kind: 'sla.paused',
        incidentId,
        payload: { pauseId: pause.id, reason: text },
      });
      return pause;
    });
  }

  async resume(principal: Principal, tenantId: string, incidentId: string): Promise<SlaPause> {
    authorize(principal, tenantId, 'incident:write');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      const open = (await scope.contracts.pauses.list(incidentId)).find((p) => p.endedAt === null);
      if (!open) throw new CordonError('conflict', 'the SLA clocks are not paused');
      const at = Math.max(this.#clock.now(), open.startedAt);
      const by = actorOf(principal);
      await scope.contracts.pauses.end(open, at, by);
      await scope.journal.append({
        actor: by,
        kind: 'sla.resumed',
        incidentId,
        payload: { pauseId: open.id, pausedMs: at - open.startedAt },
      });
      return { ...open, endedAt: at, endedBy: by };
    });
  }

  async report(principal: Principal, tenantId: string, range: SlaReportRange): Promise<SlaReport> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => this.#report(uow.forTenant(tenantId), range));
  }

  /** Every tenant's report (the MSSP's view): platform admins only. */
  async platformReport(principal: Principal, range: SlaReportRange): Promise<SlaReport[]> {
    requirePlatformAdmin(principal);
    return this.#store.transaction(async (uow) => {
      const reports: SlaReport[] = [];
      for (const tenant of await uow.tenants.list())
        reports.push(await this.#report(uow.forTenant(tenant.id), range));
      return reports;
    });
  }

  async #report(scope: TenantScope, range: SlaReportRange): Promise<SlaReport> {
    const contract = await scope.contracts.contract.get();
    return slaReportOf({
      tenantId: scope.tenantId,
      range,
      covered: contract?.sla != null,
      incidents: await scope.incidents.list(
        { createdFrom: range.from, createdTo: range.to },
        { limit: range.limit, offset: 0 },
      ),
      clocksOf: async (incident) => (await this.#incidentSla(scope, incident, contract)).clocks,
    });
  }

  async #incidentSla(
    scope: TenantScope,
    incident: Incident,
    contract: TenantContract | undefined,
  ): Promise<IncidentSla> {
    const pauses = await scope.contracts.pauses.list(incident.id);
    if (!contract?.sla) return { clocks: [], pauses, covered: false };
    const clocks = slaClocks({
      incident,
      terms: contract.sla,
      calendar: contract.calendar,
      pauses,
      now: this.#clock.now(),
    });
    return { clocks, pauses, covered: true };
  }
}
