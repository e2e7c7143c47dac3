import { describe, expect, it } from 'vitest';
import { BoundedMap, RecentSet } from './bounded-map.ts';

describe('BoundedMap', () => {
  it('evicts the least recently touched key, also when the newest is touched again', () => {
    const map = new BoundedMap<string, number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    map.get('a'); // order b, c, a
    map.get('a'); // touching the newest again changes nothing
    map.get('b'); // order c, a, b
    map.set('d', 4); // evicts c
    expect([...map.entries()].map(([k]) => k)).toEqual(['a', 'b', 'd']);
    expect(map.evictions).toBe(1);
    map.delete('d');
    map.get('a'); // after deleting the newest, touching a moves it last
    map.set('e', 5);
    map.set('f', 6); // evicts b
    expect([...map.entries()].map(([k]) => k)).toEqual(['a', 'e', 'f']);
    expect(map.upsert('a', () => 9)).toBe(1);
    expect(map.upsert('g', () => 7)).toBe(7); // evicts e (a was just touched)
    expect([...map.entries()].map(([k]) => k)).toEqual(['f', 'a', 'g']);
  });
});

describe('RecentSet', () => {
  it('keeps members in the order last seen, the newest seen again only changing its time', () => {
    const set = new RecentSet(3);
    set.add('x', 1);
    set.add('y', 2);
    set.add('y', 5);
    set.add('x', 6);
    set.add('x', 7);
    expect(set.toJSON()).toEqual([
      ['y', 5],
      ['x', 7],
    ]);
    set.prune(6);
    expect(set.toJSON()).toEqual([['x', 7]]);
    set.prune(8);
    set.add('x', 9); // pruned newest comes back as a new member
    set.add('z', 10);
    set.add('w', 11);
    set.add('v', 12); // cap 3: x goes
    expect(set.members()).toEqual(['z', 'w', 'v']);
    expect(set.oldest()).toBe(10);
  });
});
