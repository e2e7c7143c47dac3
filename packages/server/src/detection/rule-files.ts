/**
 * Reads the server's rule sources at start-up: our shipped rules (packages/ingest/rules) and
 * an optional SigmaHQ-style rule directory (`cordon serve --rules DIR`), searched recursively
 * for .yml/.yaml files in a stable order.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleSource } from '@cordon/sigma';

/** Where @cordon/ingest keeps the correlation rules it ships. */
export const SHIPPED_RULES_DIR = join(
  dirname(fileURLToPath(import.meta.resolve('@cordon/ingest'))),
  '..',
  'rules',
);

export async function readRuleDirectory(dir: string): Promise<RuleSource[]> {
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch (error) {
    throw new Error(
      `cannot read rule directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
  const files = names.filter((n) => /\.ya?ml$/i.test(n)).sort();
  return Promise.all(
    files.map(async (name) => ({
      file: join(dir, name),
      text: await readFile(join(dir, name), 'utf8'),
    })),
  );
}
