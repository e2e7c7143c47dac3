/**
 * Evidence content on the filesystem, addressed by SHA-256 (`blobs/ab/cd/abcd…`). Uploads are
 * streamed to a temporary file while hashed and counted, fsynced, then renamed into place, so
 * a blob either exists whole under its hash or not at all; content already stored is not
 * written twice.
 */
import type { BlobStore, StoredBlob } from '@cordon/core';
import { CordonError } from '@cordon/core';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, chmod, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDirectory } from '../files/private-files.ts';

const SHA256 = /^[0-9a-f]{64}$/;

export class FileBlobStore implements BlobStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  #path(sha256: string): string {
    if (!SHA256.test(sha256)) throw new CordonError('invalid_input', 'not a SHA-256 hex digest');
    return join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(
    content: AsyncIterable<Uint8Array>,
    options: { maxBytes: number },
  ): Promise<StoredBlob> {
    const tmpDir = join(this.#root, 'tmp');
    // Made private even when they exist (an older install, a directory made by hand).
    ensurePrivateDirectory(this.#root);
    ensurePrivateDirectory(tmpDir);
    const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const file = await open(tmp, 'wx', 0o600);
    try {
      for await (const chunk of content) {
        size += chunk.byteLength;
        if (size > options.maxBytes) {
          throw new CordonError(
            'payload_too_large',
            `evidence larger than the limit of ${options.maxBytes} bytes`,
          );
        }
        hash.update(chunk);
        await file.write(chunk);
      }
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(tmp, { force: true });
      throw error;
    }
    await file.close();
    const sha256 = hash.digest('hex');
    const target = this.#path(sha256);
    if (await exists(target)) {
      await rm(tmp, { force: true });
    } else {
      ensurePrivateDirectory(join(target, '..', '..'));
      ensurePrivateDirectory(join(target, '..'));
      await rename(tmp, target);
      await chmod(target, 0o400);
    }
    return { sha256, size };
  }

  async verify(sha256: string): Promise<boolean> {
    const path = this.#path(sha256);
    if (!(await exists(path))) return false;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex') === sha256;
  }

  async read(sha256: string): Promise<AsyncIterable<Uint8Array>> {
    if (!(await this.verify(sha256))) {
      throw new CordonError('integrity_failure', `stored content ${sha256} is missing or altered`);
    }
    return createReadStream(this.#path(sha256));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
