/**
 * The ATT&CK mitigations of an incident's techniques, offered when a change record is written:
 * each mitigation once, with the techniques it answers, in the order of the techniques. The
 * catalogue (`mitigationsFor` of attack/attack-catalogue.ts) is given as a lookup, so tests may
 * pass their own.
 */
export type MitigationLookup = (
  techniqueId: string,
) => readonly { readonly id: string; readonly name: string }[];

export interface MitigationSuggestion {
  readonly mitigationId: string;
  readonly name: string;
  readonly techniqueIds: readonly string[];
  /** True when a change record of the incident already implements it. */
  readonly adopted: boolean;
}

export function mitigationSuggestions(
  techniqueIds: readonly string[],
  lookup: MitigationLookup,
  adoptedIds: ReadonlySet<string>,
): MitigationSuggestion[] {
  const byId = new Map<string, { m: { id: string; name: string }; techniques: string[] }>();
  for (const techniqueId of techniqueIds) {
    for (const m of lookup(techniqueId)) {
      const entry = byId.get(m.id) ?? { m, techniques: [] as string[] };
      if (!entry.techniques.includes(techniqueId)) entry.techniques.push(techniqueId);
      byId.set(m.id, entry);
    }
  }
  return [...byId.values()].map(({ m, techniques }) => ({
    mitigationId: m.id,
    name: m.name,
    techniqueIds: techniques,
    adopted: adoptedIds.has(m.id),
  }));
}
