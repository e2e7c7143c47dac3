/**
 * issue 13: the actions added by the hardening — `rotate-server-key` (a new server key, only
 * ever a well-formed Ed25519 key) and `force` on `disable-account` (true or absent, nothing
 * that merely looks true).
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_ACTION_KINDS, parseCommandAction } from './command-action.ts';
import { WireFormatError } from './wire-reader.ts';

describe('parseCommandAction: rotate-server-key and force', () => {
  it('reads a rotation carrying a raw Ed25519 key, and refuses anything else', () => {
    const publicKey = `${'a'.repeat(42)}A`;
    expect(parseCommandAction({ kind: 'rotate-server-key', publicKey })).toEqual({
      kind: 'rotate-server-key',
      publicKey,
    });
    expect(COMMAND_ACTION_KINDS).toContain('rotate-server-key');
    for (const bad of [undefined, '', 'a'.repeat(43), `${'a'.repeat(42)}B`, 'a'.repeat(44), 7]) {
      expect(() => parseCommandAction({ kind: 'rotate-server-key', publicKey: bad })).toThrow(
        WireFormatError,
      );
    }
  });

  it('keeps force only when it is true', () => {
    const action = { kind: 'disable-account', user: 'svc-backup' };
    expect(parseCommandAction({ ...action, force: true })).toEqual({ ...action, force: true });
    expect(parseCommandAction({ ...action, force: false })).toEqual(action);
    expect(parseCommandAction(action)).toEqual(action);
    for (const force of ['true', 1, null, {}]) {
      expect(() => parseCommandAction({ ...action, force })).toThrow(/force must be true/);
    }
  });
});
