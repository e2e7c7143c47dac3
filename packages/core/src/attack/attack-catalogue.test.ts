import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  attackCatalogueInfo,
  attackTactic,
  attackTactics,
  attackTechnique,
  mitigationsFor,
} from './attack-catalogue.ts';
import {
  attackSourceLine,
  buildAttackCatalogue,
  formatAttackCatalogue,
} from './build-attack-catalogue.ts';
import { parseSigmaAttackTag, sigmaAttackTags } from './sigma-attack-tags.ts';

const here = dirname(fileURLToPath(import.meta.url));
const bundlePath = join(here, '../../../../../shared/data/attack/enterprise-attack.json');
const hasBundle = existsSync(bundlePath);
if (!hasBundle) console.warn(`skipping the catalogue regeneration check: no ${bundlePath}`);

describe('the shipped ATT&CK catalogue', () => {
  it.skipIf(!hasBundle)('is exactly what the generator makes from the STIX bundle', () => {
    const sourceFile = join(dirname(bundlePath), 'SOURCE.txt');
    const rebuilt = buildAttackCatalogue(JSON.parse(readFileSync(bundlePath, 'utf8')), {
      source: attackSourceLine(
        existsSync(sourceFile) ? readFileSync(sourceFile, 'utf8') : undefined,
      ),
    });
    const committed = readFileSync(join(here, 'enterprise-attack.catalogue.json'), 'utf8');
    expect(formatAttackCatalogue(rebuilt)).toBe(committed);
  });

  it('names techniques, sub-techniques and tactics', () => {
    expect(attackTechnique('T1059.001')).toMatchObject({
      name: 'PowerShell',
      tactics: ['execution'],
      parentId: 'T1059',
    });
    expect(attackTechnique('t1059')?.name).toBe('Command and Scripting Interpreter');
    expect(attackTechnique('T9999')).toBeUndefined();
    expect(attackTactic('command_and_control')).toMatchObject({ id: 'TA0011' });
    expect(attackTactic('TA0002')?.shortname).toBe('execution');
    expect(attackTactics().map((t) => t.order)).toEqual(attackTactics().map((_, i) => i + 1));
    expect(attackTactics()[0]?.shortname).toBe('reconnaissance');
  });

  it('drops revoked and deprecated objects', () => {
    // T1086 (PowerShell) was revoked in favour of T1059.001; M-less mitigations are deprecated.
    expect(attackTechnique('T1086')).toBeUndefined();
  });

  it('lists mitigations, falling back to the parent technique', () => {
    const ps = mitigationsFor('T1059.001').map((m) => m.id);
    expect(ps).toContain('M1042');
    expect(ps).toContain('M1038');
    // T1027.001 (Binary Padding) has no mitigation of its own in ATT&CK: it gets T1027's.
    const parent = mitigationsFor('T1027').map((m) => m.id);
    expect(parent.length).toBeGreaterThan(0);
    expect(mitigationsFor('T1027.001').map((m) => m.id)).toEqual(parent);
    expect(mitigationsFor('T9999')).toEqual([]);
  });

  it('says where it came from', () => {
    const info = attackCatalogueInfo();
    expect(info.attribution).toContain('MITRE ATT&CK®');
    expect(info.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('Sigma ATT&CK tags', () => {
  it('reads techniques and tactics, ignoring groups, software and unknown names', () => {
    expect(parseSigmaAttackTag('attack.t1059.001')).toEqual({
      kind: 'technique',
      id: 'T1059.001',
      name: 'PowerShell',
      known: true,
    });
    expect(parseSigmaAttackTag('attack.execution')).toEqual({
      kind: 'tactic',
      shortname: 'execution',
      id: 'TA0002',
      name: 'Execution',
    });
    expect(parseSigmaAttackTag('attack.g0016')).toBeUndefined();
    expect(parseSigmaAttackTag('attack.s0002')).toBeUndefined();
    expect(parseSigmaAttackTag('attack.made_up')).toBeUndefined();
    expect(parseSigmaAttackTag('cve.2021-44228')).toBeUndefined();
    expect(parseSigmaAttackTag('attack.t1086')).toEqual({
      kind: 'technique',
      id: 'T1086',
      known: false,
    });
    expect(
      sigmaAttackTags(['attack.execution', 'attack.t1059.001', 'attack.T1059.001']).map((t) =>
        t.kind === 'technique' ? t.id : t.shortname,
      ),
    ).toEqual(['execution', 'T1059.001']);
  });
});
