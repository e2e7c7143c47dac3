/**
 * Which local accounts disabling must leave alone unless an incident lead forces it: system
 * accounts (uid below `UID_MIN` of `/etc/login.defs`, default 1000, and `nobody`), and every
 * account the agent or its services run as (the agent's own uid, the owners of its config,
 * key and state directory). Locking one of those can stop the agent, the services it needs,
 * or the host itself. `root` is refused even when forced: locking it could leave responders
 * without a way in.
 */
import { readFile, stat } from 'node:fs/promises';

export const DEFAULT_UID_MIN = 1000;
const NOBODY_UIDS = new Set([65534, 65535]);

export interface AccountSafeguards {
  readonly uidMin: number;
  /** Uids the agent or its services run as, with why. */
  readonly agentUids: ReadonlyMap<number, string>;
}

/** `UID_MIN` from a login.defs text; the default when absent or unreadable. */
export function parseUidMin(loginDefs: string): number {
  for (const line of loginDefs.split('\n')) {
    const match = /^\s*UID_MIN\s+(\d{1,10})\s*(?:#.*)?$/.exec(line);
    if (match !== null) return Number(match[1]);
  }
  return DEFAULT_UID_MIN;
}

/** The safeguards of this agent: `ownedPaths` are its config, key and state directory. */
export async function accountSafeguards(options: {
  readonly ownedPaths: readonly string[];
  readonly loginDefsPath?: string;
}): Promise<AccountSafeguards> {
  const text = await readFile(options.loginDefsPath ?? '/etc/login.defs', 'utf8').catch(() => '');
  const agentUids = new Map<number, string>();
  const own = process.getuid?.();
  if (own !== undefined) agentUids.set(own, 'the agent runs as it');
  for (const path of options.ownedPaths) {
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && !agentUids.has(info.uid))
      agentUids.set(info.uid, `it owns the agent's ${path}`);
  }
  return { uidMin: parseUidMin(text), agentUids };
}

/** Why disabling the account must be refused, or `undefined`. */
export function accountRefusal(
  entry: { readonly name: string; readonly uid: number },
  safeguards: AccountSafeguards,
  force: boolean,
): string | undefined {
  if (entry.uid === 0) return `uid 0 is never disabled`;
  let reason: string | undefined;
  const agent = safeguards.agentUids.get(entry.uid);
  if (agent !== undefined) reason = `the agent or its services need it (${agent})`;
  else if (NOBODY_UIDS.has(entry.uid) || entry.name === 'nobody') reason = 'it is nobody';
  else if (entry.uid < safeguards.uidMin)
    reason = `it is a system account (uid ${entry.uid} below UID_MIN ${safeguards.uidMin})`;
  if (reason === undefined || force) return undefined;
  return `${reason}; only an incident lead can force this`;
}
