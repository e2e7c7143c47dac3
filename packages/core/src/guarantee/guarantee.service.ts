/**
 * The service guarantee's use cases: contract versions, notices of readiness gaps, time and
 * cost entries with corrections (a reversal and a replacement, never an edit), and statements
 * per incident and per month. Every change is journalled in the same transaction as its row.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import { factValues } from '../identification/identification-fact.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import type { ReadinessCheckId } from '../readiness/readiness-report.ts';
import type { GuaranteeContract, GuaranteeTerms } from './guarantee-contract.ts';
import { MAX_MINOR, checkGuaranteeTerms, contractInForce } from './guarantee-contract.ts';
import type {
  CostEntryBody,
  GuaranteeEntry,
  GuaranteeEntryBody,
  TimeEntryBody,
} from './guarantee-entry.ts';
import type { LedgerIncident } from './guarantee-ledger.ts';
import { computeLedger } from './guarantee-ledger.ts';
import type { GuaranteeStatement } from './guarantee-statement.ts';
import { buildStatement, monthBounds } from './guarantee-statement.ts';
import type { ReadinessGapNotice } from './readiness-gap-notice.ts';

/** A time entry may leave out its rate (the contract's rate for the role is taken). */
export type EntryInput =
  | (Omit<TimeEntryBody, 'hourlyMinor'> & {
      readonly hourlyMinor?: number;
      readonly occurredAt: number;
    })
  | (CostEntryBody & { readonly occurredAt: number });

/** Entries read for one statement; a tenant past this needs a narrower statement. */
export const MAX_LEDGER_ENTRIES = 50_000;
const MAX_MINUTES = 24 * 60 * 31;
const FUTURE_SLACK_MS = 5 * 60_000;

