/**
 * Carries identification facts into the incident's own fields (affectedAssets,
 * attackTechniques, origins, firstActivityAt), which the phase guards, the incident list and
 * the older `PATCH /incidents/{id}` read. What people or triage wrote there stays; facts add
 * to it, replace the entries they stand for (a host name resolved to its asset's name), and
 * take out what an analyst removed.
 */
import type { Incident, IncidentOrigin, OriginScope } from '../incidents/incident.ts';
import type { IncidentChanges } from '../ports/store.ts';
import { originScope } from '../detection/origin-scope.ts';
import type { IdentificationFact, OriginClass } from './identification-fact.ts';

/**
 * The incident's older `scope` has no class for reserved space: there a lab address keeps the
 * scope the detection pipeline gives it (private ranges internal, the rest external), and the
 * note names the range; the identification view has the precise class.
 */
const scopeOf = (originClass: OriginClass, address: string): OriginScope =>
  originClass === 'lab' ? originScope(address) : originClass;

type Fields = Pick<Incident, 'affectedAssets' | 'attackTechniques' | 'origins' | 'firstActivityAt'>;

export function identifiedFields(incident: Fields, facts: readonly IdentificationFact[]): Fields {
  const present = facts.filter((f) => f.state !== 'removed');
  const removed = facts.filter((f) => f.state === 'removed');
  const lower = (s: string): string => s.trim().toLowerCase();

  const dropAssets = new Set<string>();
  const addAssets: string[] = [];
  for (const f of facts) {
    if (f.value.kind !== 'asset') continue;
    for (const seen of f.value.seenAs) dropAssets.add(lower(seen));
    if (f.state === 'removed') dropAssets.add(lower(f.value.name));
    else addAssets.push(f.value.name);
  }
  const affectedAssets = dedupe([
    ...incident.affectedAssets.filter((a) => !dropAssets.has(lower(a))),
    ...addAssets,
  ]);

  // Techniques only: tactics are in the identification view (playbooks select by technique).
  const dropTechniques = new Set<string>();
  for (const f of removed) if (f.value.kind === 'technique') dropTechniques.add(f.value.id);
  const attackTechniques = dedupe([
    ...incident.attackTechniques.filter((t) => !dropTechniques.has(t.toUpperCase())),
    ...present.flatMap((f) => (f.value.kind === 'technique' ? [f.value.id] : [])),
  ]);

  const originFacts = new Map<string, IdentificationFact>();
  for (const f of facts) if (f.value.kind === 'origin') originFacts.set(f.value.address, f);
  const origins: IncidentOrigin[] = incident.origins.filter((o) => !originFacts.has(o.address));
  for (const f of present) {
    if (f.value.kind !== 'origin') continue;
    const v = f.value;
    const note =
      v.class === 'internal'
        ? `internal: segment ${v.segment?.name ?? '?'}`
        : v.class === 'lab'
          ? `lab/reserved: ${v.range ?? ''}`
          : ['external', v.country, v.asn === null ? null : `AS${v.asn}`, v.asOrganisation]
              .filter((x) => x !== null)
              .join(' ');
    origins.push({
      address: v.address,
      scope: scopeOf(v.class, v.address),
      note: note.slice(0, 1000),
    });
  }

  const first = present.find((f) => f.value.kind === 'activity' && f.value.key === 'first');
  const firstActivityAt =
    first && first.value.kind === 'activity' ? first.value.at : incident.firstActivityAt;
  return { affectedAssets, attackTechniques, origins, firstActivityAt };
}

function dedupe(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The changes to write, or undefined when the incident already says all of it. */
export function identifiedChanges(
  incident: Incident,
  facts: readonly IdentificationFact[],
): IncidentChanges | undefined {
  const next = identifiedFields(incident, facts);
  const same =
    JSON.stringify(next.affectedAssets) === JSON.stringify(incident.affectedAssets) &&
    JSON.stringify(next.attackTechniques) === JSON.stringify(incident.attackTechniques) &&
    JSON.stringify(next.origins) === JSON.stringify(incident.origins) &&
    next.firstActivityAt === incident.firstActivityAt;
  return same ? undefined : next;
}
