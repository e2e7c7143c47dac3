/**
 * Containment repositories: agents, actions and their transitions, enrolment tokens, release
 * codes issued, reported identity changes and the auto-containment policy, each bound to one
 * tenant — except token consumption, which happens before the tenant is known.
 */
import type {
  ActionApproval,
  ActionFilter,
  ActionRepository,
  ActionState,
  ActionTransitionRecord,
  AgentHostFacts,
  AgentIdentity,
  AgentIdentityChange,
  AgentIdentityChangeRepository,
  AgentPage,
  AgentRecord,
  AgentRepository,
  ContainmentAction,
  ContainmentCommand,
  ContainmentOptionRule,
  ContainmentPolicy,
  ContainmentPolicyRepository,
  ContainmentRepositories,
  ContainmentRule,
  EnrolmentTokenConsumer,
  EnrolmentTokenRecord,
  EnrolmentTokenRepository,
  IdentityChangeFilter,
  IdentityChangeState,
  NamePage,
  OptionDurations,
  ReleaseCodeRecord,
  ReleaseCodeRepository,
} from '@cordon/core';
import { boundedCount } from './bounded-count.ts';
import { DEFAULT_AUTO_ISOLATION_LIMIT, DEFAULT_OPTION_RULES } from '@cordon/core';
import type { Selectable } from 'kysely';
import type {
  AgentActionsTable,
  AgentEnrolmentTokensTable,
  AgentIdentityChangesTable,
  AgentsTable,
} from '../database/containment-schema.ts';
import type { Db } from './preparation/tenant-bound.ts';
import { TenantBound, bit, fromJson, toJson } from './preparation/tenant-bound.ts';
import { KyselyContainmentDecisionRepository } from './containment-decision.repository.ts';

const agentFromRow = (r: Selectable<AgentsTable>): AgentRecord => {
  const facts = fromJson<AgentHostFacts>(r.facts);
  return {
    tenantId: r.tenant_id,
    agentId: r.agent_id,
    publicKey: r.public_key,
    enrolledAt: Number(r.enrolled_at),
    // Filled for every row by migration 0009; the fallback only guards a hand-made row.
    identity:
      r.identity === null
        ? { hostname: facts.hostname, addresses: facts.addresses }
        : fromJson<AgentIdentity>(r.identity),
    facts,
    online: r.online === 1,
    lastSeenAt: Number(r.last_seen_at),
    telemetrySeq: Number(r.telemetry_seq),
  };
};

class KyselyAgentRepository extends TenantBound implements AgentRepository {
  async get(agentId: string): Promise<AgentRecord | undefined> {
    const row = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('agent_id', '=', agentId)
      .executeTakeFirst();
    return row && agentFromRow(row);
  }

  async list(): Promise<AgentRecord[]> {
    const rows = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('hostname')
      .orderBy('agent_id')
      .execute();
    return rows.map(agentFromRow);
  }

  async page(page: NamePage): Promise<AgentPage> {
    const all = this.db.selectFrom('agents').where('tenant_id', '=', this.tenantId);
    const count = await boundedCount(this.db, all);
    const online = await boundedCount(this.db, all.where('online', '=', 1));
    let rows = all.selectAll();
    const after = page.after;
    if (after !== undefined)
      rows = rows.where((eb) =>
        eb.or([
          eb('hostname', '>', after.name),
          eb.and([eb('hostname', '=', after.name), eb('agent_id', '>', after.id)]),
        ]),
      );
    const items = await rows.orderBy('hostname').orderBy('agent_id').limit(page.limit).execute();
    return { ...count, online: online.total, items: items.map(agentFromRow) };
  }

