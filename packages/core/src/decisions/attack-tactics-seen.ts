/**
 * Which ATT&CK tactics an incident's techniques show, for the residual-risk score: lateral
 * movement (TA0008) and exfiltration (TA0010) make leaving a host running riskier. An incident
 * may record tactic ids directly; a technique counts through the tactics the shipped ATT&CK
 * catalogue files it under (a sub-technique unknown to it, through its parent).
 */
import { attackTactic, attackTechnique } from '../attack/attack-catalogue.ts';

export const LATERAL_MOVEMENT = 'TA0008';
export const EXFILTRATION = 'TA0010';

export type TacticLookup = (techniqueId: string) => readonly string[];

/** Tactic ids of a technique, from the ATT&CK catalogue. */
export const catalogueTactics: TacticLookup = (techniqueId) => {
  const id = techniqueId.trim().toUpperCase();
  const technique = attackTechnique(id) ?? attackTechnique(id.split('.')[0] ?? '');
  return (technique?.tactics ?? []).flatMap((shortname) => attackTactic(shortname)?.id ?? []);
};

export interface TacticEvidence {
  readonly tactic: string;
  /** The recorded ids (tactic or technique) that show it. */
  readonly via: readonly string[];
}

export function tacticSeen(
  recorded: readonly string[],
  tactic: string,
  tacticsOf: TacticLookup = catalogueTactics,
): TacticEvidence | undefined {
  const via = recorded.filter((id) => {
    const normal = id.trim().toUpperCase();
    return normal === tactic || tacticsOf(normal).includes(tactic);
  });
  return via.length === 0 ? undefined : { tactic, via };
}
