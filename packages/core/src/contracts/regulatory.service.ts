/**
 * Regulatory reporting use cases: record the reportability determination of an incident (who,
 * why, when, which of the tenant's regimes, when the organisation became aware and when a
 * ransom was paid), which starts the deadlines; record each notice sent with its content and
 * SHA-256; show the deadlines; draft a CISA-style report from the incident's facts.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, invalidInput } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import { loadIncident } from '../recovery/incident-lookup.ts';
import type { CisaReportDraft } from './cisa-report.ts';
import { cisaReportDraft } from './cisa-report.ts';
import type { RegulatoryDeadline } from './regulatory-deadlines.ts';
import { regulatoryDeadlines } from './regulatory-deadlines.ts';
import type { RegulatoryNotice, ReportabilityDetermination } from './reportability.ts';
import type { TenantContract } from './tenant-contract.ts';
import { applicableRegimes } from './tenant-contract.ts';

export interface DeterminationInput {
  readonly reportable: boolean;
  readonly regimes: readonly string[];
  readonly reason: string;
  /** When the organisation became aware; default when the incident was opened. */
  readonly awarenessAt?: number;
  readonly paymentAt?: number | null;
}

export interface NoticeInput {
  readonly regimeId: string;
  readonly obligationId: string;
  readonly channel: string;
  readonly content: string;
  readonly recipient?: string;
  /** Default now; a notice sent earlier (by phone, on a portal) is recorded with its time. */
  readonly sentAt?: number;
}

export interface RegulatoryView {
  readonly determinations: readonly ReportabilityDetermination[];
  readonly notices: readonly RegulatoryNotice[];
  readonly deadlines: readonly RegulatoryDeadline[];
}

export const MAX_NOTICE_BYTES = 256 * 1024;
const MAX_REASON = 4_000;
const MAX_CHANNEL = 200;
/** Records per incident, so that an incident's reporting view stays bounded. */
export const MAX_DETERMINATIONS_PER_INCIDENT = 100;
export const MAX_NOTICES_PER_INCIDENT = 100;

