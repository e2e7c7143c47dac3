/** The eradication tables (migration 0013-eradication), as Kysely sees them. */

export interface ActionWaiversTable {
  tenant_id: string;
  action_id: string;
  incident_id: string;
  reason: string;
  waived_by: string;
  waived_at: number;
}

export interface EradicationTables {
  action_waivers: ActionWaiversTable;
}
