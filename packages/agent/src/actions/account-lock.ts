/**
 * Disabling a local account: lock the password, expire the account (so key-based logins stop
 * too), then end its sessions by killing every process it owns. Enabling reverses the first
 * two. `root` is refused: locking it could leave responders without a way in.
 */
import { ACCOUNT_NAME_PATTERN } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import { readPasswd } from '../system/proc.ts';
import { runProgram } from '../system/run-program.ts';

export interface AccountLockReport {
  readonly user: string;
  readonly uid: number;
  readonly sessionsEnded: boolean;
}

async function account(user: string): Promise<{ name: string; uid: number }> {
  if (!ACCOUNT_NAME_PATTERN.test(user))
    throw new AgentError('invalid-parameter', `${JSON.stringify(user)} is not an account name`);
  const entry = (await readPasswd()).find((candidate) => candidate.name === user);
  if (entry === undefined) throw new AgentError('not-found', `no local account ${user}`);
  if (entry.uid === 0)
    throw new AgentError('invalid-parameter', `refusing to disable ${user}: uid 0`);
  return entry;
}

export async function disableAccount(user: string): Promise<AccountLockReport> {
  const entry = await account(user);
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
  await runProgram('usermod', ['--unlock', '--expiredate', '', '--', entry.name]);
  return { user: entry.name, uid: entry.uid, sessionsEnded: false };
}
