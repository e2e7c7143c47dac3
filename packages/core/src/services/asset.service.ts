/**
 * Network documentation use cases: segments, assets and their relations, and the inventory
 * import/export. An import is all-or-nothing: the refused rows are reported and the accepted
 * ones are applied in one transaction with one journal entry, or nothing is; importing the
 * same file again changes nothing.
 */
import { parseIpAddress, parseIpNetwork } from '@cordon/protocol';
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import type {
  Asset,
  AssetFields,
  AssetRelation,
  NetworkSegment,
  RelationKind,
  SegmentZone,
} from '../assets/asset.ts';
import { assetsToCsv, assetsToJson } from '../assets/asset-export.ts';
import type { ImportFormat, RefusedRow } from '../assets/asset-import.ts';
import { parseInventory } from '../assets/asset-import.ts';
import type { NetworkMap } from '../assets/network-map.ts';
import { networkMap } from '../assets/network-map.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { AssetChanges, AssetListFilter } from '../ports/preparation-repositories.ts';
import type { BoundedPage, NamePage } from '../ports/page.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import { PREPARATION_READ, PREPARATION_WRITE } from './preparation-access.ts';
import { requireTenantReferences } from '../tenants/tenant-references.ts';

export interface NewSegment {
  readonly name: string;
  readonly cidr: string;
  readonly vlan?: number | null;
  readonly zone: SegmentZone;
  readonly gateway?: string | null;
  readonly description?: string;
}

export type NewAsset = Pick<AssetFields, 'name' | 'kind'> & Partial<AssetFields>;
export type AssetUpdate = Partial<AssetFields>;

export interface ImportReport {
  readonly dryRun: boolean;
  readonly rows: number;
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: number;
  readonly refused: readonly RefusedRow[];
}

