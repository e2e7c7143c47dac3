/** Tables of playbooks, their versions and their runs (0012). */
export interface PlaybooksTable {
  tenant_id: string;
  id: string;
  name: string;
  latest_version: number;
  /** JSON arrays (selection reads them without parsing every document). */
  categories: string;
  techniques: string;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

export interface PlaybookVersionsTable {
  tenant_id: string;
  playbook_id: string;
  version: number;
  /** The CACAO document as JSON. */
  document: string;
  author: string;
  created_at: number;
}

export interface PlaybookRunsTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  playbook_id: string;
  playbook_version: number;
  playbook_name: string;
  status: string;
  started_by: string;
  started_at: number;
  ended_at: number | null;
  failure: string | null;
  revision: number;
  /** The run's position (cursors, joins, scopes, step records) as JSON. */
  position: string;
}

export interface PlaybookTables {
  playbooks: PlaybooksTable;
  playbook_versions: PlaybookVersionsTable;
  playbook_runs: PlaybookRunsTable;
}
