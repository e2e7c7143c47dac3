/** Domain objects → API views: epoch milliseconds become RFC 3339 strings. */
import type {
  ApiToken,
  Evidence,
  Incident,
  IncidentNote,
  IncidentTask,
  JournalCheckpoint,
  JournalEntry,
  Observable,
  PhaseTransition,
  Tenant,
  User,
} from '@cordon/core';
import { formatIncidentNumber } from '@cordon/core';

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
export const msOf = (text: string): number => Date.parse(text);

export const tenantView = (t: Tenant) => ({ id: t.id, name: t.name, createdAt: iso(t.createdAt) });
export const userView = (u: User) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  platformAdmin: u.platformAdmin,
});

export const incidentView = (i: Incident) => ({
  id: i.id,
  tenantId: i.tenantId,
  number: i.number,
  reference: formatIncidentNumber(i),
  title: i.title,
  summary: i.summary,
  severity: i.severity,
  phase: i.phase,
  assigneeUserId: i.assigneeUserId,
  affectedAssets: [...i.affectedAssets],
  attackTechniques: [...i.attackTechniques],
  origins: i.origins.map((o) => ({ ...o })),
  containmentNote: i.containmentNote,
  rootCause: i.rootCause,
  scope: i.scope,
  lessonsLearned: i.lessonsLearned,
  closureReason: i.closureReason,
  duplicateOf: i.duplicateOf,
  firstActivityAt: isoOrNull(i.firstActivityAt),
  acknowledgedAt: isoOrNull(i.acknowledgedAt),
  phaseTimes: Object.fromEntries(Object.entries(i.phaseTimes).map(([k, v]) => [k, iso(v)])),
  createdAt: iso(i.createdAt),
  updatedAt: iso(i.updatedAt),
});

export const transitionView = (t: PhaseTransition) => ({
  from: t.from,
  to: t.to,
  at: iso(t.at),
  actor: t.actor,
  overrideJustification: t.overrideJustification,
  unmetConditions: [...t.unmetConditions],
});

export const noteView = (n: IncidentNote) => ({
  id: n.id,
  author: n.author,
  body: n.body,
  createdAt: iso(n.createdAt),
});

export const observableView = (o: Observable) => ({
  id: o.id,
  kind: o.kind,
  value: o.value,
  firstSeen: iso(o.firstSeen),
  lastSeen: iso(o.lastSeen),
  note: o.note,
});

export const taskView = (t: IncidentTask) => ({
  id: t.id,
  phase: t.phase,
  title: t.title,
  status: t.status,
  createdAt: iso(t.createdAt),
  completedAt: isoOrNull(t.completedAt),
  completedBy: t.completedBy,
  waiverReason: t.waiverReason ?? null,
});

export const tokenView = (t: ApiToken) => ({
  id: t.id,
  tenantId: t.tenantId,
  role: t.role,
  name: t.name,
  createdBy: t.createdBy,
  createdAt: iso(t.createdAt),
  lastUsedAt: isoOrNull(t.lastUsedAt),
  revokedAt: isoOrNull(t.revokedAt),
});

export const evidenceView = (e: Evidence) => ({
  id: e.id,
  incidentId: e.incidentId,
  sha256: e.sha256,
  size: e.size,
  filename: e.filename,
  mediaType: e.mediaType,
  description: e.description,
  collectedBy: e.collectedBy,
  collectedFrom: e.collectedFrom,
  collectedAt: iso(e.collectedAt),
  method: e.method,
  uploadedBy: e.uploadedBy,
  createdAt: iso(e.createdAt),
});

export const journalEntryView = (e: JournalEntry) => ({
  seq: e.seq,
  at: iso(e.at),
  atMs: e.at,
  actor: e.actor,
  kind: e.kind,
  incidentId: e.incidentId,
  payload: e.payload,
  prevHash: e.prevHash,
  hash: e.hash,
});

export const checkpointView = (c: JournalCheckpoint) => ({
  seq: c.seq,
  hash: c.hash,
  at: iso(c.at),
  keyId: c.keyId,
  signature: c.signature,
  number: c.chain?.number ?? null,
  entries: c.chain?.entries ?? null,
  prevCheckpointHash: c.chain?.prevHash ?? null,
});

export function pageParams(query: { limit?: string; offset?: string }): {
  limit: number;
  offset: number;
} {
  const limit = query.limit === undefined ? 50 : Math.min(1000, Math.max(1, Number(query.limit)));
  return { limit, offset: query.offset === undefined ? 0 : Number(query.offset) };
}
