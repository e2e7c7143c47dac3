/**
 * Reads ATT&CK references out of Sigma rule tags (`attack.t1059.001`, `attack.execution`).
 * Sigma writes technique ids in lower case and tactics with underscores; both are normalised
 * to the catalogue's form. Groups and software (`attack.g0016`, `attack.s0002`) are ignored,
 * and so is anything the catalogue does not know, so a hostile rule cannot invent a tactic.
 */
import { attackTactic, attackTechnique } from './attack-catalogue.ts';

export type SigmaAttackTag =
  | { readonly kind: 'technique'; readonly id: string; readonly name: string; readonly known: true }
  | { readonly kind: 'technique'; readonly id: string; readonly known: false }
  | {
      readonly kind: 'tactic';
      readonly shortname: string;
      readonly id: string;
      readonly name: string;
    };

const TECHNIQUE_TAG = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;
const TACTIC_TAG = /^attack\.([a-z][a-z_-]{2,40})$/i;

/** One tag; undefined when it is no ATT&CK technique or tactic. */
export function parseSigmaAttackTag(tag: string): SigmaAttackTag | undefined {
  const trimmed = tag.trim();
  const technique = TECHNIQUE_TAG.exec(trimmed);
  if (technique) {
    const id = technique[1]!.toUpperCase();
    const known = attackTechnique(id);
    return known
      ? { kind: 'technique', id, name: known.name, known: true }
      : { kind: 'technique', id, known: false };
  }
  const tactic = TACTIC_TAG.exec(trimmed);
  if (tactic) {
    const found = attackTactic(tactic[1]!);
    if (found)
      return { kind: 'tactic', shortname: found.shortname, id: found.id, name: found.name };
  }
  return undefined;
}

/** Every ATT&CK technique and tactic in a rule's tags, each once, in tag order. */
export function sigmaAttackTags(tags: readonly string[]): readonly SigmaAttackTag[] {
  const seen = new Set<string>();
  const out: SigmaAttackTag[] = [];
  for (const tag of tags) {
    const parsed = parseSigmaAttackTag(tag);
    if (!parsed) continue;
    const key = parsed.kind === 'technique' ? parsed.id : parsed.shortname;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(parsed);
  }
  return out;
}
