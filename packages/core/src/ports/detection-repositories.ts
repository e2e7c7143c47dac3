/**
 * The detection part of the storage port: alerts, suppressions, exclusions and the tenant's
 * own rules. Reached as `scope.detection` from a `TenantScope`, bound to one tenant.
 */
import type { Alert, AlertLevel, AlertStatus } from '../detection/alert.ts';
import type {
  AlertSuppression,
  DetectionExclusion,
  TenantRule,
} from '../detection/detection-filters.ts';
import type { RulePackSetting } from '../detection/rule-pack-setting.ts';
import type { BoundedPage, Page } from './store.ts';

export interface DetectionRepositories {
  readonly alerts: AlertRepository;
  readonly suppressions: SuppressionRepository;
  readonly exclusions: ExclusionRepository;
  readonly rules: TenantRuleRepository;
  readonly rulePacks: RulePackRepository;
}

export interface AlertFilter {
  readonly status?: AlertStatus;
  readonly level?: AlertLevel;
  /** User key (as alert entities keep it). */
  readonly user?: string;
  /** Last seen at or after / before (ms). */
  readonly lastSeenFrom?: number;
  readonly lastSeenTo?: number;
  readonly ruleId?: string;
  /** Host key (lower-case name). */
  readonly host?: string;
  readonly incidentId?: string;
}

export type AlertChanges = Partial<
  Pick<
    Alert,
    | 'lastSeen'
    | 'firstSeen'
    | 'count'
    | 'eventIds'
    | 'eventCount'
    | 'status'
    | 'incidentId'
    | 'suppressionId'
    | 'closedReason'
    | 'explanation'
    | 'updatedAt'
  >
>;

/** An entity key to look alerts up by: kind `host` | `user` | `ip` and its normalised value. */
export interface EntityKey {
  readonly kind: 'host' | 'user' | 'ip';
  readonly value: string;
}

export interface AlertRepository {
  insert(alert: Alert): Promise<void>;
  get(id: string): Promise<Alert | undefined>;
  update(id: string, changes: AlertChanges): Promise<void>;
  /** Most recently seen first (then id); `page.after` continues after an alert. */
  list(filter: AlertFilter, page: Page): Promise<BoundedPage<Alert>>;
  /** The latest alert of `ruleId` with `dedupeKey`, not closed, last seen at or after `since`. */
  findMergeable(ruleId: string, dedupeKey: string, since: number): Promise<Alert | undefined>;
  /**
   * Incident ids of alerts sharing any of `entities`, last seen at or after `since`, that are
   * attached to an incident; most recent first.
   */
  incidentsSharing(entities: readonly EntityKey[], since: number): Promise<string[]>;
}

export interface SuppressionRepository {
  insert(suppression: AlertSuppression): Promise<void>;
  get(id: string): Promise<AlertSuppression | undefined>;
  list(): Promise<AlertSuppression[]>;
  delete(id: string): Promise<boolean>;
  addHits(id: string, hits: number): Promise<void>;
}

export interface ExclusionRepository {
  insert(exclusion: DetectionExclusion): Promise<void>;
  get(id: string): Promise<DetectionExclusion | undefined>;
  list(): Promise<DetectionExclusion[]>;
  delete(id: string): Promise<boolean>;
}

export interface TenantRuleRepository {
  insert(rule: TenantRule): Promise<void>;
  get(id: string): Promise<TenantRule | undefined>;
  list(): Promise<TenantRule[]>;
  update(id: string, changes: Partial<Pick<TenantRule, 'enabled' | 'updatedAt'>>): Promise<void>;
  delete(id: string): Promise<boolean>;
}

/** The tenant's rule pack settings (only packs it changed). */
export interface RulePackRepository {
  list(): Promise<RulePackSetting[]>;
  /** Inserts or replaces the setting of `setting.pack`. */
  put(setting: RulePackSetting): Promise<void>;
}
