/**
 * Builds the console when its bundle is missing or older than its sources, so `npm start` and
 * the end-to-end tests always serve what the tree says. `node scripts/console-build.ts` runs it
 * (the root `npm start` does, before `cordon serve`); `--force` builds regardless.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
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

export async function ensureConsoleBuilt(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<boolean> {
  const reason = options.force ? 'forced' : staleReason();
  if (reason === undefined) return false;
  options.log?.(`building the console (${reason}) …`);
  const { build } = await import('vite');
  await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureConsoleBuilt({
    force: process.argv.includes('--force'),
    log: (line) => console.log(line),
  });
}
