/**
 * Safe access to one persistence file below the agent's root: the path must be a known
 * location (protocol's table), a home directory must be one the root's passwd names, no
 * component on the way may be a symlink (the parent's real path, read back from its open
 * descriptor, must be exactly the expected one), the file itself is opened with `O_NOFOLLOW`
 * through that descriptor, must be a regular file with one link, and at most `MAX_BYTES` long.
 * A rewrite goes to a temporary file in the same directory with the original's mode and owner
 * and is renamed over the name only if the name still holds the checked inode.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, open, realpath, rename, rm, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { persistenceLocation } from '@cordon/protocol';
import type { PersistenceKind } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import { readPasswd } from '../system/proc.ts';

/** Larger files are refused: persistence files are small, and the copy travels in a result. */
export const MAX_PERSISTENCE_FILE_BYTES = 1024 * 1024;

export interface OpenedPersistenceFile {
  /** The path as the host sees it (below the root: `/etc/cron.d/x`). */
  readonly path: string;
  /** The real path in this process's file system (`<root>/etc/cron.d/x`). */
  readonly real: string;
  readonly content: Buffer;
  readonly info: Stats;
  /** The home directory's owner for a file below a home, from the root's passwd. */
  readonly user?: string;
  /** Replaces the content atomically; refused if the name no longer holds the opened file. */
  rewrite(content: Buffer): Promise<void>;
  /** Unlinks the name, if it still holds the opened file. */
  unlink(): Promise<void>;
  close(): Promise<void>;
}

const refuse = (message: string): never => {
  throw new AgentError('invalid-parameter', message);
};

/** The real root (no symlink), so every check below compares real paths. */
export async function realRoot(root: string): Promise<string> {
  const real = await realpath(root).catch(() => refuse(`persistence root ${root} does not exist`));
  return real === '/' ? '' : real;
}

/** Checks `path` for `kind` and opens it; `not-found` when the file is absent. */
export async function openPersistenceFile(
  kind: PersistenceKind,
  path: string,
  root: string,
): Promise<OpenedPersistenceFile> {
  const location = persistenceLocation(kind, path);
  if (location === undefined) return refuse(`${path} is not a known ${kind} location`);
  const base = await realRoot(root);
  let user: string | undefined;
  if (location.scope === 'home') {
    const entry = (await readPasswd(`${base}/etc/passwd`)).find((e) => e.home === location.home);
    if (entry === undefined)
      return refuse(`${location.home} is not a home directory in ${base || '/'}/etc/passwd`);
    user = entry.name;
  }
  const slash = path.lastIndexOf('/');
  const dirPath = path.slice(0, slash) || '/';
  const name = path.slice(slash + 1);
  const expectedDir = `${base}${dirPath === '/' ? '' : dirPath}` || '/';
  const dir = await open(expectedDir, constants.O_RDONLY | constants.O_DIRECTORY).catch(
    (error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AgentError('not-found', `no directory ${dirPath}`);
      throw new AgentError('invalid-parameter', `${dirPath} is not a directory`, { cause: error });
    },
  );
  let file: FileHandle | undefined;
  try {
    const actualDir = await realpath(`/proc/self/fd/${dir.fd}`);
    if (actualDir !== expectedDir)
      refuse(`${dirPath} resolves to ${actualDir}, outside the expected ${expectedDir}`);
    const at = `/proc/self/fd/${dir.fd}/${name}`;
    file = await open(at, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
      (error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new AgentError('not-found', `no file ${path}`);
        throw new AgentError('invalid-parameter', `${path} is not a regular file`, {
          cause: error,
        });
      },
    );
    const info = await file.stat();
    if (!info.isFile()) refuse(`${path} is not a regular file`);
    if (info.nlink !== 1)
      refuse(`${path} has ${info.nlink} hard links; not rewriting a shared inode`);
    if (info.size > MAX_PERSISTENCE_FILE_BYTES)
      refuse(`${path} is larger than ${MAX_PERSISTENCE_FILE_BYTES} bytes`);
    const content = await readBounded(file);
    const opened = file;
    const stillOurs = async (): Promise<void> => {
      const current = await lstat(at).catch(() => undefined);
      if (current?.dev !== info.dev || current.ino !== info.ino)
        refuse(`${path} changed while it was being edited`);
    };
    return {
      path,
      real: join(expectedDir, name),
      content,
      info,
      ...(user === undefined ? {} : { user }),
      rewrite: async (next) => {
        const temporary = `/proc/self/fd/${dir.fd}/.cordon-${randomBytes(6).toString('hex')}.tmp`;
        const handle = await open(
          temporary,
          constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
          0o600,
        );
        try {
          await handle.writeFile(next);
          if (info.uid !== process.getuid?.() || info.gid !== process.getgid?.())
            await handle.chown(info.uid, info.gid);
          await handle.chmod(info.mode & 0o7777);
          await handle.sync();
        } catch (error) {
          await handle.close();
          await rm(temporary, { force: true });
          throw error;
        }
        await handle.close();
        try {
          await stillOurs();
          await rename(temporary, at);
        } catch (error) {
          await rm(temporary, { force: true });
          throw error;
        }
        await dir.sync();
      },
      unlink: async () => {
        await stillOurs();
        await unlink(at);
        await dir.sync();
      },
      close: async () => {
        await opened.close();
        await dir.close();
      },
    };
  } catch (error) {
    await file?.close();
    await dir.close();
    throw error;
  }
}

async function readBounded(file: FileHandle): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    const { bytesRead } = await file.read(buffer, 0, buffer.length, total);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > MAX_PERSISTENCE_FILE_BYTES)
      refuse(`longer than ${MAX_PERSISTENCE_FILE_BYTES} bytes; not edited`);
    chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
  }
  return Buffer.concat(chunks);
}
