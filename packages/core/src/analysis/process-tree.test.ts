/**
 * The process tree on hostile and awkward input: GUIDs that name each other as parents (a
 * cycle), a pid reused by a later process, a child whose event shares its parent's time.
 */
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../ports/event-store.ts';
import { processTree } from './process-tree.ts';

const provenance = { kind: 'unrecorded' } as unknown as StoredEvent['provenance'];
const sysmon = (id: string, at: number, guid: string, parentGuid: string): StoredEvent => ({
  id,
  timestamp: at,
  ingestedAt: at,
  provenance,
  event: {
    event: { dataset: 'windows.sysmon', code: '1' },
    process: { pid: 1, executable: `C:\\${id}.exe` },
    fields: { ProcessGuid: guid, ParentProcessGuid: parentGuid },
  },
});
const agent = (id: string, at: number, pid: number, ppid: number): StoredEvent => ({
  id,
  timestamp: at,
  ingestedAt: at,
  provenance,
  event: {
    event: { dataset: 'agent.process' },
    process: { pid, name: id, parent: { pid: ppid } },
  },
});

describe('processTree', () => {
  it('shows each process of a GUID cycle once', () => {
    const nodes = processTree([sysmon('a', 1, 'A', 'B'), sysmon('b', 2, 'B', 'A')]);
    expect(nodes.map((n) => n.key).sort()).toEqual(['guid:A', 'guid:B']);
    expect(nodes.filter((n) => n.depth === 0)).toHaveLength(1);
  });

  it('links a child to the process that held the pid when it started', () => {
    const nodes = processTree([
      agent('first', 10, 100, 1),
      agent('early-child', 20, 200, 100),
      agent('second', 30, 100, 1),
      agent('late-child', 40, 201, 100),
      // Same poll, same time, read before its parent.
      agent('same-time-child', 50, 301, 300),
      agent('same-time-parent', 50, 300, 1),
    ]);
    const key = (name: string) => nodes.find((n) => n.name === name)!.key;
    const parentOf = (name: string) => nodes.find((n) => n.name === name)!.parentKey;
    expect(parentOf('early-child')).toBe(key('first'));
    expect(parentOf('late-child')).toBe(key('second'));
    expect(parentOf('same-time-child')).toBe(key('same-time-parent'));
    // pid 1 never seen starting: one placeholder per child that named it.
    expect(nodes.filter((n) => n.source === null).every((n) => n.pid === 1)).toBe(true);
  });
});
