/**
 * Reads Sigma rule files for `rules check` and `hunt`: files ending in .yml/.yaml, and
 * directories searched recursively, in sorted order.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuleSource } from '@cordon/sigma';

export async function listInputFiles(
  path: string,
  accept: (name: string) => boolean,
): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new Error(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await listInputFiles(child, accept)));
    else if (accept(entry.name)) out.push(child);
  }
  return out;
}

export async function readRuleSources(paths: readonly string[]): Promise<RuleSource[]> {
  const sources: RuleSource[] = [];
  for (const path of paths) {
    for (const file of await listInputFiles(path, (n) => /\.ya?ml$/i.test(n))) {
      sources.push({ file, text: await readFile(file, 'utf8') });
    }
  }
  return sources;
}
