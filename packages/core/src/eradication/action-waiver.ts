/**
 * A decision not to carry out an eradication action after all: the action failed or rolled
 * back (or will never run) and an incident lead accepts that, with a written reason. The
 * action's own state is left as the agent reported it; the waiver sits beside it, so the
 * record shows both what happened and who accepted it.
 */
export interface ActionWaiver {
  readonly tenantId: string;
  readonly actionId: string;
  readonly incidentId: string;
  readonly reason: string;
  readonly waivedBy: string;
  /** Epoch ms. */
  readonly waivedAt: number;
}

/** A waiver's reason: written out, like a guard override's justification. */
export const MIN_WAIVER_REASON = 10;
export const MAX_WAIVER_REASON = 2000;
