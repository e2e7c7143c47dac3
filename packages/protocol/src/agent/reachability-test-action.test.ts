/** issue 14: the `reachability-test` action — addresses that are addresses, bounded probes and timeout. */
import { describe, expect, it } from 'vitest';
import { COMMAND_ACTION_KINDS, parseCommandAction } from './command-action.ts';
import { WireFormatError } from './wire-reader.ts';

describe('parseCommandAction: reachability-test', () => {
  it('reads probes to single addresses with a bounded timeout', () => {
    expect(COMMAND_ACTION_KINDS).toContain('reachability-test');
    expect(
      parseCommandAction({
        kind: 'reachability-test',
        probes: [
          { address: '198.18.0.5', port: 22 },
          { address: 'fd00:c0d0::5', port: 443 },
        ],
        timeoutMs: 500,
      }),
    ).toEqual({
      kind: 'reachability-test',
      probes: [
        { address: '198.18.0.5', port: 22 },
        { address: 'fd00:c0d0::5', port: 443 },
      ],
      timeoutMs: 500,
    });
  });

  it('refuses networks, names, bad ports, no probes, too many, and unbounded timeouts', () => {
    const base = { kind: 'reachability-test', timeoutMs: 500 };
    for (const probes of [
      [{ address: '198.18.0.0/24', port: 22 }],
      [{ address: 'example.com', port: 22 }],
      [{ address: '198.18.0.5', port: 0 }],
      [{ address: '198.18.0.5', port: 65_536 }],
      [{ address: '198.18.0.5', port: '22' }],
      [],
      Array.from({ length: 65 }, () => ({ address: '198.18.0.5', port: 22 })),
    ]) {
      expect(() => parseCommandAction({ ...base, probes })).toThrow(WireFormatError);
    }
    const probes = [{ address: '198.18.0.5', port: 22 }];
    for (const timeoutMs of [0, 99, 10_001, undefined, '500'])
      expect(() => parseCommandAction({ ...base, probes, timeoutMs })).toThrow(WireFormatError);
  });
});
