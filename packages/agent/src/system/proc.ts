/**
 * Reading `/proc`: process records and the local user table. Every read tolerates processes
 * that exit while we look at them (ENOENT/ESRCH are normal here, not errors).
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProcessRecord {
  readonly pid: number;
  readonly ppid: number;
  /** Kernel `comm` (at most 15 characters). */
  readonly name: string;
  readonly commandLine: readonly string[];
  readonly executable: string | null;
  readonly uid: number;
  readonly user: string | null;
  /** Start time in clock ticks since boot (field 22 of `stat`). */
  readonly startTicks: number;
}

export async function listPids(procRoot = '/proc'): Promise<number[]> {
  const entries = await readdir(procRoot);
  return entries.filter((entry) => /^\d+$/.test(entry)).map(Number);
}

export async function readProcess(
  pid: number,
  users: ReadonlyMap<number, string>,
  procRoot = '/proc',
): Promise<ProcessRecord | undefined> {
  const dir = join(procRoot, String(pid));
  try {
    const [stat, status, cmdline] = await Promise.all([
      readFile(join(dir, 'stat'), 'utf8'),
      readFile(join(dir, 'status'), 'utf8'),
      readFile(join(dir, 'cmdline')),
    ]);
    // `comm` may contain spaces and parentheses: it ends at the LAST ')'.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
    const executable = await readlink(join(dir, 'exe')).catch(() => null);
    return {
      pid,
      ppid: Number(fields[1] ?? 0),
      name,
      commandLine: cmdline
        .toString('utf8')
        .split('\0')
        .filter((part, i, all) => part !== '' || i < all.length - 1),
      executable,
      uid,
      user: users.get(uid) ?? null,
      startTicks: Number(fields[19] ?? 0),
    };
  } catch {
    return undefined;
  }
}

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly home: string;
  readonly shell: string;
}

export async function readPasswd(path = '/etc/passwd'): Promise<PasswdEntry[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((parts) => parts.length >= 7)
    .map((parts) => ({
      name: parts[0] ?? '',
      uid: Number(parts[2]),
      home: parts[5] ?? '',
      shell: parts[6] ?? '',
    }));
}

export async function userNames(): Promise<Map<number, string>> {
  return new Map((await readPasswd()).map((entry) => [entry.uid, entry.name]));
}
