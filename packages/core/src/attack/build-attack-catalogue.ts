/**
 * Turns MITRE's Enterprise ATT&CK STIX 2.1 bundle into the compact catalogue Cordon ships.
 * Pure (the generator script reads and writes the files), so the test can rebuild the
 * catalogue from the same bundle and prove the committed file is what the bundle says.
 * Revoked and deprecated objects are dropped, and so are relationships that point at them.
 */
import type {
  AttackCatalogueData,
  AttackMitigationEntry,
  AttackTacticEntry,
  AttackTechniqueEntry,
} from './attack-catalogue-data.ts';

export const ATTACK_ATTRIBUTION =
  'MITRE ATT&CK® content © The MITRE Corporation, used and redistributed under the ATT&CK terms of use (https://attack.mitre.org/resources/legal-and-branding/terms-of-use/). ATT&CK® is a registered trademark of The MITRE Corporation.';

interface StixObject {
  readonly type?: unknown;
  readonly id?: unknown;
  readonly name?: unknown;
  readonly revoked?: unknown;
  readonly x_mitre_deprecated?: unknown;
  readonly x_mitre_domains?: unknown;
  readonly x_mitre_shortname?: unknown;
  readonly x_mitre_attack_spec_version?: unknown;
  readonly modified?: unknown;
  readonly external_references?: unknown;
  readonly kill_chain_phases?: unknown;
  readonly tactic_refs?: unknown;
  readonly relationship_type?: unknown;
  readonly source_ref?: unknown;
  readonly target_ref?: unknown;
}

export interface BuildAttackCatalogueOptions {
  /** A line saying where the bundle came from (e.g. the repository and commit). */
  readonly source: string;
}

function isLive(o: StixObject): boolean {
  return o.revoked !== true && o.x_mitre_deprecated !== true;
}

function isEnterprise(o: StixObject): boolean {
  return !Array.isArray(o.x_mitre_domains) || o.x_mitre_domains.includes('enterprise-attack');
}

function attackId(o: StixObject): string | undefined {
  if (!Array.isArray(o.external_references)) return undefined;
  for (const ref of o.external_references as { source_name?: unknown; external_id?: unknown }[]) {
    if (ref.source_name === 'mitre-attack' && typeof ref.external_id === 'string') {
      return ref.external_id;
    }
  }
  return undefined;
}

