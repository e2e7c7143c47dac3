/**
 * The storage port. Every change happens inside `transaction`, and the journal entry that
 * records it is appended through the same unit of work, so the change and its record commit
 * or roll back together. Tenant data is reachable only through `forTenant(id)`, whose
 * repositories bind every query to that tenant: forgetting the tenant is not expressible.
 */
import type { Role } from '../access/role.ts';
import type { Evidence } from '../evidence/evidence.ts';
import type { Incident, Phase, Severity } from '../incidents/incident.ts';
import type {
  AlertLink,
  IncidentNote,
  Observable,
  ObservableKind,
  PhaseTransition,
} from '../incidents/incident-records.ts';
import type { IncidentTask, TaskStatus } from '../incidents/incident-task.ts';
import type { JournalCheckpoint } from '../journal/checkpoint.ts';
import type { JournalEntry, JournalRecord } from '../journal/journal-entry.ts';
import type { JournalHead } from '../journal/journal-verifier.ts';
import type { PreparationRepositories } from './preparation-repositories.ts';
import type { RecoveryRepositories } from './recovery-repositories.ts';
import type { IdentificationRepository } from '../identification/identification-repository.ts';
import type { PlaybookRepositories } from '../playbooks/stored-playbook.ts';
import type { GuaranteeRepositories } from '../guarantee/guarantee-repositories.ts';
import type { NotificationRepositories } from '../notifications/notification-repositories.ts';
import type { WatchlistRepository } from '../intel/watchlist.ts';
import type { ReportTemplateRepository } from '../reports/report-template.ts';
import type { DetectionRepositories } from './detection-repositories.ts';
import type { DetectorRepository } from './detector-repositories.ts';
import type { EradicationRepositories } from './eradication-repositories.ts';
import type { ContractRepositories } from './contract-repositories.ts';
import type { DemoTenantRepository, OverviewQueries } from './overview-queries.ts';
import type {
  ContainmentRepositories,
  EnrolmentTokenConsumer,
} from './containment-repositories.ts';
import type {
  ApiToken,
  Membership,
  Session,
  Tenant,
  User,
  UserWithSecret,
} from '../tenants/tenant.ts';

export interface Page {
  readonly limit: number;
  readonly offset: number;
  /** Keyset paging: the sort key of the last item of the previous page (lists that offer it). */
  readonly after?: PageCursor;
}

/** Where a keyset page starts: after the item with this sort value and tie-breaker. */
export interface PageCursor {
  readonly at: number;
  readonly tie: string;
}

import type { BoundedPage } from './page.ts';
export type { BoundedPage, NameCursor, NamePage } from './page.ts';

