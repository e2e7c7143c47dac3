/** Storage of eradication decisions: waivers of eradication actions (0013-eradication). */
import type { ActionWaiver } from '../eradication/action-waiver.ts';

export interface ActionWaiverRepository {
  /** False when the action already has a waiver. */
  insert(waiver: ActionWaiver): Promise<boolean>;
  list(incidentId: string): Promise<ActionWaiver[]>;
}

export interface EradicationRepositories {
  readonly waivers: ActionWaiverRepository;
}
