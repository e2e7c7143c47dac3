import { describe, expect, it } from 'vitest';
import { findCef, parseCef } from './cef.ts';

describe('parseCef', () => {
  it('reads header and extension with escapes', () => {
    const record = parseCef(
      String.raw`CEF:0|Security|threatmanager|1.0|100|detected a \| in message|10|src=10.0.0.1 act=blocked a \= dst=2.1.2.2 msg=line one\nline two path=C:\\Windows\\cmd.exe cs1Label=Rule Name cs1=Allow all`,
    );
    expect(record).toEqual({
      version: 0,
      deviceVendor: 'Security',
      deviceProduct: 'threatmanager',
      deviceVersion: '1.0',
      deviceEventClassId: '100',
      name: 'detected a | in message',
      severity: '10',
      extension: {
        src: '10.0.0.1',
        act: 'blocked a =',
        dst: '2.1.2.2',
        msg: 'line one\nline two',
        path: String.raw`C:\Windows\cmd.exe`,
        cs1Label: 'Rule Name',
        cs1: 'Allow all',
      },
    });
  });

  it('reads a header with an escaped backslash and an empty extension', () => {
    expect(parseCef(String.raw`CEF:1|Ven\\dor|P|1|sig|Name|Low|`)).toMatchObject({
      version: 1,
      deviceVendor: String.raw`Ven\dor`,
      severity: 'Low',
      extension: {},
    });
  });

  it('explains broken records', () => {
    expect(parseCef('CEF:0|a|b|c')).toMatch(/header has 4 of 8/);
    expect(parseCef('CEF:x|a|b|c|d|e|f|')).toMatch(/version/);
    expect(parseCef('hello')).toMatch(/not CEF/);
  });

  it('finds CEF after a syslog prefix word', () => {
    expect(findCef('CEF:0|a')).toBe(0);
    expect(findCef('fw01 CEF:0|a')).toBe(5);
    expect(findCef('no cef here')).toBe(-1);
  });
});
