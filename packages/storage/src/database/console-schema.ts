/** The console's table (migration 0017-console), as Kysely sees it. */

export interface DemoTenantsTable {
  tenant_id: string;
  started_at: number;
  completed_at: number | null;
}

export interface ConsoleTables {
  demo_tenants: DemoTenantsTable;
}
