/**
 * Disabling a local account: lock the password, expire the account (so key-based logins stop
 * too), then end its sessions by killing every process it owns. Enabling reverses the first
 * two. What may not be disabled (root never; system accounts and the agent's own unless an
 * incident lead forces it) is decided in `account-safeguards.ts`.
 */
import { ACCOUNT_NAME_PATTERN } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import { readPasswd } from '../system/proc.ts';
import { runProgram } from '../system/run-program.ts';
import { accountRefusal, accountSafeguards } from './account-safeguards.ts';
import type { AccountSafeguards } from './account-safeguards.ts';

export interface AccountLockReport {
  readonly user: string;
  readonly uid: number;
  readonly sessionsEnded: boolean;
}

export interface DisableAccountOptions {
  /** Set only by a command an incident lead forced (`force: true`). */
  readonly force?: boolean;
  /** Default: this process's uid, and `UID_MIN` from `/etc/login.defs`. */
  readonly safeguards?: AccountSafeguards;
}

async function account(user: string): Promise<{ name: string; uid: number }> {
  if (!ACCOUNT_NAME_PATTERN.test(user))
    throw new AgentError('invalid-parameter', `${JSON.stringify(user)} is not an account name`);
  const entry = (await readPasswd()).find((candidate) => candidate.name === user);
  if (entry === undefined) throw new AgentError('not-found', `no local account ${user}`);
  return entry;
}

export async function disableAccount(
  user: string,
  options: DisableAccountOptions = {},
): Promise<AccountLockReport> {
  const entry = await account(user);
  const safeguards = options.safeguards ?? (await accountSafeguards({ ownedPaths: [] }));
  const refusal = accountRefusal(entry, safeguards, options.force === true);
  if (refusal !== undefined)
    throw new AgentError('invalid-parameter', `refusing to disable ${user}: ${refusal}`);
  // `--` ends options: a name can never be read as a flag (the pattern forbids a leading '-' too).
  await runProgram('usermod', ['--lock', '--expiredate', '1', '--', entry.name]);
  // pkill exits 1 when the user has no processes: that is success here.
  const killed = await runProgram('pkill', ['-KILL', '-u', String(entry.uid)], {
    okExitCodes: [0, 1],
  });
  return { user: entry.name, uid: entry.uid, sessionsEnded: killed.exitCode === 0 };
}

export async function enableAccount(user: string): Promise<AccountLockReport> {
  const entry = await account(user);
  if (entry.uid === 0)
    throw new AgentError('invalid-parameter', `refusing to enable ${user}: uid 0`);
  await runProgram('usermod', ['--unlock', '--expiredate', '', '--', entry.name]);
  return { user: entry.name, uid: entry.uid, sessionsEnded: false };
}
