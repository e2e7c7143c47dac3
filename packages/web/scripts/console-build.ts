/**
 * Builds the console when its bundle is missing or older than its sources, so `npm start` and
 * the end-to-end tests always serve what the tree says. `node scripts/console-build.ts` runs it
 * (the root `npm start` does, before `cordon serve`); `--force` builds regardless.
 */
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CONSOLE_DIST = join(WEB_ROOT, 'dist');

/** What the bundle is made from: the console's sources and build files (protocol for safety). */
const SOURCES = [
  join(WEB_ROOT, 'src'),
  join(WEB_ROOT, 'index.html'),
  join(WEB_ROOT, 'vite.config.ts'),
  join(WEB_ROOT, 'package.json'),
  join(WEB_ROOT, '..', 'protocol', 'src'),
];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

/** Why the bundle must be (re)built, or undefined when it is current. */
export function staleReason(): string | undefined {
  const built = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(built)) return 'no bundle yet';
  return newest(SOURCES[0]!) > statSync(built).mtimeMs ||
    SOURCES.slice(1).some((s) => newest(s) > statSync(built).mtimeMs)
    ? 'sources changed since the last build'
    : undefined;
}

/** Held while one process builds; it names the holder's pid, so a dead holder's is taken over. */
const BUILD_LOCK = join(WEB_ROOT, '.console-build.lock');

function holderAlive(): boolean {
  const pid = Number(readFileSync(BUILD_LOCK, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` holding the build lock. Test files run in parallel processes, each making sure
 * the bundle is current: without the lock several built at once, each emptying `dist` while
 * another's server was serving from it (a screen's chunk then answered 404).
 */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      const fd = openSync(BUILD_LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let alive = true;
      try {
        alive = holderAlive();
      } catch {
        // Released between our attempt and the read: try again.
      }
      if (!alive) rmSync(BUILD_LOCK, { force: true });
      else await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(BUILD_LOCK, { force: true });
  }
}

export async function ensureConsoleBuilt(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<boolean> {
  if (!options.force && staleReason() === undefined) return false;
  return withBuildLock(async () => {
    // Another process may have built it while this one waited for the lock.
    const reason = options.force ? 'forced' : staleReason();
    if (reason === undefined) return false;
    options.log?.(`building the console (${reason}) …`);
    const { build } = await import('vite');
    await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
    return true;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureConsoleBuilt({
    force: process.argv.includes('--force'),
    log: (line) => console.log(line),
  });
}
