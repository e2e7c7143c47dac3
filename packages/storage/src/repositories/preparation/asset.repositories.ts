/** Assets, segments, relations and telemetry-observed hosts, bound to one tenant. */
import type {
  Asset,
  AssetChanges,
  AssetKind,
  AssetListFilter,
  AssetRelation,
  BoundedPage,
  AssetRepository,
  Criticality,
  NamePage,
  NetworkSegment,
  ObservedHost,
  ObservedHostRepository,
  OperationalStatus,
  RelationKind,
  RelationRepository,
  SegmentRepository,
  SegmentZone,
} from '@cordon/core';
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import { boundedCount } from '../bounded-count.ts';
import type { AssetsTable, SegmentsTable } from '../../database/schema.ts';
import { TenantBound, bit, fromJson, toJson } from './tenant-bound.ts';

/** Rows per multi-row INSERT: well under both dialects' bound-parameter limits. */
const INSERT_BATCH = 200;

const assetFromRow = (r: Selectable<AssetsTable>): Asset => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  kind: r.kind as AssetKind,
  addresses: fromJson(r.addresses),
  mac: r.mac,
  os: r.os,
  owner: r.owner,
  location: r.location,
  criticality: r.criticality as Criticality,
  tags: fromJson(r.tags),
  segmentId: r.segment_id,
  redundancyGroup: r.redundancy_group,
  agentInstalled: r.agent_installed === 1,
  operationalStatus: r.operational_status as OperationalStatus,
  lastSeenAt: r.last_seen_at,
  retiredAt: r.retired_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const assetColumns: {
  readonly [K in keyof AssetChanges]-?: (
    v: NonNullable<Asset[K]> | null,
  ) => Partial<Insertable<AssetsTable>>;
} = {
  name: (v) => ({ name: v as string, name_key: (v as string).toLowerCase() }),
  kind: (v) => ({ kind: v as string }),
  addresses: (v) => ({ addresses: toJson(v) }),
  mac: (v) => ({ mac: v }),
  os: (v) => ({ os: v }),
  owner: (v) => ({ owner: v }),
  location: (v) => ({ location: v }),
  criticality: (v) => ({ criticality: v as string }),
  tags: (v) => ({ tags: toJson(v) }),
  segmentId: (v) => ({ segment_id: v }),
  redundancyGroup: (v) => ({ redundancy_group: v }),
  agentInstalled: (v) => ({ agent_installed: bit(v === true) }),
  operationalStatus: (v) => ({ operational_status: v as string }),
  lastSeenAt: (v) => ({ last_seen_at: v }),
  retiredAt: (v) => ({ retired_at: v }),
  updatedAt: (v) => ({ updated_at: v as number }),
};

function assetChangesToRow(changes: AssetChanges): Partial<Insertable<AssetsTable>> {
  let row: Partial<Insertable<AssetsTable>> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const column = assetColumns[key as keyof AssetChanges] as ((v: unknown) => object) | undefined;
    if (column) row = { ...row, ...column(value) };
  }
  return row;
}

