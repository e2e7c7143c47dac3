/**
 * The closing review of an incident (lessons learned): what happened, what worked, what to
 * change, and the follow-up actions, each with an owner and a due date. One per incident,
 * rewritten as the review meeting refines it; every version is in the journal.
 */
export interface FollowUpAction {
  readonly title: string;
  readonly owner: string;
  /** Epoch ms. */
  readonly dueAt: number;
  readonly done: boolean;
}

export interface ClosingReview {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly whatHappened: string;
  readonly whatWorked: string;
  readonly whatToChange: string;
  readonly followUps: readonly FollowUpAction[];
  readonly author: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}
