/**
 * An alert: what a detection rule (or correlation) raised for a tenant, after triage. Repeats
 * of the same rule on the same entities within the merge window are one alert with a count;
 * the event ids it keeps are bounded (the first ones), `eventCount` counts them all.
 */
export const ALERT_STATUSES = ['open', 'acknowledged', 'closed', 'suppressed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** How many event ids an alert keeps; further events only raise `eventCount`. */
export const ALERT_EVENT_ID_LIMIT = 50;

/** The entities an alert is about, keys normalised (lower-case names, canonical addresses). */
export interface AlertEntities {
  readonly hosts: readonly string[];
  readonly users: readonly string[];
  /** Origin (source) addresses. */
  readonly sourceIps: readonly string[];
  /** Other addresses (destinations, host addresses): grouping keys, not origins. */
  readonly ips: readonly string[];
}

/**
 * Why a behavioural detector raised an alert, so that an analyst can check it: the score
 * against its threshold, the features measured and the baseline they were compared with. `key`
 * names what the detector watched (a pair, a host, a user); a false-positive verdict on the
 * alert allow-lists that key for that detector.
 */
export interface AlertExplanation {
  readonly detector: string;
  readonly key: string;
  readonly score: number;
  readonly threshold: number;
  readonly summary: string;
  readonly features: Readonly<Record<string, number | string | readonly string[]>>;
  readonly baseline: Readonly<Record<string, number | string | readonly string[]>>;
}

export interface Alert {
  readonly id: string;
  readonly tenantId: string;
  /** Sigma rule id (or name when the rule has no id). */
  readonly ruleId: string;
  readonly ruleTitle: string;
  readonly level: AlertLevel;
  readonly tags: readonly string[];
  /** Where the rule came from: the server's rule set or the tenant's own rules. */
  readonly source: 'server' | 'tenant';
  /** Same rule + same key within the window merge; derived from the entities. */
  readonly dedupeKey: string;
  readonly entities: AlertEntities;
  /** Event time (epoch ms) of the first and last event seen. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Detections merged into this alert (1 when raised). */
  readonly count: number;
  readonly eventIds: readonly string[];
  readonly eventCount: number;
  readonly status: AlertStatus;
  readonly incidentId: string | null;
  /** Why it is suppressed (the suppression's id) or closed. */
  readonly suppressionId: string | null;
  readonly closedReason: string | null;
  /** Set on alerts of behavioural detectors (rules explain themselves by their text). */
  readonly explanation?: AlertExplanation | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function isAlertStatus(value: string): value is AlertStatus {
  return (ALERT_STATUSES as readonly string[]).includes(value);
}

export function alertLevelIndex(level: AlertLevel): number {
  return ALERT_LEVELS.indexOf(level);
}

/** The merge key: the same rule on the same hosts, users and origins is the same alert. */
export function alertDedupeKey(entities: AlertEntities): string {
  const part = (values: readonly string[]): string => [...values].sort().join(',');
  return `h:${part(entities.hosts)}|u:${part(entities.users)}|s:${part(entities.sourceIps)}`;
}
