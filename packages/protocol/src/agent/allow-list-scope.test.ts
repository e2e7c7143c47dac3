/**
 * issue 13: "an isolation whose allow-list contains 0.0.0.0/0 or ::/0 is no isolation: refuse
 * it". Checked where isolation commands are parsed, so the server's API (which parses every
 * requested action with `parseCommandAction`) and the agent refuse the same lists; and the
 * same space written another way (halves, mapped IPv4, NAT64, many /8s) is refused too.
 */
import { describe, expect, it } from 'vitest';
import { parseAllowRule } from './allow-rule.ts';
import { parseCommandAction } from './command-action.ts';
import { WireFormatError } from './wire-reader.ts';

const isolate = (allow: unknown[]) => parseCommandAction({ kind: 'isolate', allow });

describe('isolation allow-lists that are no isolation', () => {
  it('refuses 0.0.0.0/0 and ::/0, with or without ports', () => {
    for (const entry of [
      '0.0.0.0/0',
      '::/0',
      { network: '0.0.0.0/0', ports: [53] },
      { network: '::/0', ports: [443] },
      '10.1.2.3/0',
    ]) {
      expect(() => isolate([entry]), JSON.stringify(entry)).toThrow(WireFormatError);
      expect(() => parseAllowRule(entry), JSON.stringify(entry)).toThrow(/opens too much/);
    }
  });

  it('refuses the same space written other ways', () => {
    const lists: unknown[][] = [
      ['0.0.0.0/1', '128.0.0.0/1'],
      ['10.0.0.0/7'],
      ['::ffff:0:0/96'],
      ['::ffff:0.0.0.0/97'],
      ['64:ff9b::/96'],
      ['::/64'],
      ['2000::/3'],
      ['2001:db8::/31'],
      Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`),
      ['10.0.0.0/8', '11.0.0.0/8'],
      ['10.0.0.0/8', '::ffff:11.0.0.0/104'],
      ['2001:db8::/32', '2001:db9::/32'],
    ];
    for (const allow of lists) {
      expect(() => isolate(allow), allow.slice(0, 3).join(' ')).toThrow(WireFormatError);
    }
  });

  it('keeps narrow allow-lists, and counts a network inside another once', () => {
    expect(isolate(['10.0.0.0/8', '10.1.0.0/16', '10.0.0.0/8'])).toEqual({
      kind: 'isolate',
      allow: [{ network: '10.0.0.0/8' }, { network: '10.1.0.0/16' }, { network: '10.0.0.0/8' }],
    });
    expect(
      isolate([
        { network: '192.0.2.10', ports: [22] },
        '2001:db8::/32',
        '::ffff:198.51.100.0/120',
        '64:ff9b::c000:200/120',
      ]).kind,
    ).toBe('isolate');
    expect(parseCommandAction({ kind: 'isolate' })).toEqual({ kind: 'isolate' });
  });
});
