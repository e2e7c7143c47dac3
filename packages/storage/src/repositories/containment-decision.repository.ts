/**
 * Containment decisions on servers, per tenant and incident: the decision with its figures
 * snapshot and OpenC2 commands as JSON, and a compare-and-set update of its state (the failover
 * step confirmed once, by one lead).
 */
import type {
  ContainmentDecisionRecord,
  ContainmentDecisionRepository,
  ContainmentOptionKind,
  DecisionState,
  FailoverStep,
  OpenC2Command,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type { ContainmentDecisionsTable } from '../database/containment-schema.ts';
import { TenantBound, fromJson, toJson } from './preparation/tenant-bound.ts';

const decisionFromRow = (r: Selectable<ContainmentDecisionsTable>): ContainmentDecisionRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  incidentId: r.incident_id,
  assetId: r.asset_id,
  assetName: r.asset_name,
  option: r.option as ContainmentOptionKind,
  rationale: r.rationale,
  decidedBy: r.decided_by,
  decidedAt: Number(r.decided_at),
  state: r.state as DecisionState,
  snapshot: fromJson<unknown>(r.snapshot),
  commands: fromJson<OpenC2Command[]>(r.commands),
  failover: r.failover === null ? null : fromJson<FailoverStep>(r.failover),
  actionIds: fromJson<string[]>(r.action_ids),
  updatedAt: Number(r.updated_at),
});

export class KyselyContainmentDecisionRepository
  extends TenantBound
  implements ContainmentDecisionRepository
{
  async insert(decision: ContainmentDecisionRecord): Promise<void> {
    if (decision.tenantId !== this.tenantId) throw new Error('decision of another tenant');
    await this.db
      .insertInto('containment_decisions')
      .values({
        id: decision.id,
        tenant_id: this.tenantId,
        incident_id: decision.incidentId,
        asset_id: decision.assetId,
        asset_name: decision.assetName,
        option: decision.option,
        rationale: decision.rationale,
        decided_by: decision.decidedBy,
        decided_at: decision.decidedAt,
        state: decision.state,
        snapshot: toJson(decision.snapshot),
        commands: toJson(decision.commands),
        failover: decision.failover === null ? null : toJson(decision.failover),
        action_ids: toJson(decision.actionIds),
        updated_at: decision.updatedAt,
      })
      .execute();
  }

  async get(id: string): Promise<ContainmentDecisionRecord | undefined> {
    const row = await this.db
      .selectFrom('containment_decisions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && decisionFromRow(row);
  }

  async list(incidentId: string): Promise<ContainmentDecisionRecord[]> {
    const rows = await this.db
      .selectFrom('containment_decisions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('decided_at')
      .orderBy('id')
      .execute();
    return rows.map(decisionFromRow);
  }

  async update(next: ContainmentDecisionRecord, expected: DecisionState): Promise<boolean> {
    const result = await this.db
      .updateTable('containment_decisions')
      .set({
        state: next.state,
        failover: next.failover === null ? null : toJson(next.failover),
        action_ids: toJson(next.actionIds),
        updated_at: next.updatedAt,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', next.id)
      .where('state', '=', expected)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
