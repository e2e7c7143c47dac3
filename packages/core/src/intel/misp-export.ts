/**
 * An incident as a MISP event (the JSON that MISP's `/events/add` and its feeds take): one
 * attribute per address, domain, URL and hash observable with MISP's type and category
 * (addresses the incident names as origins are `ip-src`, others `ip-dst`; hashes are
 * "Payload delivery"), `to_ids` set so MISP exports them to detection; ATT&CK techniques as
 * MITRE ATT&CK galaxy tags, the TLP marking as a tag. Users and host names are left out: they
 * are the client's, not indicators. Uuids are deterministic like the STIX ids.
 */
import { attackTechnique } from '../attack/attack-catalogue.ts';
import type { Phase, Severity } from '../incidents/incident.ts';
import type { IncidentIntel, WatchableKind } from './incident-intel.ts';
import { watchableKind } from './incident-intel.ts';
import { CORDON_STIX_NAMESPACE, uuidV5 } from './stix-id.ts';

export interface MispAttribute {
  readonly uuid: string;
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly comment: string;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly timestamp: string;
}

export interface MispEvent {
  readonly Event: {
    readonly uuid: string;
    readonly info: string;
    readonly date: string;
    readonly timestamp: string;
    readonly threat_level_id: string;
    readonly analysis: string;
    readonly distribution: string;
    readonly published: boolean;
    readonly Orgc: { readonly name: string };
    readonly Attribute: readonly MispAttribute[];
    readonly Tag: readonly { readonly name: string }[];
  };
}

const THREAT_LEVEL: Readonly<Record<Severity, string>> = {
  critical: '1',
  high: '1',
  medium: '2',
  low: '3',
};

const NETWORK: Readonly<Record<'domain' | 'url', string>> = { domain: 'domain', url: 'url' };

/** `tlp`: the sharing marking to tag the event with (default amber). */
export function incidentMispEvent(intel: IncidentIntel, tlp = 'amber'): MispEvent {
  const { incident, tenant } = intel;
  const origins = new Set(incident.origins.map((o) => o.address.toLowerCase()));
  const attributes: MispAttribute[] = [];
  for (const observable of intel.observables) {
    const kind = watchableKind(observable);
    if (!kind) continue;
    const { type, category } = mispType(kind, origins.has(observable.value.toLowerCase()));
    attributes.push({
      uuid: uuidV5(CORDON_STIX_NAMESPACE, `misp-attribute\u0000${tenant.id}\u0000${observable.id}`),
      type,
      category,
      value:
        kind === 'md5' || kind === 'sha1' || kind === 'sha256'
          ? observable.value.toLowerCase()
          : observable.value,
      to_ids: true,
      comment: observable.note ?? `observed in ${tenant.name} incident #${incident.number}`,
      first_seen: new Date(observable.firstSeen).toISOString(),
      last_seen: new Date(Math.max(observable.firstSeen, observable.lastSeen)).toISOString(),
      timestamp: String(Math.floor(observable.lastSeen / 1000)),
    });
  }
  const techniques = [
    ...new Set(incident.attackTechniques.map((t) => t.trim().toUpperCase())),
  ].sort();
  return {
    Event: {
      uuid: uuidV5(CORDON_STIX_NAMESPACE, `misp-event\u0000${tenant.id}\u0000${incident.id}`),
      info: `${tenant.name} #${incident.number}: ${incident.title}`,
      date: new Date(incident.firstActivityAt ?? incident.createdAt).toISOString().slice(0, 10),
      timestamp: String(Math.floor(incident.updatedAt / 1000)),
      threat_level_id: THREAT_LEVEL[incident.severity],
      analysis: analysisOf(incident.phase),
      // Your organisation only: the exporter decides whom to share with.
      distribution: '0',
      published: false,
      Orgc: { name: tenant.name },
      Attribute: attributes,
      Tag: [
        { name: `tlp:${tlp}` },
        ...techniques.map((id) => ({
          name: `misp-galaxy:mitre-attack-pattern="${attackTechnique(id)?.name ?? id} - ${id}"`,
        })),
      ],
    },
  };
}

function mispType(kind: WatchableKind, origin: boolean): { type: string; category: string } {
  switch (kind) {
    case 'ipv4':
    case 'ipv6':
      return { type: origin ? 'ip-src' : 'ip-dst', category: 'Network activity' };
    case 'domain':
    case 'url':
      return { type: NETWORK[kind], category: 'Network activity' };
    case 'md5':
    case 'sha1':
    case 'sha256':
      return { type: kind, category: 'Payload delivery' };
  }
}

/** MISP's analysis levels: 0 initial, 1 ongoing, 2 complete. */
function analysisOf(phase: Phase): string {
  return phase === 'detected' ? '0' : phase === 'closed' ? '2' : '1';
}
