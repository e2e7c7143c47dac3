/**
 * The playbooks Cordon ships (`packages/server/playbooks/*.json`), read and validated once at
 * start-up. A tenant sees them beside its own; the first run of one stores it in the tenant as
 * version 1, so the run has a stored version like any other.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CacaoPlaybook } from '@cordon/core';
import { parsePlaybookText, validatePlaybook } from '@cordon/core';

export const SHIPPED_PLAYBOOK_DIR = fileURLToPath(new URL('../../playbooks/', import.meta.url));

export function loadShippedPlaybooks(
  dir: string = SHIPPED_PLAYBOOK_DIR,
): Map<string, CacaoPlaybook> {
  const playbooks = new Map<string, CacaoPlaybook>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = parsePlaybookText(readFileSync(`${dir}/${file}`, 'utf8'));
    if (!parsed.ok) throw new Error(`shipped playbook ${file}: ${parsed.problem.message}`);
    const validation = validatePlaybook(parsed.value);
    if (!validation.ok)
      throw new Error(`shipped playbook ${file}: ${JSON.stringify(validation.problems[0])}`);
    playbooks.set(validation.playbook.id, validation.playbook);
  }
  return playbooks;
}
