/**
 * issue 13 item 10: the SQLite files were created 0644 inside a data directory that already
 * existed, so password and session hashes were readable by every local user. Whatever the
 * umask and whoever made the directory, what Cordon writes there is 0700 / 0600 (or stricter).
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessService, LoginThrottle, systemClock } from '@cordon/core';
import { FileBlobStore, loadOrCreateServerKey, openStore } from '../src/index.ts';

/** Every path under `root` (root included) whose mode lets anyone but the owner in. */
function openToOthers(root: string): string[] {
  const found: string[] = [];
  const visit = (path: string): void => {
    const info = statSync(path);
    if ((info.mode & 0o077) !== 0) found.push(`${path} ${(info.mode & 0o777).toString(8)}`);
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return found;
}

describe('file permissions in the data directory (issue 13 item 10)', () => {
  let parent: string;
  let umask: number;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'cordon-perms-'));
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(parent, { recursive: true, force: true });
  });

  it('makes a pre-made 0755 data directory and everything written in it private', async () => {
    const dataDir = join(parent, 'data');
    const content = Buffer.from('evidence bytes');
    // The shard directories the blob goes into, made beforehand.
    const sha = createHash('sha256').update(content).digest('hex');
    const shard = join(dataDir, 'evidence', sha.slice(0, 2));
    mkdirSync(join(shard, sha.slice(2, 4)), { recursive: true, mode: 0o755 });
    chmodSync(shard, 0o755);
    chmodSync(join(shard, sha.slice(2, 4)), 0o755);
    mkdirSync(join(dataDir, 'keys'), { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'evidence'), 0o755);
    const store = await openStore({ dataDir });
    try {
      const access = new AccessService(store, systemClock, new LoginThrottle());
      await access.createUser(
        { kind: 'system', name: 'test' },
        { email: 'admin@example.com', password: 'a long enough password', role: 'platform_admin' },
      );
      loadOrCreateServerKey(dataDir);
      const blobs = new FileBlobStore(join(dataDir, 'evidence'));
      await blobs.put(Readable.from([content]), { maxBytes: 1024 });
      // The WAL and its index exist while the store is open.
      expect(readdirSync(dataDir)).toEqual(
        expect.arrayContaining(['cordon.db-wal', 'cordon.db-shm']),
      );
      expect(openToOthers(dataDir)).toEqual([]);
    } finally {
      await store.close();
    }
    expect(openToOthers(dataDir)).toEqual([]);
  });

  it('tightens files left readable by an older version', async () => {
    const dataDir = join(parent, 'old');
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    await (await openStore({ dataDir })).close();
    loadOrCreateServerKey(dataDir);
    chmodSync(join(dataDir, 'cordon.db'), 0o644);
    chmodSync(join(dataDir, 'keys'), 0o755);
    chmodSync(join(dataDir, 'keys', 'server-ed25519.pem'), 0o644);
    writeFileSync(join(dataDir, 'cordon.db-journal'), '', { mode: 0o644 });
    chmodSync(dataDir, 0o755);
    const store = await openStore({ dataDir });
    loadOrCreateServerKey(dataDir);
    expect(openToOthers(dataDir)).toEqual([]);
    await store.close();
  });
});