export class GuaranteeService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(options: { readonly store: Store; readonly clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  async setContract(
    principal: Principal,
    tenantId: string,
    terms: GuaranteeTerms,
  ): Promise<GuaranteeContract> {
    authorize(principal, tenantId, 'access:manage');
    checkGuaranteeTerms(terms);
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      await scope.journal.lock();
      const versions = await scope.guarantee.contracts.list();
      const contract: GuaranteeContract = {
        tenantId,
        version: (versions.at(-1)?.version ?? 0) + 1,
        terms,
        createdBy: actorOf(principal),
        createdAt: this.#clock.now(),
      };
      await scope.guarantee.contracts.insert(contract);
      await scope.journal.append({
        actor: contract.createdBy,
        kind: 'guarantee.contract_set',
        payload: { version: contract.version, terms },
      });
      return contract;
    });
  }

  async contracts(principal: Principal, tenantId: string): Promise<GuaranteeContract[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).guarantee.contracts.list(),
    );
  }

  /** Records that the client was told to close a failing readiness check. */
  async noticeGap(
    principal: Principal,
    tenantId: string,
    input: { readonly check: ReadinessCheckId; readonly note: string },
  ): Promise<ReadinessGapNotice> {
    authorize(principal, tenantId, 'access:manage');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const latest = (await scope.preparation.readinessSnapshots.list(1))[0];
      const check = latest?.checks.find((c) => c.id === input.check);
      if (!check || check.value === null || check.value >= 1)
        throw new CordonError(
          'conflict',
          `readiness check ${input.check} does not fail in the latest readiness snapshot`,
        );
      const notice: ReadinessGapNotice = {
        id: newId(),
        tenantId,
        check: input.check,
        measured: check.measured,
        note: input.note,
        notifiedBy: actorOf(principal),
        notifiedAt: this.#clock.now(),
      };
      await scope.guarantee.notices.insert(notice);
      await scope.journal.append({
        actor: notice.notifiedBy,
        kind: 'guarantee.gap_notified',
        payload: {
          noticeId: notice.id,
          check: notice.check,
          measured: notice.measured,
          note: notice.note,
        },
      });
      return notice;
    });
  }

  async notices(principal: Principal, tenantId: string): Promise<ReadinessGapNotice[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => uow.forTenant(tenantId).guarantee.notices.list());
  }

  async recordEntry(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: EntryInput,
  ): Promise<GuaranteeEntry> {
    authorize(principal, tenantId, 'incident:write');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      return this.#record(scope, principal, incidentId, input, null);
    });
  }

  /** Reverses an entry and, with `replacement`, records what it should have been. */
  async correctEntry(
    principal: Principal,
    tenantId: string,
    target: { readonly incidentId: string; readonly entryId: string },
    input: { readonly reason: string; readonly replacement?: EntryInput },
  ): Promise<{ reversal: GuaranteeEntry; replacement: GuaranteeEntry | null }> {
    authorize(principal, tenantId, 'incident:write');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const original = await scope.guarantee.entries.get(target.entryId);
      if (!original || original.incidentId !== target.incidentId) throw notFound('ledger entry');
      if (original.body.kind === 'reversal')
        throw new CordonError('conflict', 'a reversal is not corrected; record a new entry');
      const reversal: GuaranteeEntry = {
        id: newId(),
        tenantId,
        incidentId: original.incidentId,
        body: { kind: 'reversal', reason: input.reason },
        reverses: original.id,
        occurredAt: original.occurredAt,
        recordedBy: actorOf(principal),
        recordedAt: this.#clock.now(),
      };
      if (!(await scope.guarantee.entries.insert(reversal)))
        throw new CordonError('conflict', `entry ${original.id} is already reversed`);
      await scope.journal.append({
        actor: reversal.recordedBy,
        kind: 'guarantee.entry_reversed',
        incidentId: original.incidentId,
        payload: { entryId: reversal.id, reverses: original.id, reason: input.reason },
      });
      const replacement = input.replacement
        ? await this.#record(scope, principal, original.incidentId, input.replacement, original.id)
        : null;
      return { reversal, replacement };
    });
  }

  async entries(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<GuaranteeEntry[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.incidents.get(incidentId))) throw notFound('incident');
      return scope.guarantee.entries.list({ incidentId }, MAX_LEDGER_ENTRIES);
    });
  }

  async incidentStatement(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<GuaranteeStatement> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.incidents.get(incidentId))) throw notFound('incident');
      // The year's limit is shared: the whole ledger decides what is left for this incident.
      return this.#statement(
        scope,
        { kind: 'incident', incidentId },
        (l) => l.entry.incidentId === incidentId,
      );
    });
  }

  async monthStatement(
    principal: Principal,
    tenantId: string,
    month: string,
  ): Promise<GuaranteeStatement> {
    authorize(principal, tenantId, 'tenant:read');
    const bounds = monthBounds(month);
    if (!bounds) throw invalidInput('month must be YYYY-MM');
    return this.#store.transaction(async (uow) =>
      this.#statement(
        uow.forTenant(tenantId),
        { kind: 'month', month, ...bounds },
        (l) => l.entry.occurredAt >= bounds.from && l.entry.occurredAt < bounds.to,
      ),
    );
  }

  async #statement(
    scope: TenantScope,
    statementScope: GuaranteeStatement['scope'],
    include: Parameters<typeof buildStatement>[0]['include'],
  ): Promise<GuaranteeStatement> {
    const g = scope.guarantee;
    const entries = await g.entries.list({}, MAX_LEDGER_ENTRIES + 1);
    if (entries.length > MAX_LEDGER_ENTRIES)
      throw new CordonError(
        'payload_too_large',
        `the ledger holds more than ${MAX_LEDGER_ENTRIES} entries`,
      );
    const ids = new Set(entries.map((e) => e.incidentId));
    if (statementScope.kind === 'incident') ids.add(statementScope.incidentId);
    const incidents: LedgerIncident[] = [];
    for (const id of ids) {
      const incident = await scope.incidents.get(id);
      if (incident)
        incidents.push({ id, openedAt: incident.createdAt, category: await categoryOf(scope, id) });
    }
    const contracts = await g.contracts.list();
    const ledgers = computeLedger({
      incidents,
      contracts,
      entries,
      notices: await g.notices.list(),
      snapshots: await scope.preparation.readinessSnapshots.list(1000),
    });
    const inScope = [...ledgers.values()].filter(
      (l) => statementScope.kind === 'month' || l.incidentId === statementScope.incidentId,
    );
    return buildStatement({
      tenantId: scope.tenantId,
      scope: statementScope,
      currency: contracts.at(-1)?.terms.currency ?? null,
      ledgers: inScope,
      include,
    });
  }

  async #record(
    scope: TenantScope,
    principal: Principal,
    incidentId: string,
    input: EntryInput,
    corrects: string | null,
  ): Promise<GuaranteeEntry> {
    const incident = await scope.incidents.get(incidentId);
    if (!incident) throw notFound('incident');
    const now = this.#clock.now();
    if (!Number.isSafeInteger(input.occurredAt) || input.occurredAt > now + FUTURE_SLACK_MS)
      throw invalidInput('occurredAt must not be in the future');
    const body = await this.#body(scope, incident.createdAt, input);
    const entry: GuaranteeEntry = {
      id: newId(),
      tenantId: scope.tenantId,
      incidentId,
      body,
      reverses: null,
      occurredAt: input.occurredAt,
      recordedBy: actorOf(principal),
      recordedAt: now,
    };
    await scope.guarantee.entries.insert(entry);
    await scope.journal.append({
      actor: entry.recordedBy,
      kind: 'guarantee.entry_recorded',
      incidentId,
      payload: { entryId: entry.id, body, occurredAt: entry.occurredAt, corrects },
    });
    return entry;
  }

  async #body(
    scope: TenantScope,
    openedAt: number,
    input: EntryInput,
  ): Promise<GuaranteeEntryBody> {
    const { occurredAt: _at, ...rest } = input;
    if (rest.kind === 'cost') {
      if (
        !Number.isSafeInteger(rest.amountMinor) ||
        rest.amountMinor < 0 ||
        rest.amountMinor > MAX_MINOR
      )
        throw invalidInput(`amountMinor must be a whole number from 0 to ${MAX_MINOR}`);
      return rest;
    }
    if (!Number.isInteger(rest.minutes) || rest.minutes < 1 || rest.minutes > MAX_MINUTES)
      throw invalidInput(`minutes must be 1 to ${MAX_MINUTES}`);
    let hourlyMinor = rest.hourlyMinor;
    if (hourlyMinor === undefined) {
      const contract = contractInForce(await scope.guarantee.contracts.list(), openedAt);
      hourlyMinor = contract?.terms.rates.find((r) => r.role === rest.role)?.hourlyMinor;
      if (hourlyMinor === undefined)
        throw invalidInput(`no rate for role ${rest.role} in the contract; give hourlyMinor`);
    }
    if (!Number.isSafeInteger(hourlyMinor) || hourlyMinor < 0 || hourlyMinor > MAX_MINOR)
      throw invalidInput(`hourlyMinor must be a whole number from 0 to ${MAX_MINOR}`);
    return { ...rest, hourlyMinor };
  }
}

async function categoryOf(scope: TenantScope, incidentId: string): Promise<string | null> {
  const facts = await scope.identification.list(incidentId);
  return factValues(facts, 'category')[0]?.category ?? null;
}
