import { describe, expect, it } from 'vitest';
import { GramIndex, LiteralHits } from './gram-index.ts';

function found(index: GramIndex, text: string): number[] {
  const hits = new LiteralHits();
  index.scan(text, hits);
  return [...new Set(hits.ids.subarray(0, hits.count))].sort((a, b) => a - b);
}

describe('GramIndex', () => {
  it('finds exactly the literals a text contains (seeded random literals and texts)', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed >> 8) % n;
    };
    // A small alphabet makes overlaps, shared anchors and hash collisions frequent.
    const alphabet = 'ab\\.c é';
    const word = (length: number): string =>
      Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
    const literals = [...new Set(Array.from({ length: 400 }, () => word(1 + random(30))))];
    const index = new GramIndex(literals);
    for (let t = 0; t < 300; t++) {
      const text = word(random(120));
      const expected = literals.flatMap((l, id) => (text.includes(l) ? [id] : []));
      expect(found(index, text), JSON.stringify(text)).toEqual(expected);
    }
  });

  it('finds literals at the start and the end of the text, and texts shorter than a window', () => {
    const index = new GramIndex(['cmd', 'powershell', '\\rundll32.exe', 'ab']);
    expect(found(index, 'cmd /c x')).toEqual([0]);
    expect(found(index, 'c:\\windows\\system32\\rundll32.exe')).toEqual([2]);
    expect(found(index, 'POWERSHELL')).toEqual([]);
    expect(found(index, 'xpowershell')).toEqual([1]);
    expect(found(index, 'ab')).toEqual([3]);
    expect(found(index, 'cm')).toEqual([]);
  });
});
