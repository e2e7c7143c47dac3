/**
 * What behavioural detectors keep per tenant in the store: each detector's state (its bounded
 * baselines, as the detector snapshots them), the keys an analyst marked false positive (the
 * allow-list), and the tenant's threshold overrides.
 */

/** A detector's snapshot, as JSON text (the detector alone reads it back). */
export interface DetectorStateRecord {
  readonly detector: string;
  readonly state: string;
  readonly updatedAt: number;
}

/** A key a detector no longer alerts on for the tenant. */
export interface DetectorAllowEntry {
  readonly detector: string;
  readonly key: string;
  readonly reason: string;
  /** The alert whose false-positive verdict put it here (none when added directly). */
  readonly alertId: string | null;
  readonly createdBy: string;
  readonly createdAt: number;
}

/** The tenant's overrides of a detector's thresholds (names as the detector documents them). */
export interface DetectorSettingsRecord {
  readonly detector: string;
  readonly enabled: boolean;
  readonly thresholds: Readonly<Record<string, number>>;
  readonly updatedBy: string;
  readonly updatedAt: number;
}

export interface DetectorRepository {
  states(): Promise<DetectorStateRecord[]>;
  /** Insert or replace the detector's snapshot. */
  saveState(record: DetectorStateRecord): Promise<void>;
  allowList(): Promise<DetectorAllowEntry[]>;
  /** False when the key was already allow-listed for the detector. */
  allow(entry: DetectorAllowEntry): Promise<boolean>;
  /** False when there was no such entry. */
  removeAllowed(detector: string, key: string): Promise<boolean>;
  settings(): Promise<DetectorSettingsRecord[]>;
  /** Insert or replace. */
  saveSettings(record: DetectorSettingsRecord): Promise<void>;
}
