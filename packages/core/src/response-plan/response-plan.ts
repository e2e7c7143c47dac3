/**
 * The incident response plan (versioned Markdown documents with owner, approval and review
 * dates), the people who fill each response role with a backup and how to reach them, the
 * outside contacts, and the exercises that test the plan.
 */
export const RESPONSE_ROLES = [
  'incident_lead',
  'technical_lead',
  'communications_lead',
  'legal_counsel',
  'scribe',
  'executive_sponsor',
  'client_contact',
  'mssp_on_call',
] as const;
export type ResponseRole = (typeof RESPONSE_ROLES)[number];

export const CONTACT_KINDS = [
  'insurer',
  'outside_counsel',
  'law_enforcement',
  'regulator',
  'vendor',
  'other',
] as const;
export type ExternalContactKind = (typeof CONTACT_KINDS)[number];

export const EXERCISE_KINDS = ['tabletop', 'simulation', 'full_scale'] as const;
export type ExerciseKind = (typeof EXERCISE_KINDS)[number];

export interface PlanDocument {
  readonly id: string;
  readonly tenantId: string;
  readonly title: string;
  readonly owner: string;
  readonly currentVersion: number;
  /** Approval belongs to a version: a new version clears it. */
  readonly approvedBy: string | null;
  readonly approvedAt: number | null;
  readonly lastReviewedAt: number | null;
  readonly nextReviewAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface PlanVersion {
  readonly documentId: string;
  readonly version: number;
  readonly body: string;
  readonly author: string;
  readonly createdAt: number;
}

export interface Person {
  readonly name: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly chat: string | null;
}

export interface RoleAssignment {
  readonly tenantId: string;
  readonly role: ResponseRole;
  readonly primary: Person;
  readonly backup: Person | null;
  /** Position in the escalation order, 1 first; null when the role is not on the path. */
  readonly escalationRank: number | null;
  readonly updatedAt: number;
}

/** Primary answers first; secondary is paged when the primary does not acknowledge. */
export const ON_CALL_LEVELS = ['primary', 'secondary'] as const;
export type OnCallLevel = (typeof ON_CALL_LEVELS)[number];

/**
 * One shift of the on-call rota: who answers the tenant's pages from `startsAt` until
 * `endsAt` (milliseconds, end exclusive). Shifts of the same level never overlap.
 */
export interface OnCallShift {
  readonly id: string;
  readonly tenantId: string;
  readonly level: OnCallLevel;
  readonly person: Person;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly note: string;
  readonly createdAt: number;
}

export interface ExternalContact {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: ExternalContactKind;
  readonly name: string;
  readonly organisation: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly notes: string;
  readonly createdAt: number;
}

export interface Exercise {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: ExerciseKind;
  readonly heldAt: number;
  readonly notes: string;
  readonly createdAt: number;
}

export const isResponseRole = (v: string): v is ResponseRole =>
  (RESPONSE_ROLES as readonly string[]).includes(v);
