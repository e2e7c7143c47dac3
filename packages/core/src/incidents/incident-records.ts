/** Notes, observables and alert links recorded on an incident. */
export interface IncidentNote {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly author: string;
  readonly body: string;
  readonly createdAt: number;
}

export const OBSERVABLE_KINDS = ['ip', 'domain', 'url', 'file_hash', 'user', 'host'] as const;
export type ObservableKind = (typeof OBSERVABLE_KINDS)[number];

export interface Observable {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly kind: ObservableKind;
  readonly value: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly note: string | null;
}

export interface AlertLink {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly alertId: string;
  readonly linkedAt: number;
  readonly linkedBy: string;
}

export interface PhaseTransition {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly from: string;
  readonly to: string;
  readonly at: number;
  readonly actor: string;
  /** Set when an incident lead moved past a failing guard. */
  readonly overrideJustification: string | null;
  readonly unmetConditions: readonly string[];
}
