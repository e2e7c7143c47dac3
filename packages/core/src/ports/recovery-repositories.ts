/**
 * The recovery, verification and closure part of the storage port, reached as
 * `scope.recovery` from a `TenantScope`: change records, restores, containment releases,
 * verification checks and their runs, and closing reviews — all bound to one tenant.
 */
import type { ClosingReview } from '../closure/closing-review.ts';
import type { ChangeRecord } from '../recovery/change-record.ts';
import type { ContainmentRelease } from '../recovery/containment-release.ts';
import type { RestoreRecord, RestoreStatus } from '../recovery/restore-record.ts';
import type {
  CheckSchedule,
  RunStatus,
  VerificationCheck,
  VerificationRun,
} from '../verification/verification-check.ts';

export interface RecoveryRepositories {
  readonly changes: ChangeRecordRepository;
  readonly restores: RestoreRepository;
  readonly releases: ContainmentReleaseRepository;
  readonly checks: VerificationCheckRepository;
  readonly runs: VerificationRunRepository;
  readonly reviews: ClosingReviewRepository;
}

export interface ChangeRecordRepository {
  insert(record: ChangeRecord): Promise<void>;
  list(incidentId: string): Promise<ChangeRecord[]>;
}

export interface RestoreRepository {
  insert(record: RestoreRecord): Promise<void>;
  get(id: string): Promise<RestoreRecord | undefined>;
  list(incidentId: string): Promise<RestoreRecord[]>;
  /** Writes a result if the stored status is still `expected`; false if it moved meanwhile. */
  complete(next: RestoreRecord, expected: RestoreStatus): Promise<boolean>;
}

export interface ContainmentReleaseRepository {
  insert(release: ContainmentRelease): Promise<void>;
  list(incidentId: string): Promise<ContainmentRelease[]>;
}

export interface VerificationCheckRepository {
  insert(check: VerificationCheck): Promise<void>;
  get(id: string): Promise<VerificationCheck | undefined>;
  list(incidentId: string): Promise<VerificationCheck[]>;
  setLastStatus(id: string, status: RunStatus): Promise<void>;
  setSchedule(id: string, schedule: CheckSchedule | null): Promise<void>;
  /** Checks whose next scheduled run is at or before `now`, oldest first. */
  due(now: number, limit: number): Promise<VerificationCheck[]>;
}

export interface VerificationRunRepository {
  insert(run: VerificationRun): Promise<void>;
  get(id: string): Promise<VerificationRun | undefined>;
  findByAction(actionId: string): Promise<VerificationRun | undefined>;
  /** Runs still running that started before `startedBefore` (epoch ms), oldest first. */
  listRunning(startedBefore: number, limit: number): Promise<VerificationRun[]>;
  /** Newest first. */
  list(filter: { incidentId: string; checkId?: string }, limit: number): Promise<VerificationRun[]>;
  /** Finishes a running run; false if it was no longer running. */
  finish(next: VerificationRun): Promise<boolean>;
}

export interface ClosingReviewRepository {
  get(incidentId: string): Promise<ClosingReview | undefined>;
  put(review: ClosingReview): Promise<void>;
}