  async put(record: AgentRecord): Promise<void> {
    if (record.tenantId !== this.tenantId) throw new Error('agent record of another tenant');
    const values = {
      public_key: record.publicKey,
      facts: toJson(record.facts),
      isolated: bit(record.facts.isolated),
      online: bit(record.online),
      enrolled_at: record.enrolledAt,
      last_seen_at: record.lastSeenAt,
      telemetry_seq: record.telemetrySeq,
    };
    await this.db
      .insertInto('agents')
      .values({
        tenant_id: this.tenantId,
        agent_id: record.agentId,
        hostname: record.identity.hostname,
        identity: toJson(record.identity),
        ...values,
      })
      // The identity is written at enrolment only; `setIdentity` is the one way to change it.
      .onConflict((oc) => oc.columns(['tenant_id', 'agent_id']).doUpdateSet(values))
      .execute();
  }

  async setIdentity(agentId: string, identity: AgentIdentity): Promise<boolean> {
    const result = await this.db
      .updateTable('agents')
      .set({ hostname: identity.hostname, identity: toJson(identity) })
      .where('tenant_id', '=', this.tenantId)
      .where('agent_id', '=', agentId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

const actionFromRow = (r: Selectable<AgentActionsTable>): ContainmentAction => ({
  id: r.id,
  tenantId: r.tenant_id,
  agentId: r.agent_id,
  incidentId: r.incident_id,
  action: fromJson<ContainmentCommand>(r.action),
  state: r.state as ActionState,
  requestedBy: r.requested_by,
  approvedBy: r.approved_by,
  requiredApprovals: Number(r.required_approvals),
  approvals: fromJson<ActionApproval[]>(r.approvals),
  commandNonce: r.command_nonce,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  detail: r.detail,
  result: r.result === null ? null : fromJson<unknown>(r.result),
});

class KyselyActionRepository extends TenantBound implements ActionRepository {
  async insert(action: ContainmentAction): Promise<void> {
    if (action.tenantId !== this.tenantId) throw new Error('action of another tenant');
    await this.db
      .insertInto('agent_actions')
      .values({
        id: action.id,
        tenant_id: this.tenantId,
        agent_id: action.agentId,
        incident_id: action.incidentId,
        kind: action.action.kind,
        action: toJson(action.action),
        state: action.state,
        requested_by: action.requestedBy,
        approved_by: action.approvedBy,
        required_approvals: action.requiredApprovals,
        approvals: toJson(action.approvals),
        command_nonce: action.commandNonce,
        detail: action.detail,
        result: action.result === null ? null : toJson(action.result),
        created_at: action.createdAt,
        updated_at: action.updatedAt,
      })
      .execute();
  }

  async get(id: string): Promise<ContainmentAction | undefined> {
    const row = await this.db
      .selectFrom('agent_actions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && actionFromRow(row);
  }

  async list(filter: ActionFilter, limit: number): Promise<ContainmentAction[]> {
    let query = this.db
      .selectFrom('agent_actions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
    if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
    if (filter.state !== undefined) query = query.where('state', '=', filter.state);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(actionFromRow);
  }

  async update(
    next: ContainmentAction,
    expected: ActionState | null,
    expectedApprovals?: readonly ActionApproval[],
  ): Promise<boolean> {
    let query = this.db
      .updateTable('agent_actions')
      .set({
        state: next.state,
        approved_by: next.approvedBy,
        required_approvals: next.requiredApprovals,
        approvals: toJson(next.approvals),
        command_nonce: next.commandNonce,
        detail: next.detail,
        result: next.result === null ? null : toJson(next.result),
        updated_at: next.updatedAt,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', next.id);
    if (expected !== null) query = query.where('state', '=', expected);
    // The approvals are written as JSON text from their parsed form, so equal lists are equal text.
    if (expectedApprovals !== undefined)
      query = query.where('approvals', '=', toJson(expectedApprovals));
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async insertTransition(transition: ActionTransitionRecord): Promise<void> {
    const last = await this.db
      .selectFrom('agent_action_transitions')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('action_id', '=', transition.actionId)
      .executeTakeFirst();
    await this.db
      .insertInto('agent_action_transitions')
      .values({
        action_id: transition.actionId,
        tenant_id: this.tenantId,
        seq: Number(last?.seq ?? 0) + 1,
        from_state: transition.from,
        to_state: transition.to,
        actor: transition.actor,
        at: transition.at,
        detail: transition.detail,
      })
      .execute();
  }

  async transitions(actionId: string): Promise<ActionTransitionRecord[]> {
    const rows = await this.db
      .selectFrom('agent_action_transitions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('action_id', '=', actionId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      actionId: r.action_id,
      from: r.from_state as ActionState | null,
      to: r.to_state as ActionState,
      actor: r.actor,
      at: Number(r.at),
      detail: r.detail,
    }));
  }
}

const tokenFromRow = (r: Selectable<AgentEnrolmentTokensTable>): EnrolmentTokenRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  secretHash: r.secret_hash,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  usedAt: r.used_at === null ? null : Number(r.used_at),
  agentId: r.agent_id,
});

class KyselyEnrolmentTokenRepository extends TenantBound implements EnrolmentTokenRepository {
  async insert(token: EnrolmentTokenRecord): Promise<void> {
    await this.db
      .insertInto('agent_enrolment_tokens')
      .values({
        id: token.id,
        tenant_id: this.tenantId,
        secret_hash: token.secretHash,
        created_by: token.createdBy,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        used_at: token.usedAt,
        agent_id: token.agentId,
      })
      .execute();
  }

  async list(): Promise<EnrolmentTokenRecord[]> {
    const rows = await this.db
      .selectFrom('agent_enrolment_tokens')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(tokenFromRow);
  }
}

export class KyselyEnrolmentTokenConsumer implements EnrolmentTokenConsumer {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async consume(
    secretHash: string,
    now: number,
  ): Promise<{ tenantId: string; id: string } | undefined> {
    // One UPDATE guarded by `used_at is null`: two agents racing with one token, one wins.
    const row = await this.#db
      .selectFrom('agent_enrolment_tokens')
      .select(['id', 'tenant_id', 'expires_at'])
      .where('secret_hash', '=', secretHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (row === undefined || Number(row.expires_at) <= now) return undefined;
    const result = await this.#db
      .updateTable('agent_enrolment_tokens')
      .set({ used_at: now })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return { tenantId: row.tenant_id, id: row.id };
  }

  async recordAgent(id: string, agentId: string): Promise<void> {
    await this.#db
      .updateTable('agent_enrolment_tokens')
      .set({ agent_id: agentId })
      .where('id', '=', id)
      .execute();
  }
}

class KyselyReleaseCodeRepository extends TenantBound implements ReleaseCodeRepository {
  async insert(code: ReleaseCodeRecord): Promise<void> {
    await this.db
      .insertInto('agent_release_codes')
      .values({
        code_id: code.codeId,
        tenant_id: this.tenantId,
        agent_id: code.agentId,
        incident_id: code.incidentId,
        issued_by: code.issuedBy,
        issued_at: code.issuedAt,
        expires_at: code.expiresAt,
      })
      .execute();
  }

  async list(agentId?: string): Promise<ReleaseCodeRecord[]> {
    let query = this.db
      .selectFrom('agent_release_codes')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (agentId !== undefined) query = query.where('agent_id', '=', agentId);
    const rows = await query.orderBy('issued_at', 'desc').execute();
    return rows.map((r) => ({
      codeId: r.code_id,
      tenantId: r.tenant_id,
      agentId: r.agent_id,
      incidentId: r.incident_id,
      issuedBy: r.issued_by,
      issuedAt: Number(r.issued_at),
      expiresAt: Number(r.expires_at),
    }));
  }
}

class KyselyContainmentPolicyRepository extends TenantBound implements ContainmentPolicyRepository {
  async get(): Promise<ContainmentPolicy | undefined> {
    const row = await this.db
      .selectFrom('containment_policies')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .executeTakeFirst();
    return (
      row && {
        tenantId: row.tenant_id,
        rules: fromJson<ContainmentRule[]>(row.rules),
        autoIsolationLimit:
          row.auto_isolation_max === null || row.auto_isolation_window_minutes === null
            ? DEFAULT_AUTO_ISOLATION_LIMIT
            : {
                maxIsolations: Number(row.auto_isolation_max),
                windowMinutes: Number(row.auto_isolation_window_minutes),
              },
        optionRules:
          row.option_rules === null
            ? DEFAULT_OPTION_RULES
            : fromJson<ContainmentOptionRule[]>(row.option_rules),
        optionDurations:
          row.option_durations === null ? {} : fromJson<OptionDurations>(row.option_durations),
        updatedAt: Number(row.updated_at),
        updatedBy: row.updated_by,
      }
    );
  }

  async set(
    policy: Pick<ContainmentPolicy, 'rules' | 'autoIsolationLimit'> &
      Partial<Pick<ContainmentPolicy, 'optionRules' | 'optionDurations'>>,
    by: string,
    at: number,
  ): Promise<void> {
    const values = {
      rules: toJson(policy.rules),
      option_rules: policy.optionRules === undefined ? null : toJson(policy.optionRules),
      option_durations:
        policy.optionDurations === undefined ? null : toJson(policy.optionDurations),
      auto_isolation_max: policy.autoIsolationLimit.maxIsolations,
      auto_isolation_window_minutes: policy.autoIsolationLimit.windowMinutes,
      updated_at: at,
      updated_by: by,
    };
    await this.db
      .insertInto('containment_policies')
      .values({ tenant_id: this.tenantId, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  }
}

const identityChangeFromRow = (r: Selectable<AgentIdentityChangesTable>): AgentIdentityChange => ({
  id: r.id,
  tenantId: r.tenant_id,
  agentId: r.agent_id,
  from: fromJson<AgentIdentity>(r.from_identity),
  to: fromJson<AgentIdentity>(r.to_identity),
  state: r.state as IdentityChangeState,
  reportedAt: Number(r.reported_at),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at === null ? null : Number(r.decided_at),
  reason: r.reason,
});

class KyselyAgentIdentityChangeRepository
  extends TenantBound
  implements AgentIdentityChangeRepository
{
  async insert(change: AgentIdentityChange): Promise<void> {
    if (change.tenantId !== this.tenantId) throw new Error('identity change of another tenant');
    await this.db
      .insertInto('agent_identity_changes')
      .values({
        id: change.id,
        tenant_id: this.tenantId,
        agent_id: change.agentId,
        from_identity: toJson(change.from),
        to_identity: toJson(change.to),
        state: change.state,
        reported_at: change.reportedAt,
        decided_by: change.decidedBy,
        decided_at: change.decidedAt,
        reason: change.reason,
      })
      .execute();
  }

  async get(id: string): Promise<AgentIdentityChange | undefined> {
    const row = await this.db
      .selectFrom('agent_identity_changes')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && identityChangeFromRow(row);
  }

  async list(filter: IdentityChangeFilter, limit: number): Promise<AgentIdentityChange[]> {
    let query = this.db
      .selectFrom('agent_identity_changes')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
    if (filter.state !== undefined) query = query.where('state', '=', filter.state);
    const rows = await query.orderBy('reported_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(identityChangeFromRow);
  }

  async decide(next: AgentIdentityChange): Promise<boolean> {
    const result = await this.db
      .updateTable('agent_identity_changes')
      .set({
        state: next.state,
        decided_by: next.decidedBy,
        decided_at: next.decidedAt,
        reason: next.reason,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', next.id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

export function containmentRepositories(db: Db, tenantId: string): ContainmentRepositories {
  return {
    agents: new KyselyAgentRepository(db, tenantId),
    actions: new KyselyActionRepository(db, tenantId),
    enrolmentTokens: new KyselyEnrolmentTokenRepository(db, tenantId),
    releaseCodes: new KyselyReleaseCodeRepository(db, tenantId),
    policy: new KyselyContainmentPolicyRepository(db, tenantId),
    identityChanges: new KyselyAgentIdentityChangeRepository(db, tenantId),
    decisions: new KyselyContainmentDecisionRepository(db, tenantId),
  };
}
