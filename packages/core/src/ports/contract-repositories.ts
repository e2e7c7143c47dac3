/** Storage of tenant contracts, SLA pauses, clock marks and reporting records (0020-contracts). */
import type { ClockMark, SlaPause } from '../contracts/sla-pause.ts';
import type { RegulatoryNotice, ReportabilityDetermination } from '../contracts/reportability.ts';
import type { TenantContract } from '../contracts/tenant-contract.ts';
import type { Incident } from '../incidents/incident.ts';

export interface TenantContractRepository {
  get(): Promise<TenantContract | undefined>;
  put(contract: TenantContract): Promise<void>;
}

export interface SlaPauseRepository {
  insert(pause: SlaPause): Promise<void>;
  /** False when the pause is not open (or not the incident's). */
  end(pause: { id: string; incidentId: string }, at: number, by: string): Promise<boolean>;
  list(incidentId: string): Promise<SlaPause[]>;
}

export interface ClockMarkRepository {
  /** False when the clock already has this mark. */
  insert(mark: ClockMark): Promise<boolean>;
  list(incidentId: string): Promise<ClockMark[]>;
}

export interface ReportingRepository {
  insertDetermination(determination: ReportabilityDetermination): Promise<void>;
  /** Oldest first. */
  determinations(incidentId: string): Promise<ReportabilityDetermination[]>;
  insertNotice(notice: RegulatoryNotice): Promise<void>;
  notices(incidentId: string): Promise<RegulatoryNotice[]>;
}

export interface ContractRepositories {
  readonly contract: TenantContractRepository;
  readonly pauses: SlaPauseRepository;
  readonly marks: ClockMarkRepository;
  readonly reporting: ReportingRepository;
  /**
   * Incidents whose clocks may still change: not closed, or changed since `since`; oldest
   * first, at most `limit`.
   */
  watchedIncidents(since: number, limit: number): Promise<Incident[]>;
}
