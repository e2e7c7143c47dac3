/**
 * Backup and disaster recovery records, and their status derived from the facts alone: a
 * backup older than its RPO, a restore never tested (or not in 90 days, or failed), and no
 * offline or immutable copy of a critical system are each a named problem.
 */
import type { Criticality } from '../assets/asset.ts';

export interface BackupJob {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** The asset backed up, or null for a system described by `system`. */
  readonly assetId: string | null;
  readonly system: string | null;
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
  readonly lastSuccessAt: number | null;
  readonly lastRestoreTestAt: number | null;
  readonly lastRestoreTestPassed: boolean | null;
  readonly offlineCopy: boolean;
  readonly immutableCopy: boolean;
  readonly location: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const RESTORE_TEST_MAX_AGE_MS = 90 * 86_400_000;

export const BACKUP_PROBLEMS = [
  'never_succeeded',
  'older_than_rpo',
  'restore_never_tested',
  'restore_test_stale',
  'restore_test_failed',
  'no_offline_copy',
] as const;
export type BackupProblem = (typeof BACKUP_PROBLEMS)[number];

export interface BackupStatus {
  readonly healthy: boolean;
  readonly problems: readonly BackupProblem[];
}

/** `criticality` is the backed-up asset's, when there is one. */
export function backupStatus(
  job: BackupJob,
  now: number,
  criticality: Criticality | null,
): BackupStatus {
  const problems: BackupProblem[] = [];
  if (job.lastSuccessAt === null) problems.push('never_succeeded');
  else if (now - job.lastSuccessAt > job.rpoMinutes * 60_000) problems.push('older_than_rpo');
  if (job.lastRestoreTestAt === null) problems.push('restore_never_tested');
  else if (job.lastRestoreTestPassed === false) problems.push('restore_test_failed');
  else if (now - job.lastRestoreTestAt > RESTORE_TEST_MAX_AGE_MS)
    problems.push('restore_test_stale');
  if (criticality === 'critical' && !job.offlineCopy && !job.immutableCopy)
    problems.push('no_offline_copy');
  return { healthy: problems.length === 0, problems };
}
