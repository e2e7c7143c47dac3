/**
 * A tenant's playbook as stored: one row per CACAO playbook id, and its versions (each update
 * is a new version; a version is never changed, so a run names the version it ran).
 */
import type { CacaoPlaybook } from './playbook-document.ts';
import type { PlaybookRun, PlaybookRunStatus } from './playbook-run.ts';

export interface StoredPlaybook {
  readonly tenantId: string;
  /** The CACAO id (playbook--<uuid>). */
  readonly id: string;
  readonly name: string;
  readonly latestVersion: number;
  readonly categories: readonly string[];
  readonly techniques: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

export interface PlaybookVersion {
  readonly playbookId: string;
  readonly version: number;
  readonly document: CacaoPlaybook;
  readonly author: string;
  readonly createdAt: number;
}

/** The storage port for playbooks and their runs (one tenant). */
export interface PlaybookRepositories {
  readonly playbooks: PlaybookRepository;
  readonly runs: PlaybookRunRepository;
}

export interface PlaybookRepository {
  get(id: string): Promise<StoredPlaybook | undefined>;
  list(): Promise<StoredPlaybook[]>;
  /** Inserts the playbook row (first version) or moves it to `version`. */
  upsert(playbook: StoredPlaybook): Promise<void>;
  insertVersion(version: PlaybookVersion): Promise<void>;
  version(id: string, version: number): Promise<PlaybookVersion | undefined>;
  versions(id: string): Promise<PlaybookVersion[]>;
}

export interface PlaybookRunFilter {
  readonly incidentId?: string;
  readonly statuses?: readonly PlaybookRunStatus[];
}

export interface PlaybookRunRepository {
  insert(run: PlaybookRun): Promise<void>;
  get(id: string): Promise<PlaybookRun | undefined>;
  list(filter: PlaybookRunFilter, limit: number): Promise<PlaybookRun[]>;
  /** Compare-and-set on `revision`: false when another writer saved first. */
  update(run: PlaybookRun, expectedRevision: number): Promise<boolean>;
}
