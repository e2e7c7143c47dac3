/**
 * The console's JavaScript budget: what the browser must load before the first screen (the
 * entry chunk and every chunk `index.html` preloads), gzip-compressed, is at most
 * `INITIAL_JS_BUDGET_BYTES`. Screens are separate chunks loaded on first visit, so adding a
 * screen does not grow the first load. `node scripts/bundle-budget.ts` prints the figures.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CONSOLE_DIST } from './console-build.ts';

export const INITIAL_JS_BUDGET_BYTES = 350 * 1024;

export interface BundleFigures {
  readonly initialJsGzipBytes: number;
  readonly initialCssGzipBytes: number;
  readonly initialFiles: readonly string[];
  readonly largestLazyChunkGzipBytes: number;
  readonly totalJsGzipBytes: number;
}

const gz = (path: string): number => gzipSync(readFileSync(path)).length;

export function bundleFigures(dist = CONSOLE_DIST): BundleFigures {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  const initialJs = referenced.filter((f) => f.endsWith('.js'));
  const initialCss = referenced.filter((f) => f.endsWith('.css'));
  const allJs = readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `/assets/${f}`);
  const lazy = allJs.filter((f) => !initialJs.includes(f));
  const size = (f: string) => gz(join(dist, f));
  return {
    initialJsGzipBytes: initialJs.reduce((n, f) => n + size(f), 0),
    initialCssGzipBytes: initialCss.reduce((n, f) => n + size(f), 0),
    initialFiles: referenced,
    largestLazyChunkGzipBytes: Math.max(0, ...lazy.map(size)),
    totalJsGzipBytes: allJs.reduce((n, f) => n + size(f), 0),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = bundleFigures();
  console.log(JSON.stringify({ ...figures, budgetBytes: INITIAL_JS_BUDGET_BYTES }));
  if (figures.initialJsGzipBytes > INITIAL_JS_BUDGET_BYTES) process.exit(1);
}
