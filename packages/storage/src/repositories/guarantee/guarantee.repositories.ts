/** The service guarantee's rows, tenant-scoped (0021-notify). */
import type {
  GuaranteeContract,
  GuaranteeContractRepository,
  GuaranteeEntry,
  GuaranteeEntryBody,
  GuaranteeEntryRepository,
  GuaranteeRepositories,
  GuaranteeTerms,
  ReadinessCheckId,
  ReadinessGapNotice,
  ReadinessGapNoticeRepository,
} from '@cordon/core';
import type { Db } from '../preparation/tenant-bound.ts';
import { TenantBound, fromJson, toJson } from '../preparation/tenant-bound.ts';

class KyselyGuaranteeContractRepository extends TenantBound implements GuaranteeContractRepository {
  async insert(contract: GuaranteeContract): Promise<void> {
    await this.db
      .insertInto('guarantee_contracts')
      .values({
        tenant_id: this.tenantId,
        version: contract.version,
        terms: toJson(contract.terms),
        created_by: contract.createdBy,
        created_at: contract.createdAt,
      })
      .execute();
  }

  async list(): Promise<GuaranteeContract[]> {
    const rows = await this.db
      .selectFrom('guarantee_contracts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('version')
      .execute();
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      version: Number(row.version),
      terms: fromJson<GuaranteeTerms>(row.terms),
      createdBy: row.created_by,
      createdAt: Number(row.created_at),
    }));
  }
}

class KyselyGapNoticeRepository extends TenantBound implements ReadinessGapNoticeRepository {
  async insert(notice: ReadinessGapNotice): Promise<void> {
    await this.db
      .insertInto('guarantee_gap_notices')
      .values({
        id: notice.id,
        tenant_id: this.tenantId,
        check_id: notice.check,
        measured: notice.measured,
        note: notice.note,
        notified_by: notice.notifiedBy,
        notified_at: notice.notifiedAt,
      })
      .execute();
  }

  async list(): Promise<ReadinessGapNotice[]> {
    const rows = await this.db
      .selectFrom('guarantee_gap_notices')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('notified_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      check: row.check_id as ReadinessCheckId,
      measured: row.measured,
      note: row.note,
      notifiedBy: row.notified_by,
      notifiedAt: Number(row.notified_at),
    }));
  }
}

class KyselyGuaranteeEntryRepository extends TenantBound implements GuaranteeEntryRepository {
  async insert(entry: GuaranteeEntry): Promise<boolean> {
    const result = await this.db
      .insertInto('guarantee_entries')
      .values({
        id: entry.id,
        tenant_id: this.tenantId,
        incident_id: entry.incidentId,
        kind: entry.body.kind,
        body: toJson(entry.body),
        reverses: entry.reverses,
        occurred_at: entry.occurredAt,
        recorded_by: entry.recordedBy,
        recorded_at: entry.recordedAt,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'reverses']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async get(id: string): Promise<GuaranteeEntry | undefined> {
    const row = await this.#select().where('id', '=', id).executeTakeFirst();
    return row && entryOf(row);
  }

  async list(filter: { incidentId?: string }, limit: number): Promise<GuaranteeEntry[]> {
    let query = this.#select();
    if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
    const rows = await query.orderBy('recorded_at').orderBy('id').limit(limit).execute();
    return rows.map(entryOf);
  }

  #select() {
    return this.db
      .selectFrom('guarantee_entries')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
  }
}

function entryOf(row: {
  id: string;
  tenant_id: string;
  incident_id: string;
  body: string;
  reverses: string | null;
  occurred_at: number;
  recorded_by: string;
  recorded_at: number;
}): GuaranteeEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    incidentId: row.incident_id,
    body: fromJson<GuaranteeEntryBody>(row.body),
    reverses: row.reverses,
    occurredAt: Number(row.occurred_at),
    recordedBy: row.recorded_by,
    recordedAt: Number(row.recorded_at),
  };
}

export function guaranteeRepositories(db: Db, tenantId: string): GuaranteeRepositories {
  return {
    contracts: new KyselyGuaranteeContractRepository(db, tenantId),
    notices: new KyselyGapNoticeRepository(db, tenantId),
    entries: new KyselyGuaranteeEntryRepository(db, tenantId),
  };
}
