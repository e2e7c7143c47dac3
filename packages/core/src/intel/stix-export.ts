/**
 * An incident as a STIX 2.1 bundle: the producer and the client as `identity` objects; the
 * `incident` with the Incident Core Extension (investigation status, determination,
 * criticality, first seen); for each address, domain, URL and hash observable a
 * cyber-observable, the `observed-data` that saw it, an `indicator` with its pattern and a
 * `sighting` of that indicator at the client; an `attack-pattern` per ATT&CK technique (name
 * from the shipped catalogue, `mitre-attack` external id); and the relationships that tie
 * them: indicator `indicates` attack-pattern, incident `related-to` everything it holds.
 * Ids are deterministic (stix-id.ts), timestamps the incident's own, so the same incident
 * exports to the same bundle until it changes.
 */
import { attackTechnique } from '../attack/attack-catalogue.ts';
import type { Incident, Severity } from '../incidents/incident.ts';
import type { Observable } from '../incidents/incident-records.ts';
import type { IncidentIntel, WatchableKind } from './incident-intel.ts';
import { sightingCount, watchableKind } from './incident-intel.ts';
import { cordonStixId, scoId } from './stix-id.ts';

/** The Incident Core Extension's definition id (OASIS STIX 2.1 Incident Extension). */
export const INCIDENT_CORE_EXTENSION_ID =
  'extension-definition--ef765651-680c-498d-9894-99799f2fa126';

export type StixObject = Readonly<Record<string, unknown>> & {
  readonly type: string;
  readonly id: string;
};

export interface StixBundle {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: readonly StixObject[];
}

const CRITICALITY: Readonly<Record<Severity, number>> = {
  low: 25,
  medium: 50,
  high: 75,
  critical: 100,
};

const HASH_NAMES = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' } as const;

export function incidentStixBundle(intel: IncidentIntel): StixBundle {
  const { incident, tenant } = intel;
  const created = stixTime(incident.createdAt);
  const modified = stixTime(Math.max(incident.updatedAt, incident.createdAt));
  const common = { spec_version: '2.1', created, modified } as const;
  const producer: StixObject = {
    type: 'identity',
    id: cordonStixId('identity', 'producer'),
    ...common,
    name: 'Cordon',
    identity_class: 'system',
  };
  const client: StixObject = {
    type: 'identity',
    id: cordonStixId('identity', tenant.id),
    ...common,
    created_by_ref: producer.id,
    name: tenant.name,
    identity_class: 'organization',
  };
  const authored = { ...common, created_by_ref: producer.id } as const;
  const incidentObject: StixObject = {
    type: 'incident',
    id: cordonStixId('incident', tenant.id, incident.id),
    ...authored,
    name: `${tenant.name} #${incident.number}: ${incident.title}`,
    ...(incident.summary ? { description: incident.summary } : {}),
    labels: [`severity:${incident.severity}`, `phase:${incident.phase}`],
    external_references: [{ source_name: 'cordon', external_id: incident.id }],
    extensions: { [INCIDENT_CORE_EXTENSION_ID]: incidentExtension(incident) },
  };
  const objects: StixObject[] = [producer, client, incidentObject];
  const relate = (source: string, relationship: string, target: string): void => {
    objects.push({
      type: 'relationship',
      id: cordonStixId('relationship', source, relationship, target),
      ...authored,
      relationship_type: relationship,
      source_ref: source,
      target_ref: target,
    });
  };
  relate(incidentObject.id, 'related-to', client.id);
  const patterns = attackPatterns(incident, authored);
  for (const pattern of patterns) {
    objects.push(pattern);
    relate(incidentObject.id, 'related-to', pattern.id);
  }
  for (const observable of intel.observables) {
    const kind = watchableKind(observable);
    if (!kind) continue;
    const sco = cyberObservable(kind, observable.value);
    const seen = {
      first: stixTime(observable.firstSeen),
      last: stixTime(Math.max(observable.lastSeen, observable.firstSeen)),
    };
    const observed: StixObject = {
      type: 'observed-data',
      id: cordonStixId('observed-data', tenant.id, incident.id, sco.id),
      ...authored,
      first_observed: seen.first,
      last_observed: seen.last,
      number_observed: Math.max(1, sightingCount(intel.alerts, observable.value)),
      object_refs: [sco.id],
    };
    const indicator: StixObject = {
      type: 'indicator',
      id: cordonStixId('indicator', tenant.id, sco.id),
      ...authored,
      name: `${kind} ${observable.value}`,
      ...(observable.note ? { description: observable.note } : {}),
      indicator_types: ['malicious-activity'],
      pattern: stixPattern(kind, observable.value),
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: seen.first,
    };
    const sighting: StixObject = {
      type: 'sighting',
      id: cordonStixId('sighting', tenant.id, incident.id, indicator.id),
      ...authored,
      first_seen: seen.first,
      last_seen: seen.last,
      count: Math.max(1, sightingCount(intel.alerts, observable.value)),
      sighting_of_ref: indicator.id,
      observed_data_refs: [observed.id],
      where_sighted_refs: [client.id],
    };
    objects.push(sco, observed, indicator, sighting);
    relate(incidentObject.id, 'related-to', indicator.id);
    relate(incidentObject.id, 'related-to', observed.id);
    for (const pattern of patterns) relate(indicator.id, 'indicates', pattern.id);
  }
  return {
    type: 'bundle',
    id: cordonStixId('bundle', tenant.id, incident.id, modified),
    objects,
  };
}

