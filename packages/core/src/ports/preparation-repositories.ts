/**
 * The preparation part of the storage port: network documentation, continuity, the response
 * plan and readiness history. Reached as `scope.preparation` from a `TenantScope`, so every
 * repository is bound to one tenant like the rest.
 */
import type {
  Asset,
  AssetRelation,
  Criticality,
  NetworkSegment,
  RelationKind,
} from '../assets/asset.ts';
import type { ObservedHost } from '../assets/observed-host.ts';
import type { BoundedPage, NamePage } from './page.ts';
import type { BackupJob } from '../continuity/backup-job.ts';
import type { BusinessFunction } from '../continuity/business-function.ts';
import type { ReadinessSnapshot } from '../readiness/readiness-snapshot.ts';
import type {
  Exercise,
  ExternalContact,
  OnCallLevel,
  OnCallShift,
  PlanDocument,
  PlanVersion,
  ResponseRole,
  RoleAssignment,
} from '../response-plan/response-plan.ts';

export interface PreparationRepositories {
  readonly assets: AssetRepository;
  readonly segments: SegmentRepository;
  readonly relations: RelationRepository;
  readonly functions: BusinessFunctionRepository;
  readonly backupJobs: BackupJobRepository;
  readonly planDocuments: PlanDocumentRepository;
  readonly roles: RoleAssignmentRepository;
  readonly onCall: OnCallRepository;
  readonly contacts: ExternalContactRepository;
  readonly exercises: ExerciseRepository;
  readonly observedHosts: ObservedHostRepository;
  readonly readinessSnapshots: ReadinessSnapshotRepository;
}

export type AssetChanges = Partial<Omit<Asset, 'id' | 'tenantId' | 'createdAt'>>;

export interface AssetRepository {
  /** Inserts many in as few statements as the database allows (imports). */
  insertMany(assets: readonly Asset[]): Promise<void>;
  get(id: string): Promise<Asset | undefined>;
  findByName(name: string): Promise<Asset | undefined>;
  /** Every asset, retired ones included, ordered by name. */
  list(): Promise<Asset[]>;
  /** A page of the assets that match, ordered by name then id; the total counted up to a bound. */
  page(filter: AssetListFilter, page: NamePage): Promise<BoundedPage<Asset>>;
  update(id: string, changes: AssetChanges): Promise<void>;
  /** Moves `lastSeenAt` forward (never back) on the asset. */
  markSeen(id: string, at: number): Promise<void>;
}

export interface AssetListFilter {
  /** A substring of the name, owner, an address or a tag (case-insensitive). */
  readonly text?: string;
  readonly criticality?: Criticality;
  readonly segmentId?: string;
}

export interface SegmentRepository {
  insert(segment: NetworkSegment): Promise<void>;
  get(id: string): Promise<NetworkSegment | undefined>;
  list(): Promise<NetworkSegment[]>;
}

export interface RelationRepository {
  /** False when the same relation already exists. */
  insert(relation: AssetRelation): Promise<boolean>;
  list(filter?: { assetId?: string; kind?: RelationKind }): Promise<AssetRelation[]>;
  delete(id: string): Promise<boolean>;
}

export interface BusinessFunctionRepository {
  insert(fn: BusinessFunction): Promise<void>;
  get(id: string): Promise<BusinessFunction | undefined>;
  list(): Promise<BusinessFunction[]>;
}

export interface BackupJobRepository {
  insert(job: BackupJob): Promise<void>;
  get(id: string): Promise<BackupJob | undefined>;
  list(): Promise<BackupJob[]>;
  update(
    id: string,
    changes: Partial<Omit<BackupJob, 'id' | 'tenantId' | 'createdAt'>>,
  ): Promise<void>;
}

export interface PlanDocumentRepository {
  insert(document: PlanDocument, first: PlanVersion): Promise<void>;
  get(id: string): Promise<PlanDocument | undefined>;
  list(): Promise<PlanDocument[]>;
  update(
    id: string,
    changes: Partial<Omit<PlanDocument, 'id' | 'tenantId' | 'createdAt'>>,
  ): Promise<void>;
  insertVersion(version: PlanVersion): Promise<void>;
  versions(documentId: string): Promise<PlanVersion[]>;
}

export interface RoleAssignmentRepository {
  upsert(assignment: RoleAssignment): Promise<void>;
  get(role: ResponseRole): Promise<RoleAssignment | undefined>;
  list(): Promise<RoleAssignment[]>;
}

export interface OnCallRepository {
  insert(shift: OnCallShift): Promise<void>;
  get(id: string): Promise<OnCallShift | undefined>;
  delete(id: string): Promise<void>;
  /** Shifts that overlap [from, to), by start. */
  overlapping(from: number, to: number, level?: OnCallLevel): Promise<OnCallShift[]>;
}

export interface ExternalContactRepository {
  insert(contact: ExternalContact): Promise<void>;
  list(): Promise<ExternalContact[]>;
}

export interface ExerciseRepository {
  insert(exercise: Exercise): Promise<void>;
  list(): Promise<Exercise[]>;
}

export interface ObservedHostRepository {
  find(hostname: string, ip: string): Promise<ObservedHost | undefined>;
  get(id: string): Promise<ObservedHost | undefined>;
  insert(host: ObservedHost): Promise<void>;
  touch(id: string, seenAt: number): Promise<void>;
  dismiss(id: string, at: number): Promise<void>;
  list(): Promise<ObservedHost[]>;
}

export interface ReadinessSnapshotRepository {
  insert(snapshot: ReadinessSnapshot): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<ReadinessSnapshot[]>;
}
