/**
 * Network documentation: assets, the segments they sit in and the relations between them.
 * An asset's `name` is its stable key inside a tenant (imports match on it); addresses are
 * IPv4/IPv6 literals. `lastSeenAt` comes from telemetry, never from people.
 */
export const ASSET_KINDS = [
  'workstation',
  'server',
  'network_device',
  'cloud_resource',
  'application',
] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** Most to least important; `critical` systems get the strictest backup checks. */
export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/** Whether the asset is serving right now, as the team or monitoring last said. */
export const OPERATIONAL_STATUSES = ['up', 'degraded', 'down', 'unknown'] as const;
export type OperationalStatus = (typeof OPERATIONAL_STATUSES)[number];

export const SEGMENT_ZONES = [
  'dmz',
  'server',
  'user',
  'ot',
  'management',
  'guest',
  'cloud',
] as const;
export type SegmentZone = (typeof SEGMENT_ZONES)[number];

export const RELATION_KINDS = ['depends_on', 'redundant_with', 'runs_function'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

export interface Asset {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly kind: AssetKind;
  readonly addresses: readonly string[];
  readonly mac: string | null;
  readonly os: string | null;
  readonly owner: string | null;
  readonly location: string | null;
  readonly criticality: Criticality;
  readonly tags: readonly string[];
  readonly segmentId: string | null;
  /** Peers with the same group name can take over from each other. */
  readonly redundancyGroup: string | null;
  readonly agentInstalled: boolean;
  readonly operationalStatus: OperationalStatus;
  /** Epoch ms of the last telemetry that named this asset. */
  readonly lastSeenAt: number | null;
  readonly retiredAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The fields people set; everything else is derived or kept by the system. */
export type AssetFields = Omit<
  Asset,
  'id' | 'tenantId' | 'lastSeenAt' | 'retiredAt' | 'createdAt' | 'updatedAt'
>;

export interface NetworkSegment {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly cidr: string;
  readonly vlan: number | null;
  readonly zone: SegmentZone;
  readonly gateway: string | null;
  readonly description: string;
  readonly createdAt: number;
}

/**
 * `from` is always an asset. `to` is an asset for `depends_on` and `redundant_with`, and a
 * business function for `runs_function`.
 */
export interface AssetRelation {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: RelationKind;
  readonly fromAssetId: string;
  readonly toId: string;
  readonly createdAt: number;
}

export const isAssetKind = (v: string): v is AssetKind =>
  (ASSET_KINDS as readonly string[]).includes(v);
export const isCriticality = (v: string): v is Criticality =>
  (CRITICALITIES as readonly string[]).includes(v);
export const isOperationalStatus = (v: string): v is OperationalStatus =>
  (OPERATIONAL_STATUSES as readonly string[]).includes(v);