export class AssetService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async createSegment(
    principal: Principal,
    tenantId: string,
    input: NewSegment,
  ): Promise<NetworkSegment> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    const network = parseIpNetwork(input.cidr);
    if (!network) throw invalidInput(`cidr "${input.cidr}" is not an IPv4 or IPv6 network`);
    const gateway = input.gateway ? parseIpAddress(input.gateway) : undefined;
    if (input.gateway && !gateway)
      throw invalidInput(`gateway "${input.gateway}" is not an IP address`);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#tenant(uow, tenantId);
      if ((await scope.preparation.segments.list()).some((s) => s.name === input.name))
        throw new CordonError('conflict', `a segment named ${input.name} exists`);
      const segment: NetworkSegment = {
        id: newId(),
        tenantId,
        name: input.name,
        cidr: network.cidr,
        vlan: input.vlan ?? null,
        zone: input.zone,
        gateway: gateway?.address ?? null,
        description: input.description ?? '',
        createdAt: this.#clock.now(),
      };
      await scope.preparation.segments.insert(segment);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'segment.created',
        payload: {
          segmentId: segment.id,
          name: segment.name,
          cidr: segment.cidr,
          zone: segment.zone,
        },
      });
      return segment;
    });
  }

  async segments(principal: Principal, tenantId: string): Promise<NetworkSegment[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.segments.list(),
    );
  }

  async create(principal: Principal, tenantId: string, input: NewAsset): Promise<Asset> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#tenant(uow, tenantId);
      if (await scope.preparation.assets.findByName(input.name))
        throw new CordonError('conflict', `an asset named ${input.name} exists`);
      const fields = await this.#checkFields(scope, input);
      const now = this.#clock.now();
      const asset: Asset = {
        id: newId(),
        tenantId,
        addresses: [],
        mac: null,
        os: null,
        owner: null,
        location: null,
        criticality: 'medium',
        tags: [],
        segmentId: null,
        redundancyGroup: null,
        agentInstalled: false,
        operationalStatus: 'unknown',
        ...fields,
        name: input.name,
        kind: input.kind,
        lastSeenAt: null,
        retiredAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await scope.preparation.assets.insertMany([asset]);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'asset.created',
        payload: { assetId: asset.id, name: asset.name, kind: asset.kind },
      });
      return asset;
    });
  }

  async get(principal: Principal, tenantId: string, assetId: string): Promise<Asset> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => loadAsset(uow.forTenant(tenantId), assetId));
  }

  async list(principal: Principal, tenantId: string): Promise<Asset[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.assets.list(),
    );
  }

  /** A page of the inventory (`list` gives all of it, for exports and decisions). */
  async page(
    principal: Principal,
    tenantId: string,
    filter: AssetListFilter,
    page: NamePage,
  ): Promise<BoundedPage<Asset>> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.assets.page(filter, page),
    );
  }

  async update(
    principal: Principal,
    tenantId: string,
    assetId: string,
    input: AssetUpdate,
  ): Promise<Asset> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const asset = await loadAsset(scope, assetId);
      if (input.name !== undefined && input.name !== asset.name) {
        const other = await scope.preparation.assets.findByName(input.name);
        if (other) throw new CordonError('conflict', `an asset named ${input.name} exists`);
      }
      const changes = changedFields(asset, await this.#checkFields(scope, input));
      if (Object.keys(changes).length === 0) return asset;
      const updatedAt = this.#clock.now();
      await scope.preparation.assets.update(assetId, { ...changes, updatedAt });
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'asset.updated',
        payload: { assetId, changes },
      });
      return { ...asset, ...changes, updatedAt };
    });
  }

  async retire(principal: Principal, tenantId: string, assetId: string): Promise<Asset> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const asset = await loadAsset(scope, assetId);
      if (asset.retiredAt !== null) return asset;
      const now = this.#clock.now();
      await scope.preparation.assets.update(assetId, { retiredAt: now, updatedAt: now });
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'asset.retired',
        payload: { assetId, name: asset.name },
      });
      return { ...asset, retiredAt: now, updatedAt: now };
    });
  }

  async relate(
    principal: Principal,
    tenantId: string,
    input: { kind: RelationKind; fromAssetId: string; toId: string },
  ): Promise<AssetRelation> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    if (input.fromAssetId === input.toId) throw invalidInput('an asset cannot relate to itself');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadAsset(scope, input.fromAssetId);
      if (input.kind === 'runs_function') {
        if (!(await scope.preparation.functions.get(input.toId)))
          throw notFound('business function');
      } else await loadAsset(scope, input.toId);
      const relation: AssetRelation = {
        id: newId(),
        tenantId,
        ...input,
        createdAt: this.#clock.now(),
      };
      const existing = (
        await scope.preparation.relations.list({ assetId: input.fromAssetId })
      ).find(
        (r) =>
          r.kind === input.kind && r.fromAssetId === input.fromAssetId && r.toId === input.toId,
      );
      if (existing) return existing;
      await scope.preparation.relations.insert(relation);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'asset.related',
        payload: { relationId: relation.id, ...input },
      });
      return relation;
    });
  }

  async relations(
    principal: Principal,
    tenantId: string,
    assetId: string,
  ): Promise<AssetRelation[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadAsset(scope, assetId);
      return scope.preparation.relations.list({ assetId });
    });
  }

  /** The network to draw: segments, up to `limit` assets, their relations and redundancy groups. */
  async network(
    principal: Principal,
    tenantId: string,
    options: { readonly segmentId?: string | null; readonly limit: number },
  ): Promise<NetworkMap> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => {
      const { preparation } = uow.forTenant(tenantId);
      const segments = await preparation.segments.list();
      if (options.segmentId && !segments.some((s) => s.id === options.segmentId))
        throw notFound('segment');
      return networkMap({
        assets: await preparation.assets.list(),
        segments,
        relations: await preparation.relations.list(),
        segmentId: options.segmentId,
        limit: options.limit,
      });
    });
  }

  async unrelate(principal: Principal, tenantId: string, relationId: string): Promise<void> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.preparation.relations.delete(relationId))) throw notFound('relation');
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'asset.unrelated',
        payload: { relationId },
      });
    });
  }

  /**
   * Applies an inventory file. Rows are matched to assets by name: new names are created,
   * changed ones updated, the rest left alone. Assets absent from the file are not touched
   * (an inventory may cover part of the estate); retire them explicitly.
   */
  async importInventory(
    principal: Principal,
    tenantId: string,
    input: { text: string; format: ImportFormat; dryRun: boolean },
  ): Promise<ImportReport> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    const parsed = parseInventory(input.text, input.format);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#tenant(uow, tenantId);
      const segments = new Map(
        (await scope.preparation.segments.list()).map((s) => [s.name.toLowerCase(), s.id]),
      );
      const existing = new Map(
        (await scope.preparation.assets.list()).map((a) => [a.name.toLowerCase(), a]),
      );
      const refused = [...parsed.refused];
      const inserts: Asset[] = [];
      const updates: { asset: Asset; changes: AssetChanges }[] = [];
      let unchanged = 0;
      const now = this.#clock.now();
      for (const row of parsed.rows) {
        const segmentId =
          row.segmentName === null ? null : segments.get(row.segmentName.toLowerCase());
        if (segmentId === undefined) {
          refused.push({ line: row.line, reason: `segment "${row.segmentName}" does not exist` });
          continue;
        }
        const fields: AssetFields = { ...row.fields, segmentId };
        const current = existing.get(fields.name.toLowerCase());
        if (!current) {
          inserts.push({
            id: newId(),
            tenantId,
            ...fields,
            lastSeenAt: null,
            retiredAt: null,
            createdAt: now,
            updatedAt: now,
          });
          continue;
        }
        const changes = changedFields(current, fields);
        if (current.retiredAt !== null) Object.assign(changes, { retiredAt: null });
        if (Object.keys(changes).length === 0) unchanged++;
        else updates.push({ asset: current, changes });
      }
      refused.sort((a, b) => a.line - b.line);
      const report: ImportReport = {
        dryRun: input.dryRun,
        rows: parsed.rows.length + parsed.refused.length,
        created: inserts.map((a) => a.name),
        updated: updates.map((u) => u.asset.name),
        unchanged,
        refused,
      };
      if (input.dryRun || (inserts.length === 0 && updates.length === 0)) return report;
      await scope.preparation.assets.insertMany(inserts);
      for (const { asset, changes } of updates)
        await scope.preparation.assets.update(asset.id, { ...changes, updatedAt: now });
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'assets.imported',
        payload: {
          format: input.format,
          created: report.created,
          updated: updates.map((u) => ({ name: u.asset.name, changes: u.changes })),
          unchanged,
          refused: refused.length,
        },
      });
      return report;
    });
  }

  async exportInventory(
    principal: Principal,
    tenantId: string,
    format: ImportFormat,
  ): Promise<string> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => {
      const p = uow.forTenant(tenantId).preparation;
      const assets = (await p.assets.list()).filter((a) => a.retiredAt === null);
      const segments = await p.segments.list();
      return format === 'csv' ? assetsToCsv(assets, segments) : assetsToJson(assets, segments);
    });
  }

  async #checkFields(
    scope: TenantScope,
    input: Partial<AssetFields>,
  ): Promise<Partial<AssetFields>> {
    const fields: Record<string, unknown> = Object.fromEntries(
      Object.entries(input).filter(([, v]) => v !== undefined),
    );
    if (input.addresses) {
      const canonical: string[] = [];
      for (const a of input.addresses) {
        const parsed = parseIpAddress(a);
        if (!parsed) throw invalidInput(`address "${a}" is not an IPv4 or IPv6 address`);
        if (!canonical.includes(parsed.address)) canonical.push(parsed.address);
      }
      fields['addresses'] = canonical;
    }
    if (input.tags) fields['tags'] = [...new Set(input.tags)].sort();
    await requireTenantReferences(scope, { segmentIds: [input.segmentId] });
    return fields;
  }

  async #tenant(uow: { tenants: { get(id: string): Promise<unknown> } }, tenantId: string) {
    if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
  }
}

export async function loadAsset(scope: TenantScope, assetId: string): Promise<Asset> {
  const asset = await scope.preparation.assets.get(assetId);
  if (!asset) throw notFound('asset');
  return asset;
}

/** The fields whose value differs, compared by their JSON form (arrays included). */
function changedFields(asset: Asset, fields: Partial<AssetFields>): AssetChanges {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (JSON.stringify(asset[key as keyof Asset]) !== JSON.stringify(value)) changes[key] = value;
  }
  return changes;
}
