/**
 * Checklist items attached to a phase: eradication tasks, the return-to-service checklist,
 * the verification checks. A phase that has tasks cannot be left until they are done (an
 * eradication task may instead be waived, with the reason kept beside who and when).
 */
import type { Phase } from './incident.ts';

export type TaskStatus = 'open' | 'done' | 'failed' | 'waived';

export interface IncidentTask {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly phase: Phase;
  readonly title: string;
  readonly status: TaskStatus;
  readonly createdAt: number;
  readonly completedAt: number | null;
  readonly completedBy: string | null;
  /** Why the task was waived (status `waived`; `completedBy` waived it). */
  readonly waiverReason?: string | null;
}
