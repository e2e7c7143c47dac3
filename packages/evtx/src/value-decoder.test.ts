import { describe, expect, it } from 'vitest';
import { decodeValue } from './value-decoder.ts';
import { FiletimeValue, GuidValue } from './xml-tree.ts';

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

function le(value: bigint, size: number): number[] {
  return Array.from({ length: size }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
}

describe('decodeValue', () => {
  it('decodes integers with their sign and width', () => {
    expect(decodeValue(bytes(0xff), 0, 1, 0x03)).toBe(-1);
    expect(decodeValue(bytes(0xff), 0, 1, 0x04)).toBe(255);
    expect(decodeValue(bytes(0xfe, 0xff), 0, 2, 0x05)).toBe(-2);
    expect(decodeValue(bytes(...le(4294967295n, 4)), 0, 4, 0x08)).toBe(4294967295);
    expect(decodeValue(bytes(...le(-5n & 0xffffffffffffffffn, 8)), 0, 8, 0x09)).toBe(-5);
    expect(decodeValue(bytes(...le(2n ** 64n - 1n, 8)), 0, 8, 0x0a)).toBe('18446744073709551615');
  });

  it('writes hex integers and size_t without padding, as Windows does', () => {
    expect(decodeValue(bytes(...le(0x3e7n, 4)), 0, 4, 0x14)).toBe('0x3e7');
    expect(decodeValue(bytes(...le(0x8020000000000000n, 8)), 0, 8, 0x15)).toBe(
      '0x8020000000000000',
    );
    expect(decodeValue(bytes(...le(0x10n, 8)), 0, 8, 0x10)).toBe('0x10');
    expect(decodeValue(bytes(...le(0x10n, 4)), 0, 4, 0x10)).toBe('0x10');
  });

  it('treats any non-zero boolean as true', () => {
    expect(decodeValue(bytes(2, 0, 0, 0), 0, 4, 0x0d)).toBe(true);
    expect(decodeValue(bytes(0, 0, 0, 0), 0, 4, 0x0d)).toBe(false);
  });

  it('decodes GUIDs, SIDs and times', () => {
    const guid = bytes(
      0x5f,
      0x38,
      0x70,
      0x57,
      0x2a,
      0xc2,
      0xe0,
      0x43,
      0xbf,
      0x4c,
      0x06,
      0xf5,
      0x69,
      0x8f,
      0xfb,
      0xd9,
    );
    expect(decodeValue(guid, 0, 16, 0x0f)).toEqual(
      new GuidValue('5770385F-C22A-43E0-BF4C-06F5698FFBD9'),
    );
    const sid = bytes(1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0);
    expect(decodeValue(sid, 0, 16, 0x13)).toBe('S-1-5-32-544');
    // A SID cut short keeps what it has instead of failing the record.
    expect(decodeValue(sid, 0, 12, 0x13)).toBe('S-1-5-32');
    // 2019-07-19T14:42:51.4462813Z as FILETIME ticks.
    const ticks =
      BigInt(Date.UTC(2019, 6, 19, 14, 42, 51)) * 10000n + 11644473600n * 10000000n + 4462813n;
    expect(decodeValue(bytes(...le(ticks, 8)), 0, 8, 0x11)).toEqual(
      new FiletimeValue('2019-07-19T14:42:51.4462813Z'),
    );
    const systemtime = bytes(
      ...le(2020n, 2),
      ...le(2n, 2),
      0,
      0,
      ...le(29n, 2),
      ...le(23n, 2),
      ...le(59n, 2),
      ...le(58n, 2),
      ...le(7n, 2),
    );
    expect(decodeValue(systemtime, 0, 16, 0x12)).toBe('2020-02-29T23:59:58.007Z');
  });

  it('decodes strings, binary and arrays', () => {
    const text = bytes(0x68, 0, 0x69, 0, 0, 0);
    expect(decodeValue(text, 0, 6, 0x01)).toBe('hi');
    expect(decodeValue(bytes(0xde, 0xad), 0, 2, 0x0e)).toBe('DEAD');
    expect(decodeValue(bytes(0x61, 0, 0, 0, 0x62, 0, 0, 0), 0, 8, 0x81)).toEqual(['a', 'b']);
    expect(decodeValue(bytes(1, 0, 2, 0), 0, 4, 0x86)).toEqual([1, 2]);
  });

  it('keeps values too short for their type as hex instead of failing', () => {
    expect(decodeValue(bytes(1, 2), 0, 2, 0x08)).toBe('0102');
    expect(decodeValue(bytes(), 0, 0, 0x0f)).toBeNull();
  });
});
