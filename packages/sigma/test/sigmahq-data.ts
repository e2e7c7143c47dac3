/**
 * Locates the shared SigmaHQ data (`../shared/data` beside the repository) for the acceptance
 * tests and the bench, and reads rule files and regression events.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { flattenEvent, readEvtx, recordFlat } from '@cordon/evtx';
import type { RuleSource } from '@cordon/sigma';
import { withSigmaFieldNames } from '@cordon/sigma';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const dataRoot = resolve(repoRoot, '../shared/data');
export const sigmahqRoot = join(dataRoot, 'sigmahq');
export const hasSigmaData = existsSync(join(sigmahqRoot, 'rules'));

export function listFiles(dir: string, suffixes: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (suffixes.some((s) => name.endsWith(s))) out.push(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export function ruleSources(dirs: readonly string[]): RuleSource[] {
  return dirs.flatMap((d) =>
    listFiles(join(sigmahqRoot, d), ['.yml', '.yaml']).map((path) => ({
      file: relative(sigmahqRoot, path),
      text: readFileSync(path, 'utf8'),
    })),
  );
}

/** Concatenated JSON objects (SigmaHQ regression files) or one object per line. */
export function parseJsonStream(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth++ === 0) start = i;
    } else if (ch === '}') {
      if (--depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return out;
}

export interface RegressionCase {
  readonly dir: string;
  readonly ruleId: string;
  readonly matchCount: number | undefined;
  readonly events: Record<string, unknown>[];
  /** The same case's `.evtx` file, parsed with @cordon/evtx (empty when there is none). */
  readonly evtxEvents: Record<string, unknown>[];
}

export function readEvtxEvents(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  const out: Record<string, unknown>[] = [];
  for (const item of readEvtx(new Uint8Array(readFileSync(path)))) {
    if (item.kind === 'record') out.push(withSigmaFieldNames(recordFlat(item)));
  }
  return out;
}

export function regressionCases(): RegressionCase[] {
  return listFiles(join(sigmahqRoot, 'regression_data'), ['info.yml']).flatMap((info) => {
    const dir = join(info, '..');
    const text = readFileSync(info, 'utf8');
    const count = /^\s*match_count:\s*(\d+)/m.exec(text);
    return listFiles(dir, ['.json']).map((json) => ({
      dir: relative(sigmahqRoot, dir),
      ruleId: json.slice(json.lastIndexOf('/') + 1, -'.json'.length),
      matchCount: count ? Number(count[1]) : undefined,
      evtxEvents: readEvtxEvents(json.slice(0, -'.json'.length) + '.evtx'),
      events: parseJsonStream(readFileSync(json, 'utf8')).map(
        (e) => withSigmaFieldNames(flattenEvent(e as never)) as Record<string, unknown>,
      ),
    }));
  });
}
