/**
 * The SQLite write-ahead log is checkpointed by a worker, not by the writing thread: data
 * committed on the store's connection reaches the database file while the writer's own
 * automatic checkpoint (at WRITER_CHECKPOINT_PAGES) is far off.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/database/open-database.ts';
import { startWalCheckpointer, WRITER_CHECKPOINT_PAGES } from '../src/database/wal-checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('WAL checkpointer', () => {
  it('moves committed pages into the database file from another thread', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-wal-'));
    dirs.push(dataDir);
    const database = await openDatabase({ dataDir });
    const raw = database.sqlite!;
    expect(raw.prepare('PRAGMA wal_autocheckpoint').get()).toEqual({
      wal_autocheckpoint: WRITER_CHECKPOINT_PAGES,
    });
    raw.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)');
    const file = join(dataDir, 'cordon.db');
    const before = statSync(file).size;
    const insert = raw.prepare('INSERT INTO filler (body) VALUES (?)');
    raw.exec('BEGIN');
    for (let i = 0; i < 2000; i++) insert.run(`${i}:`.padEnd(4000, 'x'));
    raw.exec('COMMIT');
    // About 8 MB committed: far below the writer's own threshold, so only the worker copies it.
    expect(8_000_000 / 4096).toBeLessThan(WRITER_CHECKPOINT_PAGES);
    expect(await until(() => statSync(file).size >= before + 7_000_000, 10_000)).toBe(true);
    await database.close();
    // Closed cleanly: the data is all in the file and readable again.
    const reopened = await openDatabase({ dataDir });
    expect(reopened.sqlite!.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 2000 });
    await reopened.close();
  });
});

describe('WAL checkpointer failures', () => {
  it('are reported, and closing still returns', async () => {
    const errors: string[] = [];
    const checkpointer = startWalCheckpointer(
      join(tmpdir(), 'cordon-no-such-dir', 'x', 'cordon.db'),
      (message) => errors.push(message),
    );
    expect(await until(() => errors.length > 0, 10_000)).toBe(true);
    expect(errors[0]).toMatch(/checkpointer .* stopped; the writer checkpoints itself/);
    await checkpointer.close();
  });
});
