/**
 * Kills a process by pid, or every process with a given name (`comm` or executable base
 * name), with SIGKILL — after recording what each one was, which is what the responder needs
 * for the incident record. Never the agent itself, its parent, or pid 1.
 */
import { basename } from 'node:path';
import { AgentError } from '../agent-error.ts';
import { listPids, readProcess, userNames } from '../system/proc.ts';
import type { ProcessRecord } from '../system/proc.ts';

export interface KillReport {
  readonly killed: readonly ProcessRecord[];
  readonly failed: readonly { readonly pid: number; readonly error: string }[];
}

export async function killProcesses(
  target: { pid: number } | { name: string },
): Promise<KillReport> {
  const users = await userNames();
  const protectedPids = new Set([1, process.pid, process.ppid]);
  let victims: ProcessRecord[];
  if ('pid' in target) {
    if (!Number.isInteger(target.pid) || target.pid < 1) {
      throw new AgentError('invalid-parameter', `pid ${String(target.pid)} is not a process id`);
    }
    const record = await readProcess(target.pid, users);
    if (record === undefined)
      throw new AgentError('not-found', `no process with pid ${target.pid}`);
    victims = [record];
  } else {
    if (!/^[^/\0]{1,64}$/.test(target.name)) {
      throw new AgentError(
        'invalid-parameter',
        `${JSON.stringify(target.name)} is not a process name`,
      );
    }
    const records = await Promise.all((await listPids()).map((pid) => readProcess(pid, users)));
    victims = records.filter(
      (record): record is ProcessRecord =>
        record !== undefined &&
        (record.name === target.name ||
          (record.executable !== null &&
            basename(record.executable.replace(/ \(deleted\)$/, '')) === target.name)),
    );
    if (victims.length === 0) throw new AgentError('not-found', `no process named ${target.name}`);
  }
  const refused = victims.find((record) => protectedPids.has(record.pid));
  if (refused !== undefined) {
    throw new AgentError(
      'invalid-parameter',
      `refusing to kill pid ${refused.pid} (init or the agent itself)`,
    );
  }
  const killed: ProcessRecord[] = [];
  const failed: { pid: number; error: string }[] = [];
  for (const record of victims) {
    try {
      process.kill(record.pid, 'SIGKILL');
      killed.push(record);
    } catch (error) {
      failed.push({ pid: record.pid, error: (error as Error).message });
    }
  }
  return { killed, failed };
}
