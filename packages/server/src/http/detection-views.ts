/** Alerts and detection settings as the API shows them. */
import type {
  Alert,
  AlertExplanation,
  AlertSuppression,
  DetectionExclusion,
  TenantRule,
} from '@cordon/core';
import { iso, isoOrNull } from './views.ts';

export const alertView = (a: Alert) => ({
  id: a.id,
  ruleId: a.ruleId,
  ruleTitle: a.ruleTitle,
  level: a.level,
  tags: [...a.tags],
  source: a.source,
  entities: {
    hosts: [...a.entities.hosts],
    users: [...a.entities.users],
    sourceIps: [...a.entities.sourceIps],
    ips: [...a.entities.ips],
  },
  firstSeen: iso(a.firstSeen),
  lastSeen: iso(a.lastSeen),
  count: a.count,
  eventIds: [...a.eventIds],
  eventCount: a.eventCount,
  status: a.status,
  incidentId: a.incidentId,
  suppressionId: a.suppressionId,
  closedReason: a.closedReason,
  ...(a.explanation ? { explanation: explanationView(a.explanation) } : {}),
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

export const suppressionView = (s: AlertSuppression) => ({
  id: s.id,
  ruleId: s.ruleId,
  fields: fieldsView(s.fields),
  reason: s.reason,
  expiresAt: isoOrNull(s.expiresAt),
  createdBy: s.createdBy,
  createdAt: iso(s.createdAt),
  hits: s.hits,
});

export const exclusionView = (e: DetectionExclusion) => ({
  id: e.id,
  ruleId: e.ruleId,
  fields: fieldsView(e.fields),
  reason: e.reason,
  createdBy: e.createdBy,
  createdAt: iso(e.createdAt),
});

export const tenantRuleView = (r: TenantRule, problems?: readonly string[]) => ({
  id: r.id,
  title: r.title,
  yaml: r.yaml,
  ruleIds: [...r.ruleIds],
  enabled: r.enabled,
  createdBy: r.createdBy,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
  ...(problems ? { problems: [...problems] } : {}),
});

const fieldsView = (fields: Readonly<Record<string, readonly string[]>>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [...v]]));

const copyValues = (
  values: Readonly<Record<string, number | string | readonly string[]>>,
): Record<string, number | string | string[]> =>
  Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === 'object' ? [...v] : v]),
  );

const explanationView = (e: AlertExplanation) => ({
  ...e,
  features: copyValues(e.features),
  baseline: copyValues(e.baseline),
});
