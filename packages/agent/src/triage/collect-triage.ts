/**
 * Triage collection: a JSON document of what a responder looks at first — running processes,
 * sockets with their owning process, logged-in users, persistence (cron, systemd units,
 * authorized_keys) and SHA-256 of the paths the command names. Bounded in every dimension
 * (files read, bytes per file) so a hostile host cannot make the agent exhaust itself.
 */
import { lstat, readFile, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sha256File } from '../actions/file-quarantine.ts';
import { listPids, readPasswd, readProcess, userNames } from '../system/proc.ts';
import type { ProcessRecord } from '../system/proc.ts';
import { readSockets, socketOwners } from '../system/proc-net.ts';
import type { SocketRecord } from '../system/proc-net.ts';
import { readLoggedInUsers } from './utmp.ts';
import type { LoginRecord } from './utmp.ts';

const MAX_TEXT_BYTES = 64 * 1024;
const MAX_FILES_PER_DIRECTORY = 200;
const MAX_HASH_BYTES = 512 * 1024 * 1024;

export interface PersistenceFile {
  readonly path: string;
  readonly kind: 'cron' | 'systemd' | 'authorized_keys';
  readonly size: number;
  readonly modifiedAt: string;
  readonly content: string;
  readonly truncated: boolean;
}

export interface PathHash {
  readonly path: string;
  readonly sha256?: string;
  readonly size?: number;
  readonly error?: string;
}

export interface TriageDocument {
  readonly collectedAt: string;
  readonly hostname: string;
  readonly processes: readonly ProcessRecord[];
  readonly connections: readonly SocketRecord[];
  readonly loggedInUsers: readonly LoginRecord[];
  readonly persistence: readonly PersistenceFile[];
  readonly hashes: readonly PathHash[];
}

export interface TriageOptions {
  readonly hashPaths?: readonly string[];
  /** Filesystem root to read persistence from; tests point it at a fixture tree. */
  readonly root?: string;
  readonly now?: Date;
}

async function readPersistenceFile(
  path: string,
  kind: PersistenceFile['kind'],
): Promise<PersistenceFile | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (info?.isFile() !== true) return undefined;
  const buffer = await readFile(path).catch(() => undefined);
  if (buffer === undefined) return undefined;
  return {
    path,
    kind,
    size: info.size,
    modifiedAt: info.mtime.toISOString(),
    content: buffer.subarray(0, MAX_TEXT_BYTES).toString('utf8'),
    truncated: buffer.length > MAX_TEXT_BYTES,
  };
}

async function filesIn(directory: string): Promise<string[]> {
  const entries = await readdir(directory).catch(() => [] as string[]);
  return entries.slice(0, MAX_FILES_PER_DIRECTORY).map((entry) => join(directory, entry));
}

export async function collectPersistence(root = '/'): Promise<PersistenceFile[]> {
  const at = (path: string): string => join(root, path);
  const candidates: { path: string; kind: PersistenceFile['kind'] }[] = [
    { path: at('etc/crontab'), kind: 'cron' },
  ];
  for (const dir of [
    'etc/cron.d',
    'etc/cron.hourly',
    'etc/cron.daily',
    'var/spool/cron/crontabs',
    'var/spool/cron',
  ]) {
    for (const path of await filesIn(at(dir))) candidates.push({ path, kind: 'cron' });
  }
  for (const dir of ['etc/systemd/system', 'usr/local/lib/systemd/system']) {
    for (const path of await filesIn(at(dir))) {
      if (/\.(service|timer|socket|path)$/.test(path)) candidates.push({ path, kind: 'systemd' });
    }
  }
  const homes = new Set(
    (await readPasswd(at('etc/passwd')))
      .map((entry) => entry.home)
      .filter((home) => home.startsWith('/')),
  );
  for (const home of homes) {
    for (const name of ['authorized_keys', 'authorized_keys2']) {
      candidates.push({ path: join(root, home, '.ssh', name), kind: 'authorized_keys' });
    }
    for (const path of await filesIn(join(root, home, '.config/systemd/user')))
      candidates.push({ path, kind: 'systemd' });
  }
  const files = await Promise.all(candidates.map((c) => readPersistenceFile(c.path, c.kind)));
  return files.filter((file) => file !== undefined);
}

async function hashPath(path: string): Promise<PathHash> {
  const info = await lstat(path).catch((error: Error) => error);
  if (info instanceof Error) return { path, error: info.message };
  if (!info.isFile()) return { path, error: 'not a regular file' };
  if (info.size > MAX_HASH_BYTES) return { path, size: info.size, error: 'too large to hash' };
  try {
    return { path, size: info.size, sha256: await sha256File(path, MAX_HASH_BYTES) };
  } catch (error) {
    return { path, error: (error as Error).message };
  }
}

export async function collectTriage(options: TriageOptions = {}): Promise<TriageDocument> {
  const users = await userNames();
  const processes = (
    await Promise.all((await listPids()).map((pid) => readProcess(pid, users)))
  ).filter((record) => record !== undefined);
  const owners = await socketOwners();
  const connections = (await readSockets()).map((socket) => {
    const pid = owners.get(socket.inode);
    return pid === undefined ? socket : { ...socket, pid };
  });
  return {
    collectedAt: (options.now ?? new Date()).toISOString(),
    hostname: hostname(),
    processes,
    connections,
    loggedInUsers: await readLoggedInUsers(),
    persistence: await collectPersistence(options.root ?? '/'),
    hashes: await Promise.all((options.hashPaths ?? []).map(hashPath)),
  };
}
