/**
 * Eradication of Linux persistence: removes the one entry a signed `remove-persistence`
 * command names — the lines of a crontab or shell profile equal to the given line, the key of
 * an `authorized_keys` file with the given fingerprint, or a systemd unit (stopped and
 * disabled through `systemctl` when systemd runs the host, its enablement links and its file
 * removed either way) — and returns a copy of exactly the bytes it removed with their
 * SHA-256, so the server keeps them as evidence. Files are edited by an atomic rewrite that
 * keeps mode and owner (`persistence-file.ts` does the checks). Everything happens below a
 * configurable root, so tests and lab hosts work on their own tree.
 */
import { createHash } from 'node:crypto';
import { access, lstat, readdir, readlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { PersistenceTarget } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import { runProgram } from '../system/run-program.ts';
import { openPersistenceFile, realRoot } from './persistence-file.ts';
import type { OpenedPersistenceFile } from './persistence-file.ts';
import { parseAuthorizedKey } from './ssh-key-fingerprint.ts';

export interface PersistenceOptions {
  /** The file system root the paths are below; default `/`. */
  readonly root?: string;
  /**
   * The `systemctl` to drive, or null for none. Default: `/usr/bin/systemctl` or
   * `/bin/systemctl` when the root is `/` and systemd runs the host (`/run/systemd/system`).
   */
  readonly systemctl?: string | null;
  readonly now?: Date;
}

export interface SystemctlCall {
  readonly args: readonly string[];
  readonly ok: boolean;
  readonly detail: string;
}

export interface PersistenceRemoval {
  readonly target: PersistenceTarget;
  readonly effect: 'lines-removed' | 'file-removed';
  /** Exactly the bytes removed (whole lines with their line ends, or the whole file). */
  readonly removed: {
    readonly sha256: string;
    readonly bytes: number;
    readonly base64: string;
    /** 1-based line numbers of the removed lines in the file as it was. */
    readonly lines?: readonly number[];
  };
  readonly before: {
    readonly sha256: string;
    readonly size: number;
    readonly mode: number;
    readonly uid: number;
    readonly gid: number;
    readonly modifiedAt: string;
  };
  /** The file after the rewrite; null when the file itself was removed. */
  readonly after: { readonly sha256: string; readonly size: number } | null;
  /** Enablement symlinks removed with a systemd unit (host paths). */
  readonly links: readonly string[];
  readonly systemctl: readonly SystemctlCall[];
  readonly removedAt: string;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Lines with their terminators, so removing some and joining the rest loses nothing else. */
export function splitLines(content: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < content.length; i += 1) {
    if (content[i] === 0x0a) {
      lines.push(content.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < content.length) lines.push(content.subarray(start));
  return lines;
}

/** A line's text without its `\n` or `\r\n`. */
export function lineText(line: Buffer): string {
  return line.toString('utf8').replace(/\r?\n$/, '');
}

export async function defaultSystemctl(root: string): Promise<string | null> {
  if ((await realRoot(root)) !== '') return null;
  const running = await access('/run/systemd/system').then(
    () => true,
    () => false,
  );
  if (!running) return null;
  for (const candidate of ['/usr/bin/systemctl', '/bin/systemctl']) {
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return null;
}

export async function removePersistence(
  target: PersistenceTarget,
  options: PersistenceOptions = {},
): Promise<PersistenceRemoval> {
  const root = options.root ?? '/';
  const kind = target.kind;
  const file = await openPersistenceFile(kind, target.path, root);
  try {
    switch (kind) {
      case 'cron':
      case 'shell-profile':
        return await removeLines(file, target, (line) => lineText(line) === target.line, options);
      case 'authorized-key':
        return await removeLines(
          file,
          target,
          (line) => parseAuthorizedKey(lineText(line))?.fingerprint === target.fingerprint,
          options,
        );
      case 'systemd-unit':
        return await removeUnit(file, target, options);
    }
  } finally {
    await file.close();
  }
}

function beforeOf(file: OpenedPersistenceFile): PersistenceRemoval['before'] {
  return {
    sha256: sha256(file.content),
    size: file.content.length,
    mode: file.info.mode & 0o7777,
    uid: file.info.uid,
    gid: file.info.gid,
    modifiedAt: file.info.mtime.toISOString(),
  };
}

async function removeLines(
  file: OpenedPersistenceFile,
  target: PersistenceTarget,
  matches: (line: Buffer) => boolean,
  options: PersistenceOptions,
): Promise<PersistenceRemoval> {
  const kept: Buffer[] = [];
  const removed: Buffer[] = [];
  const numbers: number[] = [];
  splitLines(file.content).forEach((line, index) => {
    if (matches(line)) {
      removed.push(line);
      numbers.push(index + 1);
    } else kept.push(line);
  });
  if (removed.length === 0)
    throw new AgentError('not-found', `no such entry in ${target.path}; nothing removed`);
  const next = Buffer.concat(kept);
  await file.rewrite(next);
  const copy = Buffer.concat(removed);
  return {
    target,
    effect: 'lines-removed',
    removed: {
      sha256: sha256(copy),
      bytes: copy.length,
      base64: copy.toString('base64'),
      lines: numbers,
    },
    before: beforeOf(file),
    after: { sha256: sha256(next), size: next.length },
    links: [],
    systemctl: [],
    removedAt: (options.now ?? new Date()).toISOString(),
  };
}

/** Subdirectories holding a unit's enablement links (what `systemctl disable` removes). */
const LINK_DIRS = /\.(?:wants|requires|upholds)$/;
const MAX_LINK_DIRS = 500;

async function removeUnit(
  file: OpenedPersistenceFile,
  target: PersistenceTarget,
  options: PersistenceOptions,
): Promise<PersistenceRemoval> {
  const name = target.path.slice(target.path.lastIndexOf('/') + 1);
  const hostDir = target.path.slice(0, target.path.lastIndexOf('/'));
  const realDir = file.real.slice(0, file.real.lastIndexOf('/'));
  const systemctl =
    options.systemctl === undefined
      ? await defaultSystemctl(options.root ?? '/')
      : options.systemctl;
  const scope = file.user === undefined ? [] : ['--user', `--machine=${file.user}@`];
  const calls: SystemctlCall[] = [];
  const call = async (args: string[]): Promise<void> => {
    if (systemctl === null) return;
    const full = [...scope, ...args];
    try {
      const result = await runProgram(systemctl, full, { timeoutMs: 30_000 });
      calls.push({ args: full, ok: true, detail: result.stdout.trim().slice(0, 500) });
    } catch (error) {
      calls.push({ args: full, ok: false, detail: (error as Error).message.slice(0, 500) });
    }
  };
  await call(['stop', '--', name]);
  await call(['disable', '--', name]);
  const links: string[] = [];
  const entries = (await readdir(realDir).catch(() => [] as string[])).slice(0, MAX_LINK_DIRS);
  for (const entry of entries) {
    const real = join(realDir, entry);
    const info = await lstat(real).catch(() => undefined);
    if (info?.isDirectory() === true && LINK_DIRS.test(entry)) {
      const link = join(real, name);
      if ((await lstat(link).catch(() => undefined))?.isSymbolicLink() === true) {
        await unlink(link);
        links.push(`${hostDir}/${entry}/${name}`);
      }
    } else if (info?.isSymbolicLink() === true) {
      // An alias (`Alias=`): a link in the unit's own directory to the unit.
      const pointsTo = await readlink(real).catch(() => '');
      if (pointsTo === target.path || pointsTo === name) {
        await unlink(real);
        links.push(`${hostDir}/${entry}`);
      }
    }
  }
  await file.unlink();
  await call(['daemon-reload']);
  return {
    target,
    effect: 'file-removed',
    removed: {
      sha256: sha256(file.content),
      bytes: file.content.length,
      base64: file.content.toString('base64'),
    },
    before: beforeOf(file),
    after: null,
    links,
    systemctl: calls,
    removedAt: (options.now ?? new Date()).toISOString(),
  };
}