function compareSpec(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const byId = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export function buildAttackCatalogue(
  bundle: unknown,
  options: BuildAttackCatalogueOptions,
): AttackCatalogueData {
  const objects = (bundle as { objects?: unknown }).objects;
  if (!Array.isArray(objects)) throw new Error('not a STIX bundle: no objects array');
  const all = objects as StixObject[];
  let latest = '';
  let spec = '0';
  const keep = (o: StixObject): void => {
    if (typeof o.modified === 'string' && o.modified > latest) latest = o.modified;
    if (typeof o.x_mitre_attack_spec_version === 'string') {
      if (compareSpec(o.x_mitre_attack_spec_version, spec) > 0)
        spec = o.x_mitre_attack_spec_version;
    }
  };

  const tacticObjects = new Map<string, AttackTacticEntry & { readonly stixId: string }>();
  for (const o of all) {
    if (o.type !== 'x-mitre-tactic' || !isLive(o) || !isEnterprise(o)) continue;
    const id = attackId(o);
    if (!id || typeof o.name !== 'string' || typeof o.x_mitre_shortname !== 'string') continue;
    keep(o);
    tacticObjects.set(String(o.id), {
      stixId: String(o.id),
      id,
      shortname: o.x_mitre_shortname,
      name: o.name,
      order: 0,
    });
  }
  const matrix = all.find(
    (o) => o.type === 'x-mitre-matrix' && isLive(o) && attackId(o) === 'enterprise-attack',
  );
  const order = Array.isArray(matrix?.tactic_refs) ? (matrix.tactic_refs as unknown[]) : [];
  const tactics: AttackTacticEntry[] = [];
  for (const [index, ref] of order.entries()) {
    const t = tacticObjects.get(String(ref));
    if (t) tactics.push({ id: t.id, shortname: t.shortname, name: t.name, order: index + 1 });
  }
  if (tactics.length !== tacticObjects.size) {
    throw new Error('the Enterprise matrix does not order every tactic');
  }
  const tacticNames = new Set(tactics.map((t) => t.shortname));

  const techniqueByStix = new Map<string, AttackTechniqueEntry>();
  for (const o of all) {
    if (o.type !== 'attack-pattern' || !isLive(o) || !isEnterprise(o)) continue;
    const id = attackId(o);
    if (!id || !/^T\d{4}(\.\d{3})?$/.test(id) || typeof o.name !== 'string') continue;
    const phases = Array.isArray(o.kill_chain_phases)
      ? (o.kill_chain_phases as { kill_chain_name?: unknown; phase_name?: unknown }[])
      : [];
    const techniqueTactics = phases
      .filter((p) => p.kill_chain_name === 'mitre-attack' && typeof p.phase_name === 'string')
      .map((p) => String(p.phase_name))
      .filter((name) => tacticNames.has(name));
    keep(o);
    techniqueByStix.set(String(o.id), {
      id,
      name: o.name,
      tactics: [...new Set(techniqueTactics)].sort(
        (a, b) =>
          (tactics.find((t) => t.shortname === a)?.order ?? 0) -
          (tactics.find((t) => t.shortname === b)?.order ?? 0),
      ),
    });
  }

  const mitigationByStix = new Map<string, { id: string; name: string; techniques: Set<string> }>();
  for (const o of all) {
    if (o.type !== 'course-of-action' || !isLive(o) || !isEnterprise(o)) continue;
    const id = attackId(o);
    if (!id || !/^M\d{4}$/.test(id) || typeof o.name !== 'string') continue;
    keep(o);
    mitigationByStix.set(String(o.id), { id, name: o.name, techniques: new Set() });
  }
  for (const o of all) {
    if (o.type !== 'relationship' || o.relationship_type !== 'mitigates' || !isLive(o)) continue;
    const mitigation = mitigationByStix.get(String(o.source_ref));
    const technique = techniqueByStix.get(String(o.target_ref));
    if (mitigation && technique) mitigation.techniques.add(technique.id);
  }
  const mitigations: AttackMitigationEntry[] = [...mitigationByStix.values()]
    .map((m) => ({ id: m.id, name: m.name, techniques: [...m.techniques].sort() }))
    .sort(byId);

  return {
    attribution: ATTACK_ATTRIBUTION,
    source: options.source,
    version: latest.slice(0, 10),
    specVersion: spec,
    tactics,
    techniques: [...techniqueByStix.values()].sort(byId),
    mitigations,
  };
}

/**
 * The committed file's text: one tactic, technique or mitigation a line, so a regeneration
 * after an ATT&CK release shows as a readable diff. Deterministic for the same input.
 */
export function formatAttackCatalogue(catalogue: AttackCatalogueData): string {
  const list = (items: readonly unknown[]): string =>
    items.length === 0
      ? '[]'
      : `[\n${items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]`;
  return [
    '{',
    `  "attribution": ${JSON.stringify(catalogue.attribution)},`,
    `  "source": ${JSON.stringify(catalogue.source)},`,
    `  "version": ${JSON.stringify(catalogue.version)},`,
    `  "specVersion": ${JSON.stringify(catalogue.specVersion)},`,
    `  "tactics": ${list(catalogue.tactics)},`,
    `  "techniques": ${list(catalogue.techniques)},`,
    `  "mitigations": ${list(catalogue.mitigations)}`,
    '}',
    '',
  ].join('\n');
}

/** The provenance line from the SOURCE.txt that travels with the bundle (its first clause). */
export function attackSourceLine(sourceText: string | undefined): string {
  const first = sourceText?.split(':')[0]?.trim();
  return first
    ? `${first}: MITRE ATT&CK Enterprise STIX 2.1 bundle`
    : 'MITRE ATT&CK Enterprise STIX 2.1 bundle';
}
