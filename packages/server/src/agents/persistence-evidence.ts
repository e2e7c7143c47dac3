/**
 * What the server keeps when an agent reports a `remove-persistence` as applied: the copy of
 * exactly the bytes it removed, as evidence with its custody record (its SHA-256 is the one
 * the agent signed, or the mismatch is recorded), and a journal entry
 * `eradication.persistence-removed` naming the entry, the evidence and the file's hashes
 * before and after. The result's output was written by the agent, so it is read as untrusted.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { EvidenceService, Store } from '@cordon/core';
import type { CommandResultBody } from '@cordon/protocol';
import type { AgentAction } from './agent-action.ts';

/** The copy is at most the agent's file bound (1 MiB), base64-encoded. */
const MAX_COPY_BASE64 = Math.ceil((1024 * 1024 * 4) / 3) + 4;

interface RemovalOutput {
  readonly effect?: unknown;
  readonly removed?: {
    readonly base64?: unknown;
    readonly sha256?: unknown;
    readonly lines?: unknown;
  };
  readonly before?: unknown;
  readonly after?: unknown;
  readonly links?: unknown;
  readonly systemctl?: unknown;
}

/** The hash and size of a file as the agent reported them; nothing else it wrote. */
function fileFacts(value: unknown): { sha256: string; size: number } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { sha256, size } = value as { sha256?: unknown; size?: unknown };
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return null;
  if (typeof size !== 'number' || !Number.isSafeInteger(size)) return null;
  return { sha256, size };
}

export async function keepRemovedPersistence(options: {
  readonly store: Store;
  readonly evidence: EvidenceService;
  readonly action: AgentAction;
  readonly result: CommandResultBody;
}): Promise<void> {
  const { action, result, store } = options;
  if (action.action.kind !== 'remove-persistence' || action.state !== 'applied') return;
  const output = (result.output ?? {}) as RemovalOutput;
  const base64 = output.removed?.base64;
  const claimed = output.removed?.sha256;
  const target = action.action.target;
  const agent = await store.transaction(async (uow) =>
    uow.forTenant(action.tenantId).containment.agents.get(action.agentId),
  );
  const host = agent?.identity.hostname ?? action.agentId;
  const actor = `agent:${action.agentId}`;
  let evidenceId: string | null = null;
  let sha256: string | null = null;
  let problem: string | null = null;
  if (typeof base64 !== 'string' || base64.length > MAX_COPY_BASE64) {
    problem = 'the result carries no copy of what was removed';
  } else {
    const copy = Buffer.from(base64, 'base64');
    sha256 = createHash('sha256').update(copy).digest('hex');
    if (sha256 !== claimed)
      problem = `the copy's SHA-256 is ${sha256}, the agent signed ${String(claimed)}`;
    const name = target.path
      .slice(target.path.lastIndexOf('/') + 1)
      .replace(/[^A-Za-z0-9._-]/g, '_');
    const stored = await options.evidence.add(
      { kind: 'system', name: 'agent-gateway' },
      action.tenantId,
      {
        filename: `removed-${target.kind}-${host}-${name}.txt`,
        mediaType: 'text/plain',
        description: `${target.kind} removed from ${target.path} on ${host} (action ${action.id})`,
        incidentId: action.incidentId,
        collectedBy: actor,
        collectedFrom: host,
        collectedAt: result.completedAt,
        method:
          'cordon agent remove-persistence: the removed bytes, in the result signed by the agent key',
      },
      Readable.from([copy]),
    );
    evidenceId = stored.id;
  }
  await store.transaction(async (uow) =>
    uow.forTenant(action.tenantId).journal.append({
      actor,
      kind: 'eradication.persistence-removed',
      incidentId: action.incidentId,
      payload: {
        actionId: action.id,
        agentId: action.agentId,
        host,
        target,
        effect: typeof output.effect === 'string' ? output.effect : null,
        evidenceId,
        sha256,
        copyProblem: problem,
        lines: Array.isArray(output.removed?.lines) ? output.removed.lines.slice(0, 1000) : null,
        links: Array.isArray(output.links) ? output.links.slice(0, 1000) : [],
        before: fileFacts(output.before),
        after: fileFacts(output.after),
      },
    }),
  );
}
