/**
 * `cordon playbook validate FILE|DIR` checks CACAO playbooks offline with the server's own
 * validator (every problem with its step and reason; exit 1 when one is refused);
 * `cordon playbook list` and `cordon playbook run --incident ID --playbook ID` go through the
 * API like the other client commands.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePlaybookText, validatePlaybook } from '@cordon/core';
import type { PlaybookProblem } from '@cordon/core';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError, apiClient, apiOptionsHelp } from '../api/api-client.ts';

const PLAYBOOK_FILE = /\.(json|ya?ml)$/i;

function playbookFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => PLAYBOOK_FILE.test(name))
    .sort()
    .map((name) => join(path, name));
}

function problemsOf(file: string): readonly PlaybookProblem[] {
  const parsed = parsePlaybookText(readFileSync(file, 'utf8'));
  if (!parsed.ok) return [parsed.problem];
  const result = validatePlaybook(parsed.value);
  return result.ok ? [] : result.problems;
}

export const playbookValidateCommand: Command = {
  name: 'playbook validate',
  summary: 'Check CACAO 2.0 playbooks (a file, or every .json/.yaml in a folder)',
  help: [
    'Usage: cordon playbook validate FILE|DIR [--json]',
    '',
    'Checks each playbook with the validator the server uses; no server is needed.',
    'Exit 0 when every playbook is valid, 1 when one is refused.',
    '',
    'Options:',
    '  --json   print [{"file", "ok", "problems": [{"stepId", "code", "message"}]}]',
  ].join('\n'),
  async run(args, io: CommandIo) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new UsageError('give one FILE or DIR');
    let files: string[];
    try {
      files = playbookFiles(positionals[0]!);
    } catch (error) {
      throw new UsageError(`cannot read ${positionals[0]}: ${(error as Error).message}`);
    }
    if (files.length === 0)
      throw new UsageError(`no .json or .yaml playbooks in ${positionals[0]}`);
    const results = files.map((file) => ({ file, problems: problemsOf(file) }));
    if (values.json) {
      io.stdout.write(
        JSON.stringify(results.map((r) => ({ ...r, ok: r.problems.length === 0 }))) + '\n',
      );
    } else {
      for (const { file, problems } of results) {
        if (problems.length === 0) {
          io.stdout.write(`ok       ${file}\n`);
          continue;
        }
        io.stdout.write(`refused  ${file}\n`);
        for (const p of problems)
          io.stdout.write(`  ${p.stepId ?? '(playbook)'}: ${p.message} [${p.code}]\n`);
      }
    }
    return results.some((r) => r.problems.length > 0) ? 1 : 0;
  },
};

interface PlaybookRow {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly latestVersion: number | null;
  readonly categories: readonly string[];
}

export const playbookListCommand: Command = {
  name: 'playbook list',
  summary: "List a tenant's playbooks and the shipped ones",
  help: [
    'Usage: cordon playbook list [--tenant ID] [--json]',
    '',
    'Options:',
    '  --tenant ID   tenant id (default CORDON_TENANT, or the API token’s own tenant)',
    '  --json        print the API answer {"items": […]}',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io: CommandIo) {
    const { values } = parseArgs({
      args: [...args],
      options: { tenant: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    const api = apiClient(io);
    try {
      const tenantId = await api.tenantId(values.tenant);
      const page = await api.request<{ items: readonly PlaybookRow[] }>(
        'GET',
        `/api/v1/tenants/${encodeURIComponent(tenantId)}/playbooks`,
      );
      if (values.json) {
        io.stdout.write(JSON.stringify(page) + '\n');
        return 0;
      }
      const lines = [`${'id'.padEnd(46)} ${'source'.padEnd(8)} ${'version'.padEnd(7)} name`];
      for (const p of page.items)
        lines.push(
          `${p.id.padEnd(46)} ${p.source.padEnd(8)} ${String(p.latestVersion ?? '-').padEnd(7)} ${p.name}${p.categories.length > 0 ? ` (${p.categories.join(', ')})` : ''}`,
        );
      io.stdout.write(lines.join('\n') + '\n');
      return 0;
    } catch (error) {
      if (error instanceof ApiError) {
        io.stderr.write(`error: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

interface RunRow {
  readonly id: string;
  readonly status: string;
  readonly playbookName: string;
  readonly playbookVersion: number;
  readonly steps: readonly { key: string; name: string; state: string; detail: string | null }[];
}

export const playbookRunCommand: Command = {
  name: 'playbook run',
  summary: 'Start a playbook on an incident and print where the run stands',
  help: [
    'Usage: cordon playbook run --incident ID --playbook ID [--var NAME=VALUE]... [--tenant ID] [--json]',
    '',
    'Options:',
    '  --incident ID    the incident',
    '  --playbook ID    the playbook (playbook--<uuid>; `cordon playbook list` shows them)',
    '  --var NAME=VALUE a playbook variable (__name__=value), repeatable',
    '  --tenant ID      tenant id (default CORDON_TENANT, or the API token’s own tenant)',
    '  --json           print the run as the API answers it',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io: CommandIo) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        incident: { type: 'string' },
        playbook: { type: 'string' },
        var: { type: 'string', multiple: true, default: [] },
        tenant: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.incident) throw new UsageError('--incident is required');
    if (!values.playbook) throw new UsageError('--playbook is required');
    const variables: Record<string, string> = {};
    for (const entry of values.var) {
      const at = entry.indexOf('=');
      if (at < 1) throw new UsageError(`--var takes NAME=VALUE, not ${entry}`);
      variables[entry.slice(0, at)] = entry.slice(at + 1);
    }
    const api = apiClient(io);
    try {
      const tenantId = await api.tenantId(values.tenant);
      const run = await api.request<RunRow>(
        'POST',
        `/api/v1/tenants/${encodeURIComponent(tenantId)}/incidents/${encodeURIComponent(values.incident)}/playbook-runs`,
        { playbookId: values.playbook, ...(values.var.length > 0 ? { variables } : {}) },
      );
      if (values.json) {
        io.stdout.write(JSON.stringify(run) + '\n');
        return 0;
      }
      const lines = [`run ${run.id}: ${run.playbookName} v${run.playbookVersion}, ${run.status}`];
      for (const s of run.steps.filter((x) => x.state !== 'pending'))
        lines.push(`  ${s.state.padEnd(8)} ${s.name}${s.detail ? ` — ${s.detail}` : ''}`);
      io.stdout.write(lines.join('\n') + '\n');
      return 0;
    } catch (error) {
      if (error instanceof ApiError) {
        io.stderr.write(`error: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

export const playbookCommands: readonly Command[] = [
  playbookValidateCommand,
  playbookListCommand,
  playbookRunCommand,
];
