/**
 * The built-in table of lateral-movement and exfiltration techniques against the ATT&CK
 * Enterprise bundle (`../shared/data/attack/enterprise-attack.json`), and how recorded ids count.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EXFILTRATION,
  LATERAL_MOVEMENT,
  TECHNIQUES_BY_TACTIC,
  tacticSeen,
} from './attack-tactics-seen.ts';

const bundlePath = resolve(
  import.meta.dirname,
  '../../../../../shared/data/attack/enterprise-attack.json',
);
const hasBundle = existsSync(bundlePath);
if (!hasBundle) console.warn(`skipping the ATT&CK table check: ${bundlePath} is absent`);

describe('attack tactics seen', () => {
  it.skipIf(!hasBundle)(
    'lists exactly the top-level techniques ATT&CK files under TA0008 and TA0010',
    () => {
      const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as {
        objects: {
          type: string;
          revoked?: boolean;
          x_mitre_deprecated?: boolean;
          x_mitre_shortname?: string;
          external_references?: { source_name: string; external_id?: string }[];
          kill_chain_phases?: { phase_name: string }[];
        }[];
      };
      const idOf = (o: (typeof bundle.objects)[number]) =>
        o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id ?? '';
      const tacticIds = new Map(
        bundle.objects
          .filter((o) => o.type === 'x-mitre-tactic')
          .map((o) => [o.x_mitre_shortname, idOf(o)]),
      );
      expect(tacticIds.get('lateral-movement')).toBe(LATERAL_MOVEMENT);
      expect(tacticIds.get('exfiltration')).toBe(EXFILTRATION);
      for (const [phase, tactic] of [
        ['lateral-movement', LATERAL_MOVEMENT],
        ['exfiltration', EXFILTRATION],
      ] as const) {
        const techniques = bundle.objects
          .filter(
            (o) =>
              o.type === 'attack-pattern' &&
              o.revoked !== true &&
              o.x_mitre_deprecated !== true &&
              !idOf(o).includes('.') &&
              (o.kill_chain_phases ?? []).some((p) => p.phase_name === phase),
          )
          .map(idOf)
          .sort();
        expect(TECHNIQUES_BY_TACTIC[tactic]).toEqual(techniques);
      }
    },
  );

  it('counts a tactic id, a technique and a sub-technique through its parent; not others', () => {
    expect(tacticSeen(['TA0008'], LATERAL_MOVEMENT)?.via).toEqual(['TA0008']);
    expect(tacticSeen(['T1110', 't1021.002'], LATERAL_MOVEMENT)?.via).toEqual(['t1021.002']);
    expect(tacticSeen(['T1048.003'], EXFILTRATION)?.via).toEqual(['T1048.003']);
    expect(tacticSeen(['T1110', 'T1059.001'], LATERAL_MOVEMENT)).toBeUndefined();
    expect(tacticSeen(['T1059'], EXFILTRATION, () => [EXFILTRATION])?.via).toEqual(['T1059']);
  });
});