export class RegulatoryService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(options: { readonly store: Store; readonly clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  async view(principal: Principal, tenantId: string, incidentId: string): Promise<RegulatoryView> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      return this.#view(scope, incidentId, await scope.contracts.contract.get());
    });
  }

  async determine(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: DeterminationInput,
  ): Promise<ReportabilityDetermination> {
    authorize(principal, tenantId, 'incident:override_guard');
    const reason = input.reason.trim();
    if (reason === '' || reason.length > MAX_REASON)
      throw invalidInput(`a determination needs a reason of 1 to ${MAX_REASON} characters`);
    const now = this.#clock.now();
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await loadIncident(scope, incidentId);
      const contract = await requireContract(scope);
      const previous = await scope.contracts.reporting.determinations(incidentId);
      if (previous.length >= MAX_DETERMINATIONS_PER_INCIDENT)
        throw new CordonError(
          'conflict',
          `an incident keeps at most ${MAX_DETERMINATIONS_PER_INCIDENT} determinations`,
        );
      const known = new Set(applicableRegimes(contract).map((r) => r.id));
      const regimes = [...new Set(input.regimes)];
      for (const id of regimes)
        if (!known.has(id)) throw invalidInput(`regime ${id} does not apply to this tenant`);
      if (input.reportable && regimes.length === 0)
        throw invalidInput('a reportable incident names the regimes it is reportable under');
      const awarenessAt = input.awarenessAt ?? incident.createdAt;
      const paymentAt = input.paymentAt ?? null;
      for (const [what, at] of [
        ['awarenessAt', awarenessAt],
        ['paymentAt', paymentAt],
      ] as const)
        if (at !== null && (!Number.isSafeInteger(at) || at < 0 || at > now))
          throw invalidInput(`${what} must be a past instant`);
      const determination: ReportabilityDetermination = {
        id: newId(),
        tenantId,
        incidentId,
        reportable: input.reportable,
        regimes,
        reason,
        awarenessAt,
        paymentAt,
        determinedBy: actorOf(principal),
        determinedAt: now,
      };
      await scope.contracts.reporting.insertDetermination(determination);
      await scope.journal.append({
        actor: determination.determinedBy,
        kind: 'regulatory.determined',
        incidentId,
        payload: {
          determinationId: determination.id,
          reportable: determination.reportable,
          regimes,
          reason,
          awarenessAt,
          paymentAt,
        },
      });
      return determination;
    });
  }

  async recordNotice(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: NoticeInput,
  ): Promise<RegulatoryNotice> {
    authorize(principal, tenantId, 'incident:write');
    const bytes = new TextEncoder().encode(input.content).length;
    if (bytes === 0 || bytes > MAX_NOTICE_BYTES)
      throw invalidInput(`a notice's content is 1 byte to ${MAX_NOTICE_BYTES} bytes`);
    const channel = input.channel.trim();
    if (channel === '' || channel.length > MAX_CHANNEL)
      throw invalidInput(`channel: 1 to ${MAX_CHANNEL} characters (e.g. portal, e-mail)`);
    const now = this.#clock.now();
    const sentAt = input.sentAt ?? now;
    if (!Number.isSafeInteger(sentAt) || sentAt < 0 || sentAt > now)
      throw invalidInput('sentAt must be a past instant');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      const contract = await requireContract(scope);
      const view = await this.#view(scope, incidentId, contract);
      if (view.notices.length >= MAX_NOTICES_PER_INCIDENT)
        throw new CordonError(
          'conflict',
          `an incident keeps at most ${MAX_NOTICES_PER_INCIDENT} notices`,
        );
      const deadline = view.deadlines.find(
        (d) => d.regimeId === input.regimeId && d.obligationId === input.obligationId,
      );
      if (!deadline)
        throw invalidInput(
          `${input.regimeId}/${input.obligationId} is not an obligation of this incident's determination`,
        );
      const notice: RegulatoryNotice = {
        id: newId(),
        tenantId,
        incidentId,
        regimeId: input.regimeId,
        obligationId: input.obligationId,
        recipient: (input.recipient ?? deadline.recipient).slice(0, MAX_CHANNEL),
        channel,
        sentAt,
        content: input.content,
        contentSha256: createHash('sha256').update(input.content, 'utf8').digest('hex'),
        recordedBy: actorOf(principal),
        recordedAt: now,
      };
      await scope.contracts.reporting.insertNotice(notice);
      await scope.journal.append({
        actor: notice.recordedBy,
        kind: 'regulatory.notice_sent',
        incidentId,
        payload: {
          noticeId: notice.id,
          regimeId: notice.regimeId,
          obligationId: notice.obligationId,
          recipient: notice.recipient,
          channel,
          sentAt,
          dueAt: deadline.dueAt,
          late: deadline.dueAt !== null && sentAt > deadline.dueAt,
          contentSha256: notice.contentSha256,
          contentBytes: bytes,
        },
      });
      return notice;
    });
  }

  async cisaDraft(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<CisaReportDraft> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await loadIncident(scope, incidentId);
      const contract = await scope.contracts.contract.get();
      return cisaReportDraft({
        incident,
        tenant: await uow.tenants.get(tenantId),
        contract,
        facts: await scope.identification.list(incidentId),
        view: await this.#view(scope, incidentId, contract),
      });
    });
  }

  async #view(
    scope: TenantScope,
    incidentId: string,
    contract: TenantContract | undefined,
  ): Promise<RegulatoryView> {
    const determinations = await scope.contracts.reporting.determinations(incidentId);
    const notices = await scope.contracts.reporting.notices(incidentId);
    const deadlines = contract
      ? regulatoryDeadlines({
          determination: determinations.at(-1),
          regimes: applicableRegimes(contract),
          notices,
          calendar: contract.calendar,
          nearShare: contract.deadlineNearShare,
          now: this.#clock.now(),
        })
      : [];
    return { determinations, notices, deadlines };
  }
}

async function requireContract(scope: TenantScope): Promise<TenantContract> {
  const contract = await scope.contracts.contract.get();
  if (!contract)
    throw new CordonError('conflict', 'the tenant has no contract: set its regimes first');
  return contract;
}
