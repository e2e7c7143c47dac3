/**
 * The storage port of identification: an incident's facts, one row per (kind, key). Reached
 * as `scope.identification` from a `TenantScope`, so every query is bound to one tenant.
 */
import type { FactKind, IdentificationFact } from './identification-fact.ts';

export interface IdentificationRepository {
  list(incidentId: string): Promise<IdentificationFact[]>;
  get(incidentId: string, kind: FactKind, key: string): Promise<IdentificationFact | undefined>;
  /** Inserts the fact or replaces the one with the same (incident, kind, key). */
  put(fact: IdentificationFact): Promise<void>;
}
