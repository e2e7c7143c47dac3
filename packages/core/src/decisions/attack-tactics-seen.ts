/**
 * Which ATT&CK tactics an incident's techniques show, for the residual-risk score: lateral
 * movement (TA0008) and exfiltration (TA0010) make leaving a host running riskier. An incident
 * may record tactic ids directly; a technique counts through its tactics. The techniques below
 * are the (non-revoked, top-level) techniques ATT&CK Enterprise files under those two tactics;
 * a sub-technique counts through its parent. A fuller catalogue can be passed as `tacticsOf`.
 * `attack-tactics-seen.test.ts` checks the table against the ATT&CK bundle when it is present.
 */
export const LATERAL_MOVEMENT = 'TA0008';
export const EXFILTRATION = 'TA0010';

export const TECHNIQUES_BY_TACTIC: Readonly<Record<string, readonly string[]>> = {
  [LATERAL_MOVEMENT]: [
    'T1021',
    'T1072',
    'T1080',
    'T1091',
    'T1210',
    'T1534',
    'T1550',
    'T1563',
    'T1570',
  ],
  [EXFILTRATION]: ['T1011', 'T1020', 'T1029', 'T1030', 'T1041', 'T1048', 'T1052', 'T1537', 'T1567'],
};

export type TacticLookup = (techniqueId: string) => readonly string[];

/** The built-in lookup: the two tactics above, by a technique's parent id. */
export const builtInTactics: TacticLookup = (techniqueId) => {
  const parent = techniqueId.trim().toUpperCase().split('.')[0] ?? '';
  return Object.entries(TECHNIQUES_BY_TACTIC)
    .filter(([, techniques]) => techniques.includes(parent))
    .map(([tactic]) => tactic);
};

export interface TacticEvidence {
  readonly tactic: string;
  /** The recorded ids (tactic or technique) that show it. */
  readonly via: readonly string[];
}

export function tacticSeen(
  recorded: readonly string[],
  tactic: string,
  tacticsOf: TacticLookup = builtInTactics,
): TacticEvidence | undefined {
  const via = recorded.filter((id) => {
    const normal = id.trim().toUpperCase();
    return normal === tactic || tacticsOf(normal).includes(tactic);
  });
  return via.length === 0 ? undefined : { tactic, via };
}
