/**
 * The scheduler's side of SLAs and regulatory deadlines: at each tick, for every tenant with a
 * contract, the clocks of its open (and recently closed) incidents are computed and each newly
 * at-risk or breached SLA and each newly near or missed deadline is journalled, once — the mark
 * table remembers what was said. Notifications are routed from these journal entries.
 */
import type { Incident } from '../incidents/incident.ts';
import type { Clock } from '../ports/clock.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import { regulatoryDeadlines } from './regulatory-deadlines.ts';
import { slaClocks } from './sla-clock.ts';
import type { ClockMark } from './sla-pause.ts';
import type { TenantContract } from './tenant-contract.ts';
import { applicableRegimes } from './tenant-contract.ts';

export const CONTRACT_CLOCKS_ACTOR = 'system:contract-clocks';
/** The journal entry kinds the clocks write (notifications route on them). */
export const CLOCK_ENTRY_KINDS = {
  at_risk: 'sla.at_risk',
  breached: 'sla.breached',
  near: 'regulatory.deadline_near',
  missed: 'regulatory.deadline_missed',
} as const satisfies Record<ClockMark['mark'], string>;

/** A closed incident is still looked at for this long (a breach found after closing). */
const WATCH_AFTER_CHANGE_MS = 7 * 86_400_000;
const MAX_INCIDENTS_PER_TENANT = 5_000;

interface Finding {
  readonly mark: ClockMark;
  readonly payload: Record<string, unknown>;
}

export class ContractClocks {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(options: { readonly store: Store; readonly clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  /** Journals what became due by `at` (default now); resolves with the new marks. */
  async markDue(at: number = this.#clock.now()): Promise<ClockMark[]> {
    const tenants = await this.#store.transaction((uow) => uow.tenants.list());
    const marked: ClockMark[] = [];
    for (const tenant of tenants)
      marked.push(
        ...(await this.#store.transaction(async (uow) => {
          const scope = uow.forTenant(tenant.id);
          const contract = await scope.contracts.contract.get();
          return contract ? markTenant(scope, contract, at) : [];
        })),
      );
    return marked;
  }
}

async function markTenant(
  scope: TenantScope,
  contract: TenantContract,
  at: number,
): Promise<ClockMark[]> {
  const marked: ClockMark[] = [];
  const incidents = await scope.contracts.watchedIncidents(
    at - WATCH_AFTER_CHANGE_MS,
    MAX_INCIDENTS_PER_TENANT,
  );
  for (const incident of incidents)
    for (const finding of await findings(scope, contract, incident, at)) {
      if (!(await scope.contracts.marks.insert(finding.mark))) continue;
      await scope.journal.append({
        actor: CONTRACT_CLOCKS_ACTOR,
        kind: CLOCK_ENTRY_KINDS[finding.mark.mark],
        incidentId: incident.id,
        payload: finding.payload,
      });
      marked.push(finding.mark);
    }
  return marked;
}

async function findings(
  scope: TenantScope,
  contract: TenantContract,
  incident: Incident,
  at: number,
): Promise<Finding[]> {
  const found: Finding[] = [];
  const mark = (clock: string, kind: ClockMark['mark']): ClockMark => ({
    tenantId: scope.tenantId,
    incidentId: incident.id,
    clock,
    mark: kind,
    at,
  });
  if (contract.sla) {
    const pauses = await scope.contracts.pauses.list(incident.id);
    for (const clock of slaClocks({
      incident,
      terms: contract.sla,
      calendar: contract.calendar,
      pauses,
      now: at,
    })) {
      const kind =
        clock.state === 'at_risk'
          ? 'at_risk'
          : clock.state === 'breached' || clock.state === 'missed'
            ? 'breached'
            : null;
      if (kind)
        found.push({
          mark: mark(`sla:${clock.metric}`, kind),
          payload: {
            metric: clock.metric,
            severity: incident.severity,
            state: clock.state,
            targetMinutes: clock.targetMinutes,
            elapsedMs: clock.elapsedMs,
            remainingMs: clock.remainingMs,
            dueAt: clock.dueAt,
          },
        });
    }
  }
  const determinations = await scope.contracts.reporting.determinations(incident.id);
  if (determinations.length === 0) return found;
  for (const deadline of regulatoryDeadlines({
    determination: determinations.at(-1),
    regimes: applicableRegimes(contract),
    notices: await scope.contracts.reporting.notices(incident.id),
    calendar: contract.calendar,
    nearShare: contract.deadlineNearShare,
    now: at,
  })) {
    const kind =
      deadline.state === 'near'
        ? 'near'
        : deadline.state === 'missed' || deadline.state === 'late'
          ? 'missed'
          : null;
    if (kind)
      found.push({
        mark: mark(`regulatory:${deadline.regimeId}:${deadline.obligationId}`, kind),
        payload: { ...deadline },
      });
  }
  return found;
}
