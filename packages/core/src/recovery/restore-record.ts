/**
 * A restore from backup, done as a task of the *recovered* phase and linked to the tenant's
 * backup job: the restore point used and how it went. A successful restore is also a restore
 * test of the job (its `lastRestoreTestAt`), which is what readiness reads.
 */
export const RESTORE_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RestoreStatus = (typeof RESTORE_STATUSES)[number];

export interface RestoreRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  /** The checklist task of the *recovered* phase that this restore is. */
  readonly taskId: string;
  readonly backupJobId: string;
  /** The backup (restore point) restored from: its time, and its name in the backup tool. */
  readonly restorePointAt: number | null;
  readonly restorePointLabel: string | null;
  readonly status: RestoreStatus;
  readonly detail: string | null;
  readonly requestedBy: string;
  readonly completedBy: string | null;
  readonly createdAt: number;
  readonly completedAt: number | null;
}
