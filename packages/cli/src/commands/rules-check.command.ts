/**
 * `cordon rules check PATH...`: loads Sigma rules (files or directories) as detection would,
 * and reports which cannot be used and why. Exit 0 when every rule loads, 1 when some are
 * rejected, 2 for bad arguments.
 */
import { parseArgs } from 'node:util';
import { loadRules, SigmaEngine } from '@cordon/sigma';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { readRuleSources } from '../hunt/rule-files.ts';

export const rulesCheckCommand: Command = {
  name: 'rules check',
  summary: 'Validate and compile Sigma rules; list the rules that cannot be used and why',
  help: [
    'Usage: cordon rules check PATH... [--json] [--placeholder NAME=VALUE]...',
    '',
    'Loads every .yml/.yaml file under each PATH (recursively), validates it against the',
    'Sigma v2.1 schemas and compiles it. Prints the number of accepted rules and each',
    'rejected rule with its file, id and reason.',
    '',
    'Options:',
    '  --json                       print {"accepted": N, "rejected": [{"file","id","reason"}]}',
    '  --placeholder NAME=VALUE     a value for the `expand` placeholder %NAME% (repeatable)',
    '  -h, --help                   show this help',
    '',
    'Exit status: 0 all rules accepted, 1 some rejected, 2 bad arguments.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        json: { type: 'boolean', default: false },
        placeholder: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) throw new UsageError('rules check needs at least one PATH');
    const placeholders = parsePlaceholders(values.placeholder);
    const loaded = loadRules(await readRuleSources(positionals));
    const engine = new SigmaEngine(loaded.detections, { placeholders, filters: loaded.filters });
    const rejected = [...loaded.rejected, ...engine.rejected].map((r) => ({
      file: r.file,
      id: r.id ?? null,
      reason: r.reason,
    }));
    const accepted = engine.ruleCount + loaded.correlations.length + loaded.filters.length;
    if (values.json) {
      io.stdout.write(JSON.stringify({ accepted, rejected }) + '\n');
    } else {
      for (const r of rejected)
        io.stdout.write(`rejected: ${r.file}${r.id ? ` (${r.id})` : ''}: ${r.reason}\n`);
      io.stdout.write(`${accepted} accepted, ${rejected.length} rejected\n`);
    }
    return rejected.length === 0 ? 0 : 1;
  },
};

export function parsePlaceholders(items: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`--placeholder wants NAME=VALUE (got ${JSON.stringify(item)})`);
    const name = item.slice(0, eq).replace(/^%|%$/g, '');
    (out[name] ??= []).push(item.slice(eq + 1));
  }
  return out;
}
