/**
 * Typed look-ups over the ATT&CK catalogue Cordon ships: technique and tactic names for
 * identification, mitigations for recovery's change suggestions. The data is a committed
 * JSON file imported as a module (no I/O at run time); the indexes are built on first use.
 */
import catalogueJson from './enterprise-attack.catalogue.json' with { type: 'json' };
import type {
  AttackCatalogueData,
  AttackTacticEntry,
  AttackTechniqueEntry,
} from './attack-catalogue-data.ts';

const catalogue: AttackCatalogueData = catalogueJson;

export interface AttackTechnique extends AttackTechniqueEntry {
  /** The parent technique's id for a sub-technique (T1059 for T1059.001), else null. */
  readonly parentId: string | null;
}

export interface AttackMitigation {
  readonly id: string;
  readonly name: string;
}

interface Indexes {
  readonly techniques: ReadonlyMap<string, AttackTechnique>;
  readonly tacticsByShortname: ReadonlyMap<string, AttackTacticEntry>;
  readonly tacticsById: ReadonlyMap<string, AttackTacticEntry>;
  readonly mitigationsByTechnique: ReadonlyMap<string, readonly AttackMitigation[]>;
}

let indexes: Indexes | undefined;

function index(): Indexes {
  if (indexes) return indexes;
  const techniques = new Map<string, AttackTechnique>();
  for (const t of catalogue.techniques) {
    const dot = t.id.indexOf('.');
    techniques.set(t.id, { ...t, parentId: dot < 0 ? null : t.id.slice(0, dot) });
  }
  const mitigationsByTechnique = new Map<string, AttackMitigation[]>();
  for (const m of catalogue.mitigations) {
    for (const techniqueId of m.techniques) {
      const list = mitigationsByTechnique.get(techniqueId) ?? [];
      list.push({ id: m.id, name: m.name });
      mitigationsByTechnique.set(techniqueId, list);
    }
  }
  indexes = {
    techniques,
    tacticsByShortname: new Map(catalogue.tactics.map((t) => [t.shortname, t])),
    tacticsById: new Map(catalogue.tactics.map((t) => [t.id, t])),
    mitigationsByTechnique,
  };
  return indexes;
}

/** Ids are matched case-insensitively: `t1059.001` finds T1059.001. */
export function attackTechnique(id: string): AttackTechnique | undefined {
  return index().techniques.get(id.trim().toUpperCase());
}

/**
 * A tactic by its shortname (`execution`, `command-and-control`); Sigma's underscore form
 * (`command_and_control`) and the tactic id (TA0011) are accepted too.
 */
export function attackTactic(shortnameOrId: string): AttackTacticEntry | undefined {
  const key = shortnameOrId.trim().toLowerCase();
  const { tacticsByShortname, tacticsById } = index();
  return tacticsByShortname.get(key.replaceAll('_', '-')) ?? tacticsById.get(key.toUpperCase());
}

/** Every tactic in matrix order. */
export function attackTactics(): readonly AttackTacticEntry[] {
  return catalogue.tactics;
}

/**
 * The mitigations ATT&CK lists for a technique. A sub-technique with none of its own falls
 * back to its parent's; an unknown id has none.
 */
export function mitigationsFor(techniqueId: string): readonly AttackMitigation[] {
  const technique = attackTechnique(techniqueId);
  if (!technique) return [];
  const { mitigationsByTechnique } = index();
  const own = mitigationsByTechnique.get(technique.id);
  if (own && own.length > 0) return own;
  return technique.parentId ? (mitigationsByTechnique.get(technique.parentId) ?? []) : [];
}

/** Where the catalogue came from, for the API, the README and reports. */
export function attackCatalogueInfo(): {
  readonly attribution: string;
  readonly source: string;
  readonly version: string;
  readonly specVersion: string;
} {
  return {
    attribution: catalogue.attribution,
    source: catalogue.source,
    version: catalogue.version,
    specVersion: catalogue.specVersion,
  };
}