/** The STIX pattern that matches this value. */
export function stixPattern(kind: WatchableKind, value: string): string {
  const literal = `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  switch (kind) {
    case 'ipv4':
      return `[ipv4-addr:value = ${literal}]`;
    case 'ipv6':
      return `[ipv6-addr:value = ${literal}]`;
    case 'domain':
      return `[domain-name:value = ${literal}]`;
    case 'url':
      return `[url:value = ${literal}]`;
    case 'md5':
    case 'sha1':
    case 'sha256':
      return `[file:hashes.'${HASH_NAMES[kind]}' = ${literal.toLowerCase()}]`;
  }
}

function cyberObservable(kind: WatchableKind, value: string): StixObject {
  switch (kind) {
    case 'ipv4':
    case 'ipv6':
    case 'domain':
    case 'url': {
      const type = { ipv4: 'ipv4-addr', ipv6: 'ipv6-addr', domain: 'domain-name', url: 'url' }[
        kind
      ];
      return { type, spec_version: '2.1', id: scoId(type, { value }), value };
    }
    case 'md5':
    case 'sha1':
    case 'sha256': {
      const hashes = { [HASH_NAMES[kind]]: value.toLowerCase() };
      return { type: 'file', spec_version: '2.1', id: scoId('file', { hashes }), hashes };
    }
  }
}

function attackPatterns(
  incident: Incident,
  authored: Readonly<Record<string, string>>,
): StixObject[] {
  return [...new Set(incident.attackTechniques.map((t) => t.trim().toUpperCase()))]
    .sort()
    .map((id) => {
      const technique = attackTechnique(id);
      const path = id.replace('.', '/');
      return {
        type: 'attack-pattern',
        id: cordonStixId('attack-pattern', id),
        ...authored,
        name: technique?.name ?? id,
        external_references: [
          {
            source_name: 'mitre-attack',
            external_id: id,
            url: `https://attack.mitre.org/techniques/${path}/`,
          },
        ],
        ...(technique?.tactics.length
          ? {
              kill_chain_phases: technique.tactics.map((phase) => ({
                kill_chain_name: 'mitre-attack',
                phase_name: phase,
              })),
            }
          : {}),
      };
    });
}

function incidentExtension(incident: Incident): Record<string, unknown> {
  const investigation =
    incident.phase === 'closed' ? 'closed' : incident.phase === 'detected' ? 'new' : 'open';
  const determination =
    incident.closureReason === 'false_positive'
      ? undefined
      : incident.phase === 'detected'
        ? 'suspicious'
        : 'malicious';
  return {
    extension_type: 'property-extension',
    investigation_status: investigation,
    ...(determination ? { determination } : {}),
    criticality: CRITICALITY[incident.severity],
    detection_methods: ['automated-tool'],
    ...(incident.firstActivityAt !== null
      ? { first_seen: stixTime(incident.firstActivityAt) }
      : {}),
  };
}

/** STIX timestamps: UTC with milliseconds. */
export function stixTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Observables an export can carry as indicators (for counts in answers). */
export function exportableObservables(observables: readonly Observable[]): Observable[] {
  return observables.filter((o) => watchableKind(o) !== undefined);
}
