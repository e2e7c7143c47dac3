import { describe, expect, it } from 'vitest';
import type { NetworkSegment } from '../assets/asset.ts';
import { deriveAttackCategory } from './attack-category-mapping.ts';
import type { IdentificationFact } from './identification-fact.ts';
import { identifiedFields } from './identified-fields.ts';
import { classifyOrigin } from './origin-class.ts';

const segment: NetworkSegment = {
  id: 's1',
  tenantId: 't',
  name: 'office',
  cidr: '10.20.0.0/16',
  vlan: null,
  zone: 'user',
  gateway: null,
  description: '',
  createdAt: 0,
};
const servers: NetworkSegment = { ...segment, id: 's2', name: 'servers', cidr: '10.20.5.0/24' };

describe('origin classes', () => {
  it('internal by the most specific documented segment', () => {
    expect(classifyOrigin('10.20.5.9', [segment, servers])).toMatchObject({
      class: 'internal',
      segment: { id: 's2' },
    });
    expect(classifyOrigin('10.20.9.9', [segment, servers])).toMatchObject({
      class: 'internal',
      segment: { id: 's1' },
    });
  });

  it('lab/reserved for special-purpose ranges and undocumented private space', () => {
    for (const [address, range] of [
      ['127.0.0.1', '127.0.0.0/8'],
      ['169.254.10.1', '169.254.0.0/16'],
      ['198.18.0.5', '198.18.0.0/15'],
      ['198.19.255.1', '198.18.0.0/15'],
      ['203.0.113.7', '203.0.113.0/24'],
      ['10.99.0.1', '10.0.0.0/8'],
      ['fd12::1', 'fc00::/7'],
      ['fd00:c0d0::5', 'fd00:c0d0::/64'],
      ['2001:db8::1', '2001:db8::/32'],
      ['::1', '::1/128'],
      ['fe80::1', 'fe80::/10'],
    ] as const) {
      const c = classifyOrigin(address, [segment]);
      expect(c, address).toMatchObject({ class: 'lab' });
      expect(c.kind === 'classified' && c.range?.startsWith(`${range} `), address).toBe(true);
    }
  });

  it('external otherwise; no class for what is not an address', () => {
    expect(classifyOrigin('1.1.1.1', [segment])).toMatchObject({ class: 'external' });
    expect(classifyOrigin('2606:4700::1111', [])).toMatchObject({ class: 'external' });
    expect(classifyOrigin('198.20.0.1', [])).toMatchObject({ class: 'external' });
    expect(classifyOrigin('not-an-ip', [])).toEqual({ kind: 'not_an_address' });
    expect(classifyOrigin('10.0.0.0/8', [])).toEqual({ kind: 'not_an_address' });
  });
});

describe('attack category mapping', () => {
  it('takes the most specific category pointed at', () => {
    expect(
      deriveAttackCategory({ techniques: ['T1059.001'], tactics: ['execution'], ruleTexts: [] }),
    ).toEqual({ category: 'malware', basis: ['T1059.001', 'tactic:execution'] });
    expect(
      deriveAttackCategory({ techniques: ['T1059.001', 'T1486'], tactics: [], ruleTexts: [] }),
    ).toMatchObject({ category: 'ransomware', basis: ['T1486'] });
    expect(
      deriveAttackCategory({
        techniques: ['T1110.001'],
        tactics: ['credential-access'],
        ruleTexts: [],
      }),
    ).toMatchObject({ category: 'credential_attack' });
    expect(
      deriveAttackCategory({
        techniques: [],
        tactics: [],
        ruleTexts: ['Possible Cobalt Strike Beacon'],
      }),
    ).toMatchObject({ category: 'command_and_control' });
    expect(
      deriveAttackCategory({ techniques: ['T1082'], tactics: ['discovery'], ruleTexts: [] }),
    ).toBe(undefined);
  });
});

describe('the incident fields from facts', () => {
  const fact = (
    value: IdentificationFact['value'],
    state: IdentificationFact['state'] = 'inferred',
  ) =>
    ({
      tenantId: 't',
      incidentId: 'i',
      kind: value.kind,
      key: value.key,
      value,
      sources: [],
      state,
      updatedAt: 0,
      updatedBy: 'x',
    }) satisfies IdentificationFact;
  const asset = (name: string, seenAs: string[]) =>
    ({
      kind: 'asset',
      key: name,
      assetId: name,
      name,
      assetKind: null,
      criticality: null,
      owner: null,
      segment: null,
      functions: [],
      seenAs,
    }) as const;

  it('keeps what people wrote, replaces resolved host names, drops what was removed', () => {
    const fields = identifiedFields(
      {
        affectedAssets: ['ws-07.acme.local', 'typed-by-hand', 'old-host'],
        attackTechniques: ['T1566.001', 'T1059'],
        origins: [{ address: '203.0.113.9', scope: 'external' }],
        firstActivityAt: 5,
      },
      [
        fact(asset('WS-07', ['ws-07.acme.local'])),
        fact(asset('old', ['old-host']), 'removed'),
        fact({ kind: 'technique', key: 'T1059', id: 'T1059', name: 'x', tactics: [] }, 'removed'),
        fact({ kind: 'technique', key: 'T1105', id: 'T1105', name: 'y', tactics: [] }),
        fact({
          kind: 'origin',
          key: '203.0.113.9',
          address: '203.0.113.9',
          class: 'lab',
          segment: null,
          range: '203.0.113.0/24 documentation',
          country: null,
          asn: null,
          asOrganisation: null,
        }),
        fact({ kind: 'activity', key: 'first', at: 3 }, 'corrected'),
      ],
    );
    expect(fields).toEqual({
      affectedAssets: ['typed-by-hand', 'WS-07'],
      attackTechniques: ['T1566.001', 'T1105'],
      origins: [
        {
          address: '203.0.113.9',
          scope: 'external',
          note: 'lab/reserved: 203.0.113.0/24 documentation',
        },
      ],
      firstActivityAt: 3,
    });
  });
});
