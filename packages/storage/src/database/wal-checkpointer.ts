/**
 * Checkpoints a SQLite database's write-ahead log on another thread. Copying the log back
 * into the database file (and the fsync that goes with it) is about a third of what an insert
 * costs; left to SQLite, it runs inside the commit of whichever write crosses the threshold,
 * on the thread that serves requests. Here a worker with its own connection runs a PASSIVE
 * checkpoint every few milliseconds, which never blocks the writer or readers, so the writing
 * thread only appends to the log. The writer keeps automatic checkpoints at a much higher
 * threshold as a safety net, in case the worker falls behind or is gone: the log stays bounded.
 * Commits are durable in the log either way (a process crash loses no acknowledged write).
 */
import { Worker } from 'node:worker_threads';

/** Log pages after which the writer checkpoints itself (about 256 MiB with 4 KiB pages). */
export const WRITER_CHECKPOINT_PAGES = 65_536;

const DEFAULT_INTERVAL_MS = 50;

/** Plain JavaScript (CommonJS), run as an eval'd worker: no file to locate or transpile. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch {
    // Busy (another checkpoint, a writer taking a lock): the next tick tries again.
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'close') {
    clearInterval(timer);
    try {
      checkpoint.get();
    } catch {}
    db.close();
    parentPort.close();
  }
});
`;

export interface WalCheckpointer {
  /** Runs a last checkpoint and stops the worker. */
  close(): Promise<void>;
}

/**
 * `onError` hears of a worker that stopped (it could not open the database, or failed): the
 * writer's own checkpoints carry on, with a larger log between them.
 */
export function startWalCheckpointer(
  path: string,
  onError: (message: string, error: unknown) => void = () => undefined,
  intervalMs = DEFAULT_INTERVAL_MS,
): WalCheckpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    name: 'wal checkpoint',
    workerData: { path, intervalMs },
  });
  // A background helper: it must not keep the process alive.
  worker.unref();
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  worker.on('error', (error) => {
    // The writer's own automatic checkpoints take over (WRITER_CHECKPOINT_PAGES).
    onError(`the WAL checkpointer for ${path} stopped; the writer checkpoints itself`, error);
  });
  return {
    close: async () => {
      if (!exited) {
        // Held open until it has finished: an unreferenced worker is not waited for.
        worker.ref();
        worker.postMessage('close');
      }
      await exit;
    },
  };
}
