/** Recovery, verification and closure records → API views (epoch ms become RFC 3339). */
import type {
  ChangeRecord,
  ClosingReview,
  ClosureSummary,
  ContainmentRelease,
  RestoreRecord,
  VerificationCheck,
  VerificationRun,
} from '@cordon/core';
import { iso, isoOrNull } from './views.ts';

export const changeRecordView = (c: ChangeRecord) => ({
  id: c.id,
  incidentId: c.incidentId,
  area: c.area,
  title: c.title,
  description: c.description,
  reason: c.reason,
  changedBy: c.changedBy,
  changedAt: iso(c.changedAt),
  finding: c.finding,
  mitigationId: c.mitigationId,
  recordedBy: c.recordedBy,
  createdAt: iso(c.createdAt),
});

export const restoreView = (r: RestoreRecord) => ({
  id: r.id,
  incidentId: r.incidentId,
  taskId: r.taskId,
  backupJobId: r.backupJobId,
  restorePointAt: isoOrNull(r.restorePointAt),
  restorePointLabel: r.restorePointLabel,
  status: r.status,
  detail: r.detail,
  requestedBy: r.requestedBy,
  completedBy: r.completedBy,
  createdAt: iso(r.createdAt),
  completedAt: isoOrNull(r.completedAt),
});

export const releaseView = (r: ContainmentRelease) => ({
  id: r.id,
  incidentId: r.incidentId,
  checklist: r.checklist.map((e) => ({ ...e })),
  overrideJustification: r.overrideJustification,
  actionIds: [...r.actionIds],
  releasedBy: r.releasedBy,
  createdAt: iso(r.createdAt),
});

export const runView = (r: VerificationRun) => ({
  id: r.id,
  checkId: r.checkId,
  status: r.status,
  actor: r.actor,
  startedAt: iso(r.startedAt),
  finishedAt: isoOrNull(r.finishedAt),
  windowFrom: isoOrNull(r.windowFrom),
  windowTo: isoOrNull(r.windowTo),
  findings: r.findings,
  reason: r.reason,
  actionId: r.actionId,
});

export const checkView = (c: VerificationCheck, lastRun?: VerificationRun | null) => ({
  id: c.id,
  incidentId: c.incidentId,
  title: c.title,
  kind: c.spec.kind,
  spec: c.spec,
  reopens: c.reopens,
  schedule: c.schedule && {
    intervalMinutes: c.schedule.intervalMinutes,
    until: iso(c.schedule.untilAt),
    nextRunAt: isoOrNull(c.schedule.nextRunAt),
  },
  lastStatus: c.lastStatus,
  createdBy: c.createdBy,
  createdAt: iso(c.createdAt),
  ...(lastRun === undefined ? {} : { lastRun: lastRun && runView(lastRun) }),
});

export const closingReviewView = (r: ClosingReview) => ({
  incidentId: r.incidentId,
  whatHappened: r.whatHappened,
  whatWorked: r.whatWorked,
  whatToChange: r.whatToChange,
  followUps: r.followUps.map((f) => ({
    title: f.title,
    owner: f.owner,
    due: iso(f.dueAt),
    done: f.done,
  })),
  author: r.author,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export const closureView = (s: ClosureSummary) => ({
  phase: s.incident.phase,
  review: s.review && closingReviewView(s.review),
  metrics: {
    timeToDetectMs: s.metrics.timeToDetectMs,
    timeToAcknowledgeMs: s.metrics.timeToAcknowledgeMs,
    timeToIdentifyMs: s.metrics.timeToIdentifyMs ?? null,
    timeToContainMs: s.metrics.timeToContainMs,
    timeToEradicateMs: s.metrics.timeToEradicateMs ?? null,
    timeToRecoverMs: s.metrics.timeToRecoverMs,
    timeToVerifyMs: s.metrics.timeToVerifyMs ?? null,
    timeToCloseMs: s.metrics.timeToCloseMs ?? null,
  },
  reopened: s.reopened,
  changeRecords: s.changeRecords,
  restores: { ...s.restores },
  checks: { ...s.checks },
  openFollowUps: s.openFollowUps,
});
