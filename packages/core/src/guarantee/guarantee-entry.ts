/**
 * Time and cost entries of an incident, by responder. The ledger is append-only: an entry is
 * never edited; a correction is a reversal (which names the entry it cancels) followed, where
 * the entry was wrong rather than void, by a replacement.
 */
import type { Phase } from '../incidents/incident.ts';
import type { GuaranteedService } from './guarantee-contract.ts';

export interface TimeEntryBody {
  readonly kind: 'time';
  readonly responder: string;
  readonly role: string;
  readonly service: GuaranteedService;
  readonly phase: Phase;
  readonly activity: string;
  /** Whole minutes worked. */
  readonly minutes: number;
  /** Minor units per hour: the contract's rate for the role unless given. */
  readonly hourlyMinor: number;
}

export interface CostEntryBody {
  readonly kind: 'cost';
  readonly responder: string;
  readonly role: string;
  readonly service: GuaranteedService;
  readonly phase: Phase;
  readonly activity: string;
  readonly amountMinor: number;
}

export interface ReversalBody {
  readonly kind: 'reversal';
  readonly reason: string;
}

export type GuaranteeEntryBody = TimeEntryBody | CostEntryBody | ReversalBody;

export interface GuaranteeEntry {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly body: GuaranteeEntryBody;
  /** The entry a reversal cancels; null otherwise. */
  readonly reverses: string | null;
  readonly occurredAt: number;
  readonly recordedBy: string;
  readonly recordedAt: number;
}

/** What an entry costs, in minor units: minutes × hourly rate / 60, rounded half up. */
export function entryAmountMinor(body: GuaranteeEntryBody): number {
  switch (body.kind) {
    case 'time':
      return Math.floor((body.minutes * body.hourlyMinor + 30) / 60);
    case 'cost':
      return body.amountMinor;
    case 'reversal':
      return 0;
  }
}
