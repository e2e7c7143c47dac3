/**
 * A start that fails part-way closes what it had opened (review of issue 13): before, a
 * `createServer` that failed at a late step left the store open (its SQLite files held, the
 * checkpoint worker running), the detection workers alive and the syslog listeners bound, so a
 * CLI that reported the error could not exit, and a retry on the same port failed. The late
 * step here fails for real: the console directory holds a dangling symbolic link, found when
 * its files are read, after the store, the listeners and the workers have started.
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, defaultServerConfig } from '../src/index.ts';
import { liftedFairness } from './test-server.ts';

/** Threads of this process by name (the server's workers are named after their job). */
function namedThreads(): string[] {
  return readdirSync('/proc/self/task').map((tid) => {
    try {
      return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  });
}
const serverThreads = (): number =>
  namedThreads().filter((name) =>
    ['detection match', 'rule check', 'wal checkpoint'].includes(name),
  ).length;

/** Files of this process open under `dir`. */
function openFilesUnder(dir: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) open.push(target);
    } catch {
      // closed meanwhile
    }
  }
  return open;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

describe('a failed start (SQLite)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('closes the store, the workers and the listeners it had opened, then throws', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-failed-start-'));
    const consoleDir = mkdtempSync(join(tmpdir(), 'cordon-failed-console-'));
    dirs.push(dataDir, consoleDir);
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>x</title>');
    symlinkSync(join(consoleDir, 'gone.js'), join(consoleDir, 'app.js'));
    const port = await freePort();
    // A tenant for the syslog listener to deliver to, made by a first start that succeeds.
    const first = await createServer({
      config: { ...defaultServerConfig, dataDir, port: 0, consoleDir: undefined },
      logger: false,
    });
    await first.services.access.createTenant({ kind: 'system', name: 'test' }, 'acme');
    await first.close();
    const threadsBefore = serverThreads();

    await expect(
      createServer({
        config: {
          ...defaultServerConfig,
          dataDir,
          port: 0,
          consoleDir,
          fairness: liftedFairness,
          ingest: {
            ...defaultServerConfig.ingest,
            syslog: [{ transport: 'tcp', host: '127.0.0.1', port, tenant: 'acme' }],
          },
        },
        logger: false,
      }),
    ).rejects.toThrow(/ENOENT/);

    // Nothing holds the data directory: the SQLite files and the witness are closed.
    expect(openFilesUnder(dataDir)).toEqual([]);
    // The syslog listener's port is free again.
    expect(await canListen(port)).toBe(true);
    // The detection workers and the store's checkpoint worker have ended.
    await expect.poll(serverThreads, { timeout: 10_000 }).toBe(threadsBefore);
  }, 120_000);
});
