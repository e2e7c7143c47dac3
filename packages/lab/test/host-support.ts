/**
 * Whether this machine can run the privileged tests (root, `nft`, `ip`). Outside CI they skip
 * with the reason; in CI (`CI=true`) a missing prerequisite is a failure, not a skip.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

function has(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', binary], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function privilegedTestsUnavailable(
  tools: readonly string[] = ['nft', 'ip'],
): string | undefined {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root');
  for (const tool of tools) if (!has(tool)) missing.push(tool);
  if (missing.length === 0) return undefined;
  const reason = `needs ${missing.join(', ')}`;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but privileged tests cannot run: ${reason}`);
  console.warn(`skipping privileged tests: ${reason}`);
  return reason;
}

/** A short unique name for this run's namespaces and users. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(3).toString('hex')}`;
}
