/**
 * `cordon action isolate|release|block|unblock|kill|quarantine|restore|disable-account|triage|
 * remove-persistence|list-persistence --host H [--incident I]`: containment actions through the server's API. Prints the action;
 * with `--wait` follows it until the agent has reported (applied, failed or rolled back).
 */
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError, apiClient, apiOptionsHelp } from '../api/api-client.ts';

interface ActionView {
  readonly id: string;
  readonly agentId: string;
  readonly state: string;
  readonly detail: string | null;
  readonly action: { readonly kind: string };
}

const FINAL = new Set(['applied', 'failed', 'rolled-back', 'reverted']);

type Builder = (values: Record<string, string | boolean | undefined>) => Record<string, unknown>;

function need(values: Record<string, string | boolean | undefined>, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${flag} is required`);
  return value;
}

const ACTIONS: Readonly<Record<string, { summary: string; flags: string; build: Builder }>> = {
  isolate: {
    summary: 'Isolate a host (nftables, IPv4 and IPv6; the server stays reachable)',
    flags: '[--allow CIDR[:PORT],…]',
    build: (v) => ({
      kind: 'isolate',
      ...(typeof v['allow'] === 'string'
        ? {
            allow: v['allow'].split(',').map((rule) => {
              // CIDR, or CIDR:PORT (IPv6 networks contain colons, so the port follows the last `]:` or `/len:`).
              const match = /^(.+\/\d{1,3}):(\d{1,5})$/.exec(rule);
              return match === null
                ? { network: rule }
                : { network: match[1], ports: [Number(match[2])] };
            }),
          }
        : {}),
    }),
  },
  release: {
    summary: 'Release the isolation of a host',
    flags: '',
    build: () => ({ kind: 'release' }),
  },
  block: {
    summary: 'Block an address or CIDR on a host, in and out',
    flags: '--target CIDR',
    build: (v) => ({ kind: 'block', target: need(v, 'target') }),
  },
  unblock: {
    summary: 'Lift a block on a host',
    flags: '--target CIDR',
    build: (v) => ({ kind: 'unblock', target: need(v, 'target') }),
  },
  kill: {
    summary: 'Kill a process on a host by pid or name',
    flags: '--pid N | --name NAME',
    build: (v) =>
      typeof v['pid'] === 'string'
        ? { kind: 'kill-process', pid: Number(v['pid']) }
        : { kind: 'kill-process', name: need(v, 'name') },
  },
  quarantine: {
    summary: 'Quarantine a file on a host (hash, move, record)',
    flags: '--path /ABS/PATH',
    build: (v) => ({ kind: 'quarantine-file', path: need(v, 'path') }),
  },
  restore: {
    summary: 'Restore a quarantined file',
    flags: '--quarantine-id ID',
    build: (v) => ({ kind: 'restore-file', quarantineId: need(v, 'quarantine-id') }),
  },
  'disable-account': {
    summary: 'Lock a local account on a host and end its sessions',
    // --force: system accounts and the agent's own too; the server takes it from a lead only.
    flags: '--user NAME [--force]',
    build: (v) => ({
      kind: 'disable-account',
      user: need(v, 'user'),
      ...(v['force'] === true ? { force: true } : {}),
    }),
  },
  triage: {
    summary: 'Collect triage from a host (processes, connections, users, persistence, hashes)',
    flags: '[--hash-path /ABS/PATH,…]',
    build: (v) => ({
      kind: 'collect-triage',
      hashPaths: typeof v['hash-path'] === 'string' ? v['hash-path'].split(',') : [],
    }),
  },
  'remove-persistence': {
    summary: 'Remove one Linux persistence entry; the server keeps a copy as evidence',
    flags:
      '--kind cron|shell-profile --path P --line L | --kind authorized-key --path P --fingerprint SHA256:… | --kind systemd-unit --path P',
    build: (v) => {
      const kind = need(v, 'kind');
      const path = need(v, 'path');
      switch (kind) {
        case 'cron':
        case 'shell-profile':
          return { kind: 'remove-persistence', target: { kind, path, line: need(v, 'line') } };
        case 'authorized-key':
          return {
            kind: 'remove-persistence',
            target: { kind, path, fingerprint: need(v, 'fingerprint') },
          };
        case 'systemd-unit':
          return { kind: 'remove-persistence', target: { kind, path } };
        default:
          throw new UsageError(
            '--kind must be cron, systemd-unit, authorized-key or shell-profile',
          );
      }
    },
  },
  'list-persistence': {
    summary: 'List the persistence entries an agent sees (cron, systemd units, keys, profiles)',
    flags: '',
    build: () => ({ kind: 'list-persistence' }),
  },
};

async function runAction(verb: string, args: readonly string[], io: CommandIo): Promise<number> {
  const spec = ACTIONS[verb];
  if (spec === undefined) throw new UsageError(`unknown action ${verb}`);
  const { values } = parseArgs({
    args: [...args],
    options: {
      host: { type: 'string' },
      incident: { type: 'string' },
      tenant: { type: 'string' },
      wait: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      allow: { type: 'string' },
      target: { type: 'string' },
      pid: { type: 'string' },
      name: { type: 'string' },
      path: { type: 'string' },
      'quarantine-id': { type: 'string' },
      user: { type: 'string' },
      'hash-path': { type: 'string' },
      kind: { type: 'string' },
      line: { type: 'string' },
      fingerprint: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const host = need(values, 'host');
  const action = spec.build(values);
  const api = apiClient(io);
  try {
    const tenantId = await api.tenantId(values.tenant);
    let view = await api.request<ActionView>('POST', `/api/v1/tenants/${tenantId}/actions`, {
      host,
      action,
      ...(values.incident === undefined ? {} : { incidentId: values.incident }),
    });
    const deadline = Date.now() + 60_000;
    while (values.wait && !FINAL.has(view.state) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await api.request<ActionView>('GET', `/api/v1/tenants/${tenantId}/actions/${view.id}`);
    }
    if (values.json) io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    else
      io.stdout.write(
        `${view.action.kind} on ${host} (${view.agentId}): ${view.state}${view.detail ? ` — ${view.detail}` : ''}\n  action ${view.id}\n`,
      );
    return view.state === 'failed' || view.state === 'rolled-back' ? 1 : 0;
  } catch (error) {
    if (error instanceof ApiError) {
      io.stderr.write(`cordon: ${error.message} (${error.code})\n`);
      return 1;
    }
    throw error;
  }
}

export const actionCommands: readonly Command[] = Object.entries(ACTIONS).map(([verb, spec]) => ({
  name: `action ${verb}`,
  summary: spec.summary,
  help: [
    `Usage: cordon action ${verb} --host H ${spec.flags} [--incident I] [--tenant T] [--wait] [--json]`,
    '',
    'H is an agent id, a host name or one of its addresses. The action is journalled against',
    'the incident I when given. --wait follows the action until the agent reports.',
    '',
    apiOptionsHelp,
    '',
    'Exit code: 0 when requested (or applied with --wait), 1 when refused, failed or rolled back.',
  ].join('\n'),
  run: (args, io) => runAction(verb, args, io),
}));