export class KyselyAssetRepository extends TenantBound implements AssetRepository {
  async insertMany(assets: readonly Asset[]): Promise<void> {
    for (let i = 0; i < assets.length; i += INSERT_BATCH) {
      const rows = assets.slice(i, i + INSERT_BATCH).map(
        (a) =>
          ({
            id: a.id,
            tenant_id: this.tenantId,
            created_at: a.createdAt,
            ...assetChangesToRow(a),
          }) as Insertable<AssetsTable>,
      );
      await this.db.insertInto('assets').values(rows).execute();
    }
  }
  async get(id: string): Promise<Asset | undefined> {
    const row = await this.db
      .selectFrom('assets')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && assetFromRow(row);
  }
  async findByName(name: string): Promise<Asset | undefined> {
    const row = await this.db
      .selectFrom('assets')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('name_key', '=', name.toLowerCase())
      .executeTakeFirst();
    return row && assetFromRow(row);
  }
  async list(): Promise<Asset[]> {
    const rows = await this.db
      .selectFrom('assets')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('name_key')
      .execute();
    return rows.map(assetFromRow);
  }
  async page(filter: AssetListFilter, page: NamePage): Promise<BoundedPage<Asset>> {
    let matching = this.db.selectFrom('assets').where('tenant_id', '=', this.tenantId);
    if (filter.criticality !== undefined)
      matching = matching.where('criticality', '=', filter.criticality);
    if (filter.segmentId !== undefined)
      matching = matching.where('segment_id', '=', filter.segmentId);
    if (filter.text !== undefined && filter.text !== '') {
      // A substring, not a pattern: LIKE's wildcards in the text are matched as themselves.
      const needle = `%${filter.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      matching = matching.where((eb) =>
        eb.or(
          (['name_key', 'owner', 'addresses', 'tags'] as const).map(
            (column) => sql<boolean>`lower(${eb.ref(column)}) LIKE ${needle} ESCAPE '\\'`,
          ),
        ),
      );
    }
    const count = await boundedCount(this.db, matching);
    let rows = matching.selectAll();
    const after = page.after;
    if (after !== undefined)
      rows = rows.where((eb) =>
        eb.or([
          eb('name_key', '>', after.name),
          eb.and([eb('name_key', '=', after.name), eb('id', '>', after.id)]),
        ]),
      );
    const items = await rows.orderBy('name_key').orderBy('id').limit(page.limit).execute();
    return { ...count, items: items.map(assetFromRow) };
  }
  async update(id: string, changes: AssetChanges): Promise<void> {
    const row = assetChangesToRow(changes);
    if (Object.keys(row).length === 0) return;
    await this.db
      .updateTable('assets')
      .set(row)
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
  async markSeen(id: string, at: number): Promise<void> {
    await this.db
      .updateTable('assets')
      .set({ last_seen_at: at })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', at)]))
      .execute();
  }
}

const segmentFromRow = (r: Selectable<SegmentsTable>): NetworkSegment => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  cidr: r.cidr,
  vlan: r.vlan,
  zone: r.zone as SegmentZone,
  gateway: r.gateway,
  description: r.description,
  createdAt: r.created_at,
});

export class KyselySegmentRepository extends TenantBound implements SegmentRepository {
  async insert(s: NetworkSegment): Promise<void> {
    await this.db
      .insertInto('segments')
      .values({
        id: s.id,
        tenant_id: this.tenantId,
        name: s.name,
        cidr: s.cidr,
        vlan: s.vlan,
        zone: s.zone,
        gateway: s.gateway,
        description: s.description,
        created_at: s.createdAt,
      })
      .execute();
  }
  async get(id: string): Promise<NetworkSegment | undefined> {
    const row = await this.db
      .selectFrom('segments')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && segmentFromRow(row);
  }
  async list(): Promise<NetworkSegment[]> {
    const rows = await this.db
      .selectFrom('segments')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('name')
      .execute();
    return rows.map(segmentFromRow);
  }
}

export class KyselyRelationRepository extends TenantBound implements RelationRepository {
  async insert(r: AssetRelation): Promise<boolean> {
    const result = await this.db
      .insertInto('asset_relations')
      .values({
        id: r.id,
        tenant_id: this.tenantId,
        kind: r.kind,
        from_asset_id: r.fromAssetId,
        to_id: r.toId,
        created_at: r.createdAt,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'kind', 'from_asset_id', 'to_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  async list(filter: { assetId?: string; kind?: RelationKind } = {}): Promise<AssetRelation[]> {
    let query = this.db
      .selectFrom('asset_relations')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (filter.assetId) {
      const id = filter.assetId;
      query = query.where((eb) => eb.or([eb('from_asset_id', '=', id), eb('to_id', '=', id)]));
    }
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      kind: r.kind as RelationKind,
      fromAssetId: r.from_asset_id,
      toId: r.to_id,
      createdAt: r.created_at,
    }));
  }
  async delete(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('asset_relations')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

export class KyselyObservedHostRepository extends TenantBound implements ObservedHostRepository {
  async find(hostname: string, ip: string): Promise<ObservedHost | undefined> {
    const row = await this.db
      .selectFrom('observed_hosts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('hostname', '=', hostname)
      .where('ip', '=', ip)
      .executeTakeFirst();
    return row && observedFromRow(row);
  }
  async get(id: string): Promise<ObservedHost | undefined> {
    const row = await this.db
      .selectFrom('observed_hosts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && observedFromRow(row);
  }
  async insert(h: ObservedHost): Promise<void> {
    await this.db
      .insertInto('observed_hosts')
      .values({
        id: h.id,
        tenant_id: this.tenantId,
        hostname: h.hostname,
        ip: h.ip,
        first_seen_at: h.firstSeenAt,
        last_seen_at: h.lastSeenAt,
        dismissed_at: h.dismissedAt,
      })
      .execute();
  }
  async touch(id: string, seenAt: number): Promise<void> {
    const host = await this.get(id);
    if (!host) return;
    await this.db
      .updateTable('observed_hosts')
      .set({
        first_seen_at: Math.min(host.firstSeenAt, seenAt),
        last_seen_at: Math.max(host.lastSeenAt, seenAt),
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
  async dismiss(id: string, at: number): Promise<void> {
    await this.db
      .updateTable('observed_hosts')
      .set({ dismissed_at: at })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
  async list(): Promise<ObservedHost[]> {
    const rows = await this.db
      .selectFrom('observed_hosts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('hostname')
      .orderBy('ip')
      .execute();
    return rows.map(observedFromRow);
  }
}

const observedFromRow = (r: {
  id: string;
  tenant_id: string;
  hostname: string;
  ip: string;
  first_seen_at: number;
  last_seen_at: number;
  dismissed_at: number | null;
}): ObservedHost => ({
  id: r.id,
  tenantId: r.tenant_id,
  hostname: r.hostname,
  ip: r.ip,
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
  dismissedAt: r.dismissed_at,
});
