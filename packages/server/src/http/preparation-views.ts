/** Preparation records → API views (epoch milliseconds become RFC 3339 strings). */
import type {
  Asset,
  AssetImpact,
  AssetRelation,
  BackupJobWithStatus,
  BusinessFunction,
  Exercise,
  ExternalContact,
  NetworkSegment,
  OnCallNow,
  OnCallShift,
  PlanDocument,
  PlanVersion,
  ReadinessReport,
  ReadinessSnapshot,
  ReconciliationFinding,
  RoleAssignment,
} from '@cordon/core';
import { iso, isoOrNull } from './views.ts';

export const segmentView = (s: NetworkSegment) => ({
  id: s.id,
  name: s.name,
  cidr: s.cidr,
  vlan: s.vlan,
  zone: s.zone,
  gateway: s.gateway,
  description: s.description,
  createdAt: iso(s.createdAt),
});

export const assetView = (a: Asset) => ({
  id: a.id,
  name: a.name,
  kind: a.kind,
  addresses: [...a.addresses],
  mac: a.mac,
  os: a.os,
  owner: a.owner,
  location: a.location,
  criticality: a.criticality,
  tags: [...a.tags],
  segmentId: a.segmentId,
  redundancyGroup: a.redundancyGroup,
  agentInstalled: a.agentInstalled,
  operationalStatus: a.operationalStatus,
  lastSeenAt: isoOrNull(a.lastSeenAt),
  retiredAt: isoOrNull(a.retiredAt),
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

export const relationView = (r: AssetRelation) => ({
  id: r.id,
  kind: r.kind,
  fromAssetId: r.fromAssetId,
  toId: r.toId,
  createdAt: iso(r.createdAt),
});

export const impactView = (i: AssetImpact) => {
  const stopping = new Set(i.functionsThatStop.map((f) => f.function.id));
  return {
    asset: assetView(i.asset),
    peers: i.peers.map((p) => ({ assetId: p.asset.id, name: p.asset.name, healthy: p.healthy })),
    peerCanCarryLoad: i.peerCanCarryLoad,
    dependentAssets: i.dependentAssets.map((a) => ({ assetId: a.id, name: a.name })),
    functions: i.functions.map((f) => ({
      functionId: f.function.id,
      name: f.function.name,
      mtdMinutes: f.function.mtdMinutes,
      costPerHour: f.function.costPerHour,
      viaAssetId: f.viaAssetId,
      stops: stopping.has(f.function.id),
    })),
    shortestMtdMinutes: i.shortestMtdMinutes,
    costPerHour: i.costPerHour,
  };
};

export const functionView = (f: { function: BusinessFunction; assetIds: string[] }) => ({
  id: f.function.id,
  name: f.function.name,
  description: f.function.description,
  owner: f.function.owner,
  mtdMinutes: f.function.mtdMinutes,
  costPerHour: f.function.costPerHour,
  assetIds: f.assetIds,
  createdAt: iso(f.function.createdAt),
});

export const backupJobView = ({ job, status }: BackupJobWithStatus) => ({
  id: job.id,
  name: job.name,
  assetId: job.assetId,
  system: job.system,
  rpoMinutes: job.rpoMinutes,
  rtoMinutes: job.rtoMinutes,
  lastSuccessAt: isoOrNull(job.lastSuccessAt),
  lastRestoreTestAt: isoOrNull(job.lastRestoreTestAt),
  lastRestoreTestPassed: job.lastRestoreTestPassed,
  offlineCopy: job.offlineCopy,
  immutableCopy: job.immutableCopy,
  location: job.location,
  healthy: status.healthy,
  problems: [...status.problems],
  updatedAt: iso(job.updatedAt),
});

export const planView = (d: PlanDocument) => ({
  id: d.id,
  title: d.title,
  owner: d.owner,
  currentVersion: d.currentVersion,
  approvedBy: d.approvedBy,
  approvedAt: isoOrNull(d.approvedAt),
  lastReviewedAt: isoOrNull(d.lastReviewedAt),
  nextReviewAt: isoOrNull(d.nextReviewAt),
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
});

export const planVersionView = (v: PlanVersion) => ({
  version: v.version,
  body: v.body,
  author: v.author,
  createdAt: iso(v.createdAt),
});

export const roleView = (r: RoleAssignment) => ({
  role: r.role,
  primary: { ...r.primary },
  backup: r.backup ? { ...r.backup } : null,
  escalationRank: r.escalationRank,
  updatedAt: iso(r.updatedAt),
});

export const contactView = (c: ExternalContact) => ({
  id: c.id,
  kind: c.kind,
  name: c.name,
  organisation: c.organisation,
  phone: c.phone,
  email: c.email,
  notes: c.notes,
  createdAt: iso(c.createdAt),
});

export const exerciseView = (e: Exercise) => ({
  id: e.id,
  kind: e.kind,
  heldAt: iso(e.heldAt),
  notes: e.notes,
});

export function findingView(f: ReconciliationFinding) {
  switch (f.kind) {
    case 'undocumented':
      return {
        id: f.id,
        kind: f.kind,
        hostname: f.observedHost.hostname,
        ip: f.observedHost.ip,
        assetId: null,
        conflictingAssetId: null,
        lastSeenAt: iso(f.observedHost.lastSeenAt),
        resolutions: [...f.resolutions],
      };
    case 'stale':
      return {
        id: f.id,
        kind: f.kind,
        hostname: null,
        ip: null,
        assetId: f.asset.id,
        conflictingAssetId: null,
        lastSeenAt: isoOrNull(f.asset.lastSeenAt),
        resolutions: [...f.resolutions],
      };
    case 'address_conflict':
      return {
        id: f.id,
        kind: f.kind,
        hostname: f.observedHost.hostname,
        ip: f.observedHost.ip,
        assetId: f.namedAsset?.id ?? null,
        conflictingAssetId: f.addressAsset.id,
        lastSeenAt: iso(f.observedHost.lastSeenAt),
        resolutions: [...f.resolutions],
      };
  }
}

export const readinessView = (r: ReadinessReport) => ({
  score: r.score,
  checks: r.checks.map((c) => ({ ...c })),
  gaps: r.gaps.map((c) => ({ ...c })),
});

export const snapshotView = (s: ReadinessSnapshot) => ({
  id: s.id,
  at: iso(s.at),
  score: s.score,
  checks: s.checks.map((c) => ({ ...c })),
});

export const shiftView = (s: OnCallShift) => ({
  id: s.id,
  level: s.level,
  person: { ...s.person },
  startsAt: iso(s.startsAt),
  endsAt: iso(s.endsAt),
  note: s.note,
});

export const onCallNowView = (n: OnCallNow) => {
  const answer = (a: OnCallNow['primary']) =>
    a && {
      person: { ...a.person },
      source: a.source,
      shiftId: a.shiftId,
      until: isoOrNull(a.until),
    };
  return {
    at: iso(n.at),
    primary: answer(n.primary),
    secondary: answer(n.secondary),
    escalation: n.escalation.map(roleView),
  };
};
