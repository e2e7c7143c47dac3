/**
 * Quarantine: a suspicious file is hashed (SHA-256), moved into the quarantine directory under
 * a random id with its permissions stripped, and described by a metadata file beside it
 * (original path, hash, size, owner, mode, times). `restore` puts it back exactly where and
 * as it was, refusing to overwrite anything that took its place.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  chown,
  copyFile,
  lstat,
  mkdir,
  readFile,
  rename,
  rm,
  stat,
  utimes,
} from 'node:fs/promises';
import { join } from 'node:path';
import { isSafeAbsolutePath, QUARANTINE_ID_PATTERN } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import { writeFileAtomic } from '../state/atomic-write.ts';

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

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await rm(from);
  }
}

export class FileQuarantine {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  async quarantine(path: string, now = new Date()): Promise<QuarantineRecord> {
    if (!isSafeAbsolutePath(path))
      throw new AgentError(
        'invalid-parameter',
        `${JSON.stringify(path)} is not a safe absolute path`,
      );
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined) throw new AgentError('not-found', `no file at ${path}`);
    // lstat: a symlink is not followed, so a link cannot trick us into moving its target.
    if (!info.isFile()) throw new AgentError('invalid-parameter', `${path} is not a regular file`);
    if (path.startsWith(`${this.directory}/`))
      throw new AgentError('invalid-parameter', `${path} is already in quarantine`);
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const record: QuarantineRecord = {
      id: randomBytes(16).toString('hex'),
      originalPath: path,
      sha256: await sha256File(path),
      size: info.size,
      mode: info.mode & 0o7777,
      uid: info.uid,
      gid: info.gid,
      modifiedAt: info.mtime.toISOString(),
      quarantinedAt: now.toISOString(),
    };
    const stored = join(this.directory, `${record.id}.bin`);
    await writeFileAtomic(
      join(this.directory, `${record.id}.json`),
      `${JSON.stringify(record, null, 2)}\n`,
    );
    await moveFile(path, stored);
    await chmod(stored, 0o000);
    return record;
  }

  async restore(id: string): Promise<QuarantineRecord> {
    if (!QUARANTINE_ID_PATTERN.test(id))
      throw new AgentError('invalid-parameter', `${JSON.stringify(id)} is not a quarantine id`);
    const metadataPath = join(this.directory, `${id}.json`);
    const text = await readFile(metadataPath, 'utf8').catch(() => undefined);
    if (text === undefined)
      throw new AgentError('not-found', `nothing in quarantine with id ${id}`);
    const record = JSON.parse(text) as QuarantineRecord;
    const occupied = await lstat(record.originalPath).then(
      () => true,
      () => false,
    );
    if (occupied)
      throw new AgentError(
        'invalid-parameter',
        `${record.originalPath} exists again; not overwriting it`,
      );
    const stored = join(this.directory, `${id}.bin`);
    await moveFile(stored, record.originalPath);
    await chown(record.originalPath, record.uid, record.gid);
    await chmod(record.originalPath, record.mode);
    const modified = new Date(record.modifiedAt);
    await utimes(record.originalPath, (await stat(record.originalPath)).atime, modified);
    await rm(metadataPath);
    return record;
  }
}