export interface Store {
  transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface UnitOfWork {
  readonly tenants: TenantRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiTokens: ApiTokenRepository;
  /** The platform journal (events that belong to no tenant). */
  readonly platformJournal: JournalRepository;
  /** Agent enrolment tokens, looked up by hash before the tenant is known. */
  readonly enrolmentTokens: EnrolmentTokenConsumer;
  /** Overview figures over the tenants a caller may see (the console's first screens). */
  readonly overview: OverviewQueries;
  readonly demoTenants: DemoTenantRepository;
  /** Platform-wide watchlists (matched for every tenant). */
  readonly platformWatchlists: WatchlistRepository;
  forTenant(tenantId: string): TenantScope;
}

export interface TenantScope {
  readonly tenantId: string;
  readonly incidents: IncidentRepository;
  readonly notes: NoteRepository;
  readonly observables: ObservableRepository;
  readonly alertLinks: AlertLinkRepository;
  readonly tasks: TaskRepository;
  readonly transitions: TransitionRepository;
  readonly evidence: EvidenceRepository;
  readonly journal: JournalRepository;
  readonly memberships: MembershipRepository;
  readonly tokens: TenantTokenRepository;
  /** Network documentation, continuity, the response plan and readiness history. */
  readonly preparation: PreparationRepositories;
  /** Alerts, suppressions, exclusions and the tenant's own detection rules. */
  readonly detection: DetectionRepositories;
  /** Agents, containment actions, enrolment tokens, release codes, auto-containment policy. */
  readonly containment: ContainmentRepositories;
  /** Waivers of eradication actions. */
  readonly eradication: EradicationRepositories;
  /** Change records, restores, releases, verification checks and runs, closing reviews. */
  readonly recovery: RecoveryRepositories;
  /** Identification facts of the tenant's incidents, with their sources and corrections. */
  readonly identification: IdentificationRepository;
  /** CACAO playbooks with their versions, and their runs on incidents. */
  readonly playbooks: PlaybookRepositories;
  /** The tenant contract (calendar, SLA, regimes), SLA pauses, clock marks, reporting records. */
  readonly contracts: ContractRepositories;
  /** The service guarantee: contract versions, readiness-gap notices and the ledger. */
  readonly guarantee: GuaranteeRepositories;
  /** Notification channels, routing rules, the router's journal position and the outbox. */
  readonly notifications: NotificationRepositories;
  /** Behavioural detectors' baselines, allow-lists and threshold overrides. */
  readonly detectors: DetectorRepository;
  /** The tenant's own watchlists of indicators. */
  readonly watchlists: WatchlistRepository;
  /** The tenant's stored report templates, one per report kind. */
  readonly reportTemplates: ReportTemplateRepository;
}

export interface TenantRepository {
  insert(tenant: Tenant): Promise<void>;
  get(id: string): Promise<Tenant | undefined>;
  findByName(name: string): Promise<Tenant | undefined>;
  list(): Promise<Tenant[]>;
}

export interface UserRepository {
  insert(user: UserWithSecret): Promise<void>;
  get(id: string): Promise<User | undefined>;
  findByEmailWithSecret(email: string): Promise<UserWithSecret | undefined>;
  memberships(userId: string): Promise<Membership[]>;
  setPassword(userId: string, passwordHash: string): Promise<void>;
  countPlatformAdmins(): Promise<number>;
}

export interface SessionRepository {
  insert(session: Session): Promise<void>;
  get(idHash: string): Promise<Session | undefined>;
  delete(idHash: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

/** Token lookup by hash happens before the tenant is known, so it is platform-level. */
export interface ApiTokenRepository {
  findByHash(tokenHash: string): Promise<ApiToken | undefined>;
  touch(id: string, at: number): Promise<void>;
}

export interface TenantTokenRepository {
  insert(token: ApiToken, tokenHash: string): Promise<void>;
  list(): Promise<ApiToken[]>;
  get(id: string): Promise<ApiToken | undefined>;
  revoke(id: string, at: number): Promise<boolean>;
}

export interface MembershipRepository {
  upsert(userId: string, role: Role): Promise<void>;
  list(): Promise<(Membership & { email: string; displayName: string })[]>;
}

export interface IncidentFilter {
  readonly phase?: Phase;
  readonly severity?: Severity;
  readonly createdFrom?: number;
  readonly createdTo?: number;
}

export type IncidentChanges = Partial<Omit<Incident, 'id' | 'tenantId' | 'number' | 'createdAt'>>;

export interface IncidentRepository {
  nextNumber(): Promise<number>;
  insert(incident: Incident): Promise<void>;
  get(id: string): Promise<Incident | undefined>;
  /** Newest first (created, then number); `page.after` continues after an incident. */
  list(filter: IncidentFilter, page: Page): Promise<BoundedPage<Incident>>;
  update(id: string, changes: IncidentChanges): Promise<void>;
}

export interface NoteRepository {
  insert(note: IncidentNote): Promise<void>;
  list(incidentId: string): Promise<IncidentNote[]>;
}

export interface ObservableRepository {
  /** Inserts, or widens first/last seen of the existing (kind, value) on the incident. */
  upsert(observable: Observable): Promise<Observable>;
  list(incidentId: string): Promise<Observable[]>;
  get(id: string): Promise<Observable | undefined>;
  delete(id: string): Promise<boolean>;
  findByKindValue(
    incidentId: string,
    kind: ObservableKind,
    value: string,
  ): Promise<Observable | undefined>;
}

export interface AlertLinkRepository {
  insert(link: AlertLink): Promise<boolean>;
  list(incidentId: string): Promise<AlertLink[]>;
}

export interface TaskRepository {
  insert(task: IncidentTask): Promise<void>;
  get(id: string): Promise<IncidentTask | undefined>;
  list(incidentId: string): Promise<IncidentTask[]>;
  /** `waiverReason` with status `waived` only. */
  setStatus(
    id: string,
    status: TaskStatus,
    at: number,
    by: string,
    waiverReason?: string,
  ): Promise<void>;
}

export interface TransitionRepository {
  insert(transition: PhaseTransition): Promise<void>;
  list(incidentId: string): Promise<PhaseTransition[]>;
}

export interface EvidenceRepository {
  insert(evidence: Evidence): Promise<void>;
  get(id: string): Promise<Evidence | undefined>;
  list(filter: { incidentId?: string }, page: Page): Promise<{ total: number; items: Evidence[] }>;
}

export interface JournalRepository {
  /** Appends within the current transaction; returns the stored entry. */
  append(record: JournalRecord): Promise<JournalEntry>;
  head(): Promise<JournalHead | undefined>;
  /** Takes the journal's writer lock for the rest of the transaction (appends take it too). */
  lock(): Promise<void>;
  list(filter: { afterSeq?: number; incidentId?: string }, limit: number): Promise<JournalEntry[]>;
  /** Every entry in order, streamed, for verification. */
  scan(): AsyncIterable<JournalEntry>;
  insertCheckpoint(checkpoint: JournalCheckpoint): Promise<void>;
  checkpoints(): Promise<JournalCheckpoint[]>;
  latestCheckpoint(): Promise<JournalCheckpoint | undefined>;
  /** The first checkpoint whose head is at or after `seq` (the one that signs entry `seq`). */
  checkpointCovering(seq: number): Promise<JournalCheckpoint | undefined>;
}
