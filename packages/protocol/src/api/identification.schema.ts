/** An incident's identification facts, each with its sources, and an analyst's corrections. */
import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid, closed, literals } from './common.schema.ts';

export const FactKind = literals([
  'asset',
  'technique',
  'tactic',
  'category',
  'origin',
  'activity',
]);
export const FactState = literals(['inferred', 'corrected', 'removed']);
export const OriginClass = literals(['internal', 'lab', 'external']);
export const AttackCategoryName = literals([
  'malware',
  'ransomware',
  'credential_attack',
  'phishing',
  'web_attack',
  'lateral_movement',
  'command_and_control',
  'data_exfiltration',
  'insider',
  'denial_of_service',
]);

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const FactSourceView = closed(
  {
    kind: literals(['rule', 'inventory', 'catalogue', 'network', 'geo', 'mapping', 'analyst']),
    ruleId: Type.Optional(Type.String()),
    alertId: Type.Optional(Type.String()),
    assetId: Type.Optional(Type.String()),
    matchedBy: Type.Optional(literals(['hostname', 'address', 'agent'])),
    value: Type.Optional(Type.String()),
    version: Type.Optional(Type.String()),
    segmentId: Type.Optional(Nullable(Type.String())),
    range: Type.Optional(Nullable(Type.String())),
    database: Type.Optional(Type.String()),
    basis: Type.Optional(Type.String()),
    actor: Type.Optional(Type.String()),
    at: Type.Optional(Timestamp),
    reason: Type.Optional(Nullable(Type.String())),
  },
  { description: 'where a fact came from: a rule, the inventory, the ATT&CK catalogue, …' },
);

const meta = {
  key: Type.String(),
  state: FactState,
  sources: Type.Array(FactSourceView),
  updatedAt: Timestamp,
  updatedBy: Type.String(),
};

export const AssetFactView = closed({
  ...meta,
  assetId: Nullable(Type.String()),
  name: Type.String(),
  assetKind: Nullable(Type.String()),
  criticality: Nullable(Type.String()),
  owner: Nullable(Type.String()),
  segment: Nullable(closed({ id: Type.String(), name: Type.String(), zone: Type.String() })),
  functions: Type.Array(
    closed({
      id: Type.String(),
      name: Type.String(),
      mtdMinutes: Type.Number(),
      costPerHour: Type.Number(),
    }),
  ),
  seenAs: Type.Array(Type.String()),
});

export const TechniqueFactView = closed({
  ...meta,
  id: Type.String(),
  name: Nullable(Type.String()),
  tactics: Type.Array(Type.String()),
});

export const TacticFactView = closed({
  ...meta,
  id: Type.String(),
  shortname: Type.String(),
  name: Type.String(),
});

export const CategoryFactView = closed({
  ...meta,
  category: AttackCategoryName,
  basis: Type.Array(Type.String()),
});

export const OriginFactView = closed({
  ...meta,
  address: Type.String(),
  class: OriginClass,
  segment: Nullable(closed({ id: Type.String(), name: Type.String() })),
  range: Nullable(Type.String()),
  country: Nullable(Type.String()),
  asn: Nullable(Type.Integer()),
  asOrganisation: Nullable(Type.String()),
});

export const ActivityFactView = closed({ ...meta, at: Timestamp });

export const IdentificationView = closed({
  incidentId: Uuid,
  category: Nullable(CategoryFactView),
  assets: Type.Array(AssetFactView),
  techniques: Type.Array(TechniqueFactView),
  tactics: Type.Array(TacticFactView),
  origins: Type.Array(OriginFactView),
  firstActivity: Nullable(ActivityFactView),
  lastActivity: Nullable(ActivityFactView),
  /** Facts an analyst removed: inference leaves them out from then on. */
  removed: Type.Array(closed({ kind: FactKind, ...meta, label: Type.String() })),
  catalogue: closed({
    source: Type.String(),
    version: Type.String(),
    specVersion: Type.String(),
    attribution: Type.String(),
  }),
  geoDatabase: Nullable(Type.String()),
});

export const IdentificationCorrectionRequest = closed(
  {
    action: literals(['set', 'add', 'remove']),
    kind: FactKind,
    /** remove: the fact's key (asset id or host:<name>, technique id, tactic shortname, address, first|last). */
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    /** asset: a host name, alias or address from the inventory (or an undocumented host). */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    /** technique: T1059 or T1059.001 */
    id: Type.Optional(Type.String({ pattern: '^[Tt][0-9]{4}(\\.[0-9]{3})?$' })),
    /** tactic: execution, command-and-control (or command_and_control, TA0011) */
    shortname: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    category: Type.Optional(AttackCategoryName),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    class: Type.Optional(OriginClass),
    /** activity: the time (key first or last) */
    at: Type.Optional(Timestamp),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  {
    description:
      'set (add or replace), add (only if absent) or remove one identification fact; the correction is journalled and wins over later inference',
  },
);
