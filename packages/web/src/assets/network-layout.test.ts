import { describe, expect, it } from 'vitest';
import { HEADER_H, ROWS, ROW_H, layOutNetwork } from './network-layout.ts';
import type { NetworkMap, NetworkNode } from './use-network.ts';

const segment = (id: string, name: string) => ({
  segment: {
    id,
    name,
    cidr: '10.0.0.0/24',
    vlan: null,
    zone: 'server' as const,
    gateway: null,
    description: '',
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  assets: 0,
});
const node = (
  id: string,
  segmentId: string | null,
  redundancyGroup: string | null = null,
): NetworkNode => ({
  id,
  name: id,
  kind: 'server',
  criticality: 'high',
  segmentId,
  redundancyGroup,
  operationalStatus: 'up',
});
const map = (nodes: NetworkNode[]): NetworkMap => ({
  segments: [segment('s1', 'DMZ'), segment('s2', 'Servers'), segment('s3', 'Empty')],
  unsegmented: 0,
  nodes,
  relations: [],
  redundancyGroups: [],
  total: nodes.length,
  limit: 150,
});

describe('network layout', () => {
  it('puts each segment with assets in its own lane, then those outside every segment', () => {
    const layout = layOutNetwork(map([node('a', 's2'), node('b', 's1'), node('c', null)]));
    expect(layout.lanes.map((l) => l.title.split(' · ')[0])).toEqual([
      'DMZ',
      'Servers',
      'Outside every segment',
    ]);
    const xs = ['b', 'a', 'c'].map((id) => layout.places.get(id)!.x);
    expect(xs).toEqual([...xs].sort((p, q) => p - q));
    expect(new Set(xs).size).toBe(3);
  });

  it('keeps a redundancy group together in one box and wraps a long lane into columns', () => {
    const nodes = [
      node('x1', 's1'),
      node('db-1', 's1', 'db'),
      node('x2', 's1'),
      node('db-2', 's1', 'db'),
      ...Array.from({ length: ROWS }, (_, i) => node(`n${i}`, 's1')),
    ];
    const layout = layOutNetwork(map(nodes));
    const [db1, db2] = [layout.places.get('db-1')!, layout.places.get('db-2')!];
    expect(db1.x).toBe(db2.x);
    expect(Math.abs(db1.y - db2.y)).toBe(ROW_H);
    expect(layout.groups).toEqual([expect.objectContaining({ name: 'db', height: 2 * ROW_H - 4 })]);
    const columns = new Set(nodes.map((n) => layout.places.get(n.id)!.x));
    expect(columns.size).toBe(2);
    expect(layout.height).toBe(HEADER_H + ROWS * ROW_H + 12);
    expect(layout.places.size).toBe(nodes.length);
  });
});
