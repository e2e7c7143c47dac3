/**
 * A draft of a CISA-style incident report, filled from what Cordon already knows: the fields
 * CISA's reporting guidance asks for (when, where, what kind of activity, a narrative, how many
 * affected, the organisation, a contact, severity, sector, who else was told). It is a draft:
 * `missing` names what a person still has to supply before it is sent.
 */
import { attackTechnique } from '../attack/attack-catalogue.ts';
import type { IdentificationFact } from '../identification/identification-fact.ts';
import { factValues } from '../identification/identification-fact.ts';
import type { Incident } from '../incidents/incident.ts';
import { formatIncidentNumber } from '../incidents/incident.ts';
import type { Tenant } from '../tenants/tenant.ts';
import type { RegulatoryNotice, ReportabilityDetermination } from './reportability.ts';
import type { TenantContract } from './tenant-contract.ts';

export interface CisaReportDraft {
  readonly reference: string;
  readonly time: {
    readonly firstActivityAt: number | null;
    readonly detectedAt: number;
    readonly awarenessAt: number | null;
    readonly determinedAt: number | null;
  };
  readonly location: { readonly site: string | null; readonly segments: readonly string[] };
  readonly activityType: {
    readonly categories: readonly string[];
    readonly techniques: readonly { readonly id: string; readonly name: string | null }[];
  };
  readonly narrative: string;
  readonly affected: { readonly systems: number; readonly names: readonly string[] };
  readonly organisation: string | null;
  readonly contact: {
    readonly name: string | null;
    readonly email: string | null;
    readonly phone: string | null;
  };
  readonly severity: string;
  readonly sector: string | null;
  readonly othersInformed: readonly {
    readonly recipient: string;
    readonly regimeId: string;
    readonly sentAt: number;
  }[];
  readonly missing: readonly string[];
}

export function cisaReportDraft(options: {
  readonly incident: Incident;
  readonly tenant: Tenant | undefined;
  readonly contract: TenantContract | undefined;
  readonly facts: readonly IdentificationFact[];
  readonly view: {
    readonly determinations: readonly ReportabilityDetermination[];
    readonly notices: readonly RegulatoryNotice[];
  };
}): CisaReportDraft {
  const { incident, facts } = options;
  const profile = options.contract?.reporting;
  const determination = options.view.determinations.at(-1);
  const assets = factValues(facts, 'asset');
  const names = [...new Set([...assets.map((a) => a.name), ...incident.affectedAssets])];
  const techniqueIds = [
    ...new Set([...factValues(facts, 'technique').map((t) => t.id), ...incident.attackTechniques]),
  ];
  const draft: Omit<CisaReportDraft, 'missing'> = {
    reference: formatIncidentNumber(incident),
    time: {
      firstActivityAt: incident.firstActivityAt,
      detectedAt: incident.createdAt,
      awarenessAt: determination?.awarenessAt ?? null,
      determinedAt: determination?.determinedAt ?? null,
    },
    location: {
      site: profile?.location ?? null,
      segments: [...new Set(assets.flatMap((a) => (a.segment ? [a.segment.name] : [])))],
    },
    activityType: {
      categories: factValues(facts, 'category').map((c) => c.category),
      techniques: techniqueIds.map((id) => ({ id, name: attackTechnique(id)?.name ?? null })),
    },
    narrative: narrativeOf(incident),
    affected: { systems: names.length, names },
    organisation: profile?.organisation ?? options.tenant?.name ?? null,
    contact: {
      name: profile?.contactName ?? null,
      email: profile?.contactEmail ?? null,
      phone: profile?.contactPhone ?? null,
    },
    severity: incident.severity,
    sector: profile?.sector ?? null,
    othersInformed: options.view.notices.map((n) => ({
      recipient: n.recipient,
      regimeId: n.regimeId,
      sentAt: n.sentAt,
    })),
  };
  return { ...draft, missing: missingFields(draft) };
}

function narrativeOf(incident: Incident): string {
  return [
    `${incident.title}.`,
    incident.summary,
    incident.scope ? `Scope: ${incident.scope}` : '',
    incident.rootCause ? `Root cause: ${incident.rootCause}` : '',
    incident.containmentNote ? `Containment: ${incident.containmentNote}` : '',
  ]
    .filter((part) => part.trim() !== '')
    .join('\n');
}

function missingFields(draft: Omit<CisaReportDraft, 'missing'>): string[] {
  const missing: string[] = [];
  if (draft.location.site === null) missing.push('location');
  if (draft.activityType.categories.length + draft.activityType.techniques.length === 0)
    missing.push('activityType');
  if (draft.affected.systems === 0) missing.push('affected');
  if (draft.contact.name === null && draft.contact.email === null && draft.contact.phone === null)
    missing.push('contact');
  if (draft.sector === null) missing.push('sector');
  return missing;
}
