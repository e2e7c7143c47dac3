/**
 * The storage port of the service guarantee, reached as `scope.guarantee` from a
 * `TenantScope`: contract versions, readiness-gap notices and the append-only ledger.
 */
import type { GuaranteeContract } from './guarantee-contract.ts';
import type { GuaranteeEntry } from './guarantee-entry.ts';
import type { ReadinessGapNotice } from './readiness-gap-notice.ts';

export interface GuaranteeRepositories {
  readonly contracts: GuaranteeContractRepository;
  readonly notices: ReadinessGapNoticeRepository;
  readonly entries: GuaranteeEntryRepository;
}

export interface GuaranteeContractRepository {
  insert(contract: GuaranteeContract): Promise<void>;
  /** Every version, oldest first. */
  list(): Promise<GuaranteeContract[]>;
}

export interface ReadinessGapNoticeRepository {
  insert(notice: ReadinessGapNotice): Promise<void>;
  list(): Promise<ReadinessGapNotice[]>;
}

export interface GuaranteeEntryRepository {
  /** False when the entry it reverses was already reversed. */
  insert(entry: GuaranteeEntry): Promise<boolean>;
  get(id: string): Promise<GuaranteeEntry | undefined>;
  /** Of one incident, or of every incident (bounded by `limit`), in recording order. */
  list(filter: { incidentId?: string }, limit: number): Promise<GuaranteeEntry[]>;
}
