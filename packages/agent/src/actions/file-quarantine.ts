/**
 * Quarantine: a suspicious file is hashed (SHA-256), moved into the quarantine directory under
 * a random id with its permissions stripped, and described by a metadata file beside it
 * (original path, hash, size, owner, mode, times). `restore` puts it back exactly where and
 * as it was, refusing to overwrite anything that took its place.
 *
 * The agent acts on what it checked, not on a path that may have changed meanwhile: the
 * parent directory is opened and its real path (read back from the open descriptor) is what
 * the guard judges; the file is opened through that descriptor with `O_NOFOLLOW` and hashed
 * from its own descriptor; the move goes through `/proc/self/fd/<dir>/<name>` (a `renameat`
 * on the opened directory), so a parent swapped for a symlink after the check cannot redirect
 * it; and the moved file's device and inode must be the checked one's, or it is put back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { copyFile, lstat, mkdir, open, readFile, realpath, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { QUARANTINE_ID_PATTERN, isSafeAbsolutePath } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import { writeFileAtomic } from '../state/atomic-write.ts';
import type { QuarantineGuard } from './quarantine-guard.ts';

export interface QuarantineRecord {
  readonly id: string;
  readonly originalPath: string;
  readonly sha256: string;
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly modifiedAt: string;
  readonly quarantinedAt: string;
}

export interface FileQuarantineOptions {
  /** What may not be quarantined besides the quarantine directory itself. */
  readonly guard?: QuarantineGuard;
  /** Test seam: runs after every check, just before the move. */
  readonly beforeMove?: () => Promise<void>;
}

/**
 * SHA-256 of a regular file, judged on what was opened: a name swapped for a symlink, a FIFO
 * or a device after the caller's `lstat` fails here instead of blocking or reading forever.
 */
export async function sha256File(
  path: string,
  maxBytes = Number.MAX_SAFE_INTEGER,
): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile())
      throw new AgentError('invalid-parameter', `${path} is not a regular file`);
    return await sha256Handle(handle, maxBytes);
  } finally {
    await handle.close();
  }
}

async function sha256Handle(
  handle: FileHandle,
  maxBytes = Number.MAX_SAFE_INTEGER,
): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1024 * 1024);
  for (let position = 0; ;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
    if (position > maxBytes)
      throw new AgentError('invalid-parameter', `longer than ${maxBytes} bytes; not hashed`);
  }
  return hash.digest('hex');
}

const sameFile = (a: Stats, b: Stats): boolean => a.dev === b.dev && a.ino === b.ino;

/** The opened parent directory of `path` and the name inside it; `at` names through the fd. */
async function openParent(path: string): Promise<{ dir: FileHandle; real: string; at: string }> {
  const name = basename(path);
  const dir = await open(dirname(path), constants.O_RDONLY | constants.O_DIRECTORY).catch(
    (error: unknown) => {
      throw new AgentError('not-found', `no directory ${dirname(path)}`, { cause: error });
    },
  );
  // Where the descriptor really is, now: this, not the text we were given, is what is checked.
  const parent = await realpath(`/proc/self/fd/${dir.fd}`);
  return { dir, real: join(parent, name), at: `/proc/self/fd/${dir.fd}/${name}` };
}

export class FileQuarantine {
  readonly directory: string;
  readonly #guard: QuarantineGuard | undefined;
  readonly #beforeMove: (() => Promise<void>) | undefined;

  constructor(directory: string, options: FileQuarantineOptions = {}) {
    this.directory = directory;
    this.#guard = options.guard;
    this.#beforeMove = options.beforeMove;
  }

