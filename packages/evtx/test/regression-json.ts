/**
 * Test helpers for SigmaHQ regression data: where it lives and how its `.json` files (one or
 * several pretty-printed JSON documents one after another) read.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EventJson } from '../src/index.ts';

export const dataRoot = resolve(import.meta.dirname, '../../../../shared/data');

/** The data directory, or undefined (after saying why) when a local run lacks it; CI must have it. */
export function requireData(relative: string): string | undefined {
  const path = join(dataRoot, relative);
  if (existsSync(path)) return path;
  if (process.env.CI === 'true') throw new Error(`test data missing in CI: ${path}`);
  console.warn(`skipping: test data not found at ${path}`);
  return undefined;
}

export function listFiles(dir: string, extension: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.toLowerCase().endsWith(extension)) {
      found.push(join(entry.parentPath, entry.name));
    }
  }
  return found.sort();
}

/** Reads concatenated JSON documents (how evtx_dump writes several records). */
export function readJsonDocuments(path: string): EventJson[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const documents: EventJson[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) documents.push(JSON.parse(text.slice(start, i + 1)) as EventJson);
    }
  }
  return documents;
}
