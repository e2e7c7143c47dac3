/** Which rule pack a rule file belongs to: the pack whose directory holds it. */
import { sep } from 'node:path';

export interface RulePackRoot {
  readonly pack: string;
  readonly dir: string;
}

/** Our own rules (packages/ingest/rules) as a pack. */
export const SHIPPED_RULE_PACK = 'cordon';

export function rulePackOf(file: string, roots: readonly RulePackRoot[]): string | undefined {
  for (const root of roots) {
    const dir = root.dir.endsWith(sep) ? root.dir : root.dir + sep;
    if (file.startsWith(dir)) return root.pack;
  }
  return undefined;
}
