/** The incident a recovery, verification or closure use case acts on, in its tenant's scope. */
import { CordonError, notFound } from '../errors/cordon-error.ts';
import type { Incident } from '../incidents/incident.ts';
import type { TenantScope } from '../ports/store.ts';

export async function loadIncident(scope: TenantScope, incidentId: string): Promise<Incident> {
  const incident = await scope.incidents.get(incidentId);
  if (!incident) throw notFound('incident');
  return incident;
}

/** As `loadIncident`, refusing a closed incident (its record no longer changes). */
export async function openIncident(scope: TenantScope, incidentId: string): Promise<Incident> {
  const incident = await loadIncident(scope, incidentId);
  if (incident.phase === 'closed') throw new CordonError('conflict', 'the incident is closed');
  return incident;
}