  async quarantine(path: string, now = new Date()): Promise<QuarantineRecord> {
    if (!isSafeAbsolutePath(path))
      throw new AgentError(
        'invalid-parameter',
        `${JSON.stringify(path)} is not a safe absolute path`,
      );
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const quarantineDir = await realpath(this.directory);
    const { dir, real, at } = await openParent(path);
    let file: FileHandle | undefined;
    try {
      file = await open(at, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
        (error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') throw new AgentError('not-found', `no file at ${path}`);
          // ELOOP: the last component is a symlink; a link cannot trick us into moving its target.
          throw new AgentError('invalid-parameter', `${path} is not a regular file`, {
            cause: error,
          });
        },
      );
      const info = await file.stat();
      if (!info.isFile())
        throw new AgentError('invalid-parameter', `${path} is not a regular file`);
      if (real.startsWith(`${quarantineDir}/`))
        throw new AgentError('invalid-parameter', `${path} is already in quarantine`);
      const refusal = await this.#guard?.refusal(real, info);
      if (refusal !== undefined)
        throw new AgentError('invalid-parameter', `refusing to quarantine: ${refusal}`);
      const record: QuarantineRecord = {
        id: randomBytes(16).toString('hex'),
        originalPath: real,
        sha256: await sha256Handle(file),
        size: info.size,
        mode: info.mode & 0o7777,
        uid: info.uid,
        gid: info.gid,
        modifiedAt: info.mtime.toISOString(),
        quarantinedAt: now.toISOString(),
      };
      await this.#beforeMove?.();
      const stored = join(this.directory, `${record.id}.bin`);
      await writeFileAtomic(
        join(this.directory, `${record.id}.json`),
        `${JSON.stringify(record, null, 2)}\n`,
      );
      try {
        await this.#move(at, stored, file, info);
      } catch (error) {
        await rm(join(this.directory, `${record.id}.json`), { force: true });
        throw error;
      }
      // Through the descriptor: the mode change hits the checked inode, whatever the names.
      await file.chmod(0o000);
      return record;
    } finally {
      await file?.close();
      await dir.close();
    }
  }

  /** Moves the checked file (`at`, fd-relative) to `stored`; puts back anything else. */
  async #move(at: string, stored: string, file: FileHandle, checked: Stats): Promise<void> {
    const current = await lstat(at).catch(() => undefined);
    if (current === undefined || !sameFile(current, checked))
      throw new AgentError('invalid-parameter', 'the file changed while being quarantined');
    try {
      await rename(at, stored);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // Another file system: copy what we opened, then unlink the name if it is still ours.
      await copyFile(`/proc/self/fd/${file.fd}`, stored, constants.COPYFILE_EXCL);
      const still = await lstat(at).catch(() => undefined);
      if (still === undefined || !sameFile(still, checked)) {
        await rm(stored, { force: true });
        throw new AgentError('invalid-parameter', 'the file changed while being quarantined');
      }
      await rm(at);
      return;
    }
    const moved = await lstat(stored);
    if (!sameFile(moved, checked)) {
      await rename(stored, at).catch(() => undefined);
      throw new AgentError('invalid-parameter', 'the file changed while being quarantined');
    }
  }

  async restore(id: string): Promise<QuarantineRecord> {
    if (!QUARANTINE_ID_PATTERN.test(id))
      throw new AgentError('invalid-parameter', `${JSON.stringify(id)} is not a quarantine id`);
    const metadataPath = join(this.directory, `${id}.json`);
    const text = await readFile(metadataPath, 'utf8').catch(() => undefined);
    if (text === undefined)
      throw new AgentError('not-found', `nothing in quarantine with id ${id}`);
    const record = JSON.parse(text) as QuarantineRecord;
    const { dir, real, at } = await openParent(record.originalPath);
    try {
      // A parent replaced by a symlink would put the file back somewhere else (say /etc/cron.d).
      if (real !== record.originalPath)
        throw new AgentError(
          'invalid-parameter',
          `${dirname(record.originalPath)} now resolves elsewhere (${dirname(real)}); not restoring there`,
        );
      const occupied = await lstat(at).then(
        () => true,
        () => false,
      );
      if (occupied)
        throw new AgentError(
          'invalid-parameter',
          `${record.originalPath} exists again; not overwriting it`,
        );
      const stored = join(this.directory, `${id}.bin`);
      const file = await open(stored, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        await rename(stored, at).catch(async (error: unknown) => {
          if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
          await copyFile(`/proc/self/fd/${file.fd}`, at, constants.COPYFILE_EXCL);
          await rm(stored);
        });
        const placed = await open(at, constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          await placed.chown(record.uid, record.gid);
          await placed.chmod(record.mode);
          await placed.utimes((await placed.stat()).atime, new Date(record.modifiedAt));
        } finally {
          await placed.close();
        }
      } finally {
        await file.close();
      }
    } finally {
      await dir.close();
    }
    await rm(metadataPath);
    return record;
  }
}
