/** How recorded ATT&CK ids count as lateral movement or exfiltration seen. */
import { describe, expect, it } from 'vitest';
import {
  EXFILTRATION,
  LATERAL_MOVEMENT,
  catalogueTactics,
  tacticSeen,
} from './attack-tactics-seen.ts';

describe('attack tactics seen', () => {
  it('counts a tactic id, a technique and a sub-technique by the catalogue; not others', () => {
    expect(tacticSeen(['TA0008'], LATERAL_MOVEMENT)?.via).toEqual(['TA0008']);
    expect(tacticSeen(['T1110', 't1021.002'], LATERAL_MOVEMENT)?.via).toEqual(['t1021.002']);
    expect(tacticSeen(['T1048.003'], EXFILTRATION)?.via).toEqual(['T1048.003']);
    expect(tacticSeen(['T1110', 'T1059.001'], LATERAL_MOVEMENT)).toBeUndefined();
    expect(tacticSeen(['T1059'], EXFILTRATION, () => [EXFILTRATION])?.via).toEqual(['T1059']);
  });

  it('reads tactics from the catalogue, falling back to the parent of an unknown sub-technique', () => {
    expect(catalogueTactics('T1570')).toEqual([LATERAL_MOVEMENT]);
    expect(catalogueTactics('T1041.999')).toEqual([EXFILTRATION]);
    expect(catalogueTactics('T1078')).toEqual(expect.arrayContaining(['TA0001', 'TA0003']));
    expect(catalogueTactics('T9999')).toEqual([]);
  });
});
