/** The contract repositories of one tenant, and the incidents the contract clocks watch. */
import type { ContractRepositories, Incident } from '@cordon/core';
import type { Db } from '../preparation/tenant-bound.ts';
import { incidentFromRow } from '../row-mappers.ts';
import { KyselyClockMarkRepository } from './clock-mark.repository.ts';
import { KyselyReportingRepository } from './reporting.repository.ts';
import { KyselySlaPauseRepository } from './sla-pause.repository.ts';
import { KyselyTenantContractRepository } from './tenant-contract.repository.ts';

export function contractRepositories(db: Db, tenantId: string): ContractRepositories {
  return {
    contract: new KyselyTenantContractRepository(db, tenantId),
    pauses: new KyselySlaPauseRepository(db, tenantId),
    marks: new KyselyClockMarkRepository(db, tenantId),
    reporting: new KyselyReportingRepository(db, tenantId),
    watchedIncidents: async (since: number, limit: number): Promise<Incident[]> => {
      const rows = await db
        .selectFrom('incidents')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where((eb) => eb.or([eb('phase', '!=', 'closed'), eb('updated_at', '>=', since)]))
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(incidentFromRow);
    },
  };
}
