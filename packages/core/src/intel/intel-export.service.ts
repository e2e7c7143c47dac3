/**
 * Exports an incident's threat intelligence, as a STIX 2.1 bundle or a MISP event, for a
 * person who may read the tenant. Each export is journaled on the incident with the format,
 * the number of objects and the SHA-256 of the document handed out.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import type { Alert } from '../detection/alert.ts';
import { notFound } from '../errors/cordon-error.ts';
import type { Store } from '../ports/store.ts';
import type { IncidentIntel } from './incident-intel.ts';
import type { MispEvent } from './misp-export.ts';
import { incidentMispEvent } from './misp-export.ts';
import type { StixBundle } from './stix-export.ts';
import { incidentStixBundle } from './stix-export.ts';

export const INTEL_EXPORT_FORMATS = ['stix', 'misp'] as const;
export type IntelExportFormat = (typeof INTEL_EXPORT_FORMATS)[number];

/** Linked alerts read for sighting counts (the first ones; an incident rarely has more). */
const MAX_EXPORT_ALERTS = 1000;

export type IntelExport =
  | { readonly format: 'stix'; readonly document: StixBundle; readonly sha256: string }
  | { readonly format: 'misp'; readonly document: MispEvent; readonly sha256: string };

export class IntelExportService {
  readonly #store: Store;

  constructor(options: { store: Store }) {
    this.#store = options.store;
  }

  async export(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    format: IntelExportFormat,
  ): Promise<IntelExport> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const tenant = await uow.tenants.get(tenantId);
      const scope = uow.forTenant(tenantId);
      const incident = await scope.incidents.get(incidentId);
      if (!tenant || !incident) throw notFound('incident');
      const links = (await scope.alertLinks.list(incidentId)).slice(0, MAX_EXPORT_ALERTS);
      const alerts: Alert[] = [];
      for (const link of links) {
        const alert = await scope.detection.alerts.get(link.alertId);
        if (alert) alerts.push(alert);
      }
      const intel: IncidentIntel = {
        tenant: { id: tenant.id, name: tenant.name },
        incident,
        observables: await scope.observables.list(incidentId),
        alerts,
      };
      const result: IntelExport =
        format === 'stix'
          ? { format, document: incidentStixBundle(intel), sha256: '' }
          : { format, document: incidentMispEvent(intel), sha256: '' };
      const sha256 = createHash('sha256').update(JSON.stringify(result.document)).digest('hex');
      const objects =
        result.format === 'stix'
          ? result.document.objects.length
          : result.document.Event.Attribute.length;
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'intel.exported',
        incidentId,
        payload: { format, objects, sha256 },
      });
      return { ...result, sha256 };
    });
  }
}
