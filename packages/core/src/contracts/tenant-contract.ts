/**
 * A tenant's contract with the MSSP as Cordon keeps it: the working calendar, the SLA terms,
 * the regulatory regimes that apply (catalogue ids, and the tenant's own entries, which replace
 * a catalogue entry of the same id), when a regulatory deadline counts as near, and the facts a
 * regulator's report asks about the organisation. One current version per tenant; every change
 * is journalled with the whole new contract.
 */
import type { BusinessCalendar } from './business-calendar.ts';
import { catalogueRegime } from './regulatory-catalogue.ts';
import type { RegulatoryRegime } from './regulatory-regime.ts';
import type { SlaTerms } from './sla-terms.ts';

export interface ReportingProfile {
  readonly organisation: string | null;
  readonly sector: string | null;
  readonly location: string | null;
  readonly contactName: string | null;
  readonly contactEmail: string | null;
  readonly contactPhone: string | null;
}

export interface TenantContract {
  readonly tenantId: string;
  readonly calendar: BusinessCalendar;
  readonly sla: SlaTerms | null;
  readonly regimes: readonly string[];
  readonly customRegimes: readonly RegulatoryRegime[];
  readonly deadlineNearShare: number;
  readonly reporting: ReportingProfile;
  readonly version: number;
  readonly updatedBy: string;
  readonly updatedAt: number;
}

/** The regimes that apply to the tenant, the tenant's own entries first. */
export function applicableRegimes(contract: TenantContract): RegulatoryRegime[] {
  return contract.regimes.flatMap((id) => {
    const regime = contract.customRegimes.find((r) => r.id === id) ?? catalogueRegime(id);
    return regime ? [regime] : [];
  });
}
