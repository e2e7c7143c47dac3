/**
 * A host's process tree from process-creation events: Windows Sysmon 1 (linked by
 * `ProcessGuid` / `ParentProcessGuid`, unique per process), Security 4688 and the Linux agent's
 * process telemetry (linked by parent pid to the latest process with that pid that started no
 * later than the child — pids are reused). A parent never seen starting becomes a root built
 * from what its children say of it. Input is attacker-written: cycles are cut, depth and size
 * are bounded.
 */
import type { StoredEvent } from '../ports/event-store.ts';
import { numberAt, textAt } from './event-summary.ts';

export type ProcessSource = 'sysmon' | 'security-4688' | 'agent';

export interface ProcessNode {
  /** `guid:{…}` for Sysmon, `pid:N@ms` otherwise; `parent:…` for a parent never seen starting. */
  readonly key: string;
  readonly parentKey: string | null;
  readonly depth: number;
  readonly pid: number | null;
  readonly parentPid: number | null;
  readonly name: string | null;
  readonly executable: string | null;
  readonly commandLine: string | null;
  readonly user: string | null;
  /** Epoch ms of the creation event; null for a parent never seen starting. */
  readonly startedAt: number | null;
  readonly eventId: string | null;
  readonly source: ProcessSource | null;
  /** One of the incident's alert events is about this process. */
  readonly flagged: boolean;
}

export const MAX_TREE_DEPTH = 64;

interface Draft {
  key: string;
  parentKey: string | null;
  pid: number | null;
  parentPid: number | null;
  name: string | null;
  executable: string | null;
  commandLine: string | null;
  user: string | null;
  startedAt: number | null;
  eventId: string | null;
  source: ProcessSource | null;
}

function sourceOf(event: StoredEvent): ProcessSource | undefined {
  const doc = event.event;
  const dataset = textAt(doc, ['event', 'dataset']);
  const code = textAt(doc, ['event', 'code']);
  if (dataset === 'windows.sysmon' && code === '1') return 'sysmon';
  if (dataset === 'windows.security' && code === '4688') return 'security-4688';
  if (dataset === 'agent.process') return 'agent';
  return undefined;
}

const baseName = (path: string | null): string | null =>
  path === null ? null : (path.split(/[\\/]/).pop() ?? path);

/** Links `draft` to `parent`, adding the parent as a node never seen starting if unknown. */
function linkToPlaceholder(drafts: Map<string, Draft>, draft: Draft, parent: Draft): void {
  draft.parentKey = parent.key;
  if (!drafts.has(parent.key)) drafts.set(parent.key, parent);
}

export function processTree(
  events: readonly StoredEvent[],
  flaggedEventIds: ReadonlySet<string> = new Set(),
): ProcessNode[] {
  const drafts = new Map<string, Draft>();
  const byPid = new Map<number, Draft[]>();
  // Linked by pid once every event is read: events of one poll share a time, in any order.
  const byParentPid: { draft: Draft; parentPid: number; parent: Draft }[] = [];
  const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1));
  for (const event of sorted) {
    const source = sourceOf(event);
    if (source === undefined) continue;
    const doc = event.event;
    const pid = numberAt(doc, ['process', 'pid']) ?? null;
    const parentPid = numberAt(doc, ['process', 'parent', 'pid']) ?? null;
    const executable = textAt(doc, ['process', 'executable']) ?? null;
    const parentExecutable = textAt(doc, ['process', 'parent', 'executable']) ?? null;
    const guid = source === 'sysmon' ? textAt(doc, ['fields', 'ProcessGuid']) : undefined;
    const parentGuid =
      source === 'sysmon' ? textAt(doc, ['fields', 'ParentProcessGuid']) : undefined;
    const key = guid !== undefined ? `guid:${guid}` : `pid:${pid ?? '?'}@${event.timestamp}`;
    const existing = drafts.get(key);
    // Seen before as itself: a duplicate. Seen only as someone's parent: now it is known.
    if (existing !== undefined && existing.eventId !== null) continue;
    let draft: Draft = {
      key,
      parentKey: null,
      pid,
      parentPid,
      name: textAt(doc, ['process', 'name']) ?? baseName(executable),
      executable,
      commandLine: textAt(doc, ['process', 'command_line']) ?? null,
      user: textAt(doc, ['user', 'name']) ?? null,
      startedAt: event.timestamp,
      eventId: event.id,
      source,
    };
    if (existing !== undefined) draft = Object.assign(existing, draft);
    else drafts.set(key, draft);
    if (pid !== null) byPid.set(pid, [...(byPid.get(pid) ?? []), draft]);
    const parent: Draft = {
      key: '',
      parentKey: null,
      pid: parentPid,
      parentPid: null,
      name: textAt(doc, ['process', 'parent', 'name']) ?? baseName(parentExecutable),
      executable: parentExecutable,
      commandLine: textAt(doc, ['process', 'parent', 'command_line']) ?? null,
      user: null,
      startedAt: null,
      eventId: null,
      source: null,
    };
    if (parentGuid !== undefined)
      linkToPlaceholder(drafts, draft, { ...parent, key: `guid:${parentGuid}` });
    else if (parentPid !== null)
      byParentPid.push({
        draft,
        parentPid,
        parent: { ...parent, key: `parent:${parentPid}@${event.timestamp}` },
      });
  }
  for (const { draft, parentPid, parent } of byParentPid) {
    // The latest process with that pid that started no later than this one.
    const started = byPid
      .get(parentPid)
      ?.filter(
        (c) =>
          c !== draft &&
          c.source !== 'sysmon' &&
          c.startedAt !== null &&
          draft.startedAt !== null &&
          c.startedAt <= draft.startedAt,
      )
      .at(-1);
    if (started !== undefined) draft.parentKey = started.key;
    else linkToPlaceholder(drafts, draft, parent);
  }

  const children = new Map<string | null, Draft[]>();
  for (const draft of drafts.values()) {
    const parentKey =
      draft.parentKey !== null && drafts.has(draft.parentKey) ? draft.parentKey : null;
    children.set(parentKey, [...(children.get(parentKey) ?? []), draft]);
  }
  const out: ProcessNode[] = [];
  const visited = new Set<string>();
  const walk = (draft: Draft, parentKey: string | null, depth: number): void => {
    if (visited.has(draft.key) || depth >= MAX_TREE_DEPTH) return;
    visited.add(draft.key);
    out.push({
      ...draft,
      parentKey,
      depth,
      flagged: draft.eventId !== null && flaggedEventIds.has(draft.eventId),
    });
    for (const child of children.get(draft.key) ?? []) walk(child, draft.key, depth + 1);
  };
  for (const root of children.get(null) ?? []) walk(root, null, 0);
  // What is left is on a cycle (hostile or broken data): shown as roots, each once.
  for (const draft of drafts.values()) if (!visited.has(draft.key)) walk(draft, null, 0);
  return out;
}
