/**
 * The first screen's JavaScript stays within budget (gzip), and screens stay out of it: the
 * entry plus what index.html preloads is at most 350 KB, and every screen is a chunk of its own.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INITIAL_JS_BUDGET_BYTES, bundleFigures } from '../scripts/bundle-budget.ts';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../scripts/console-build.ts';

describe('the console bundle', () => {
  beforeAll(async () => {
    await ensureConsoleBuilt();
  }, 120_000);

  it('keeps the first screen within the JavaScript budget', () => {
    const figures = bundleFigures();
    console.log(JSON.stringify(figures));
    expect(figures.initialJsGzipBytes).toBeGreaterThan(0);
    expect(figures.initialJsGzipBytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
  });

  it('splits each screen into its own chunk, loaded when first visited', () => {
    const chunks = readdirSync(join(CONSOLE_DIST, 'assets'));
    const initial = bundleFigures().initialFiles.join(' ');
    for (const screen of [
      'overview-screen',
      'alert-queue-screen',
      'incident-list-screen',
      'incident-screen',
      'search-screen',
      'asset-list-screen',
      'asset-screen',
      'agents-screen',
      'detection-screen',
      'admin-screen',
    ]) {
      const chunk = chunks.find((name) => name.startsWith(`${screen}-`) && name.endsWith('.js'));
      expect(chunk, screen).toBeDefined();
      expect(initial).not.toContain(chunk);
    }
  });
});
