/**
 * `cordon incident timeline ID` and `cordon incident process-tree ID --host H`: the analysis
 * phase through the API. The timeline prints one line per entry (time, kind, host, title) after
 * the root cause and scope; the process tree prints the processes indented under their parents,
 * the ones an alert is about marked `!`. `--json` prints the API's answer.
 */
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError, apiClient, apiOptionsHelp } from '../api/api-client.ts';

interface Findings {
  readonly rootCause: string | null;
  readonly scope: string | null;
}

interface TimelineAnswer {
  readonly findings: Findings;
  readonly window: { readonly from: string; readonly to: string } | null;
  readonly relatedTruncated: boolean;
  readonly total: number;
  readonly entries: readonly {
    readonly at: string;
    readonly kind: string;
    readonly host: string | null;
    readonly actor: string | null;
    readonly title: string;
  }[];
}

interface TreeAnswer {
  readonly findings: Findings;
  readonly host: string;
  readonly truncated: boolean;
  readonly nodes: readonly {
    readonly depth: number;
    readonly pid: number | null;
    readonly name: string | null;
    readonly commandLine: string | null;
    readonly user: string | null;
    readonly startedAt: string | null;
    readonly source: string | null;
    readonly flagged: boolean;
  }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const clip = (text: string, width: number): string =>
  text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);

function incidentId(positionals: readonly string[]): string {
  const [id, ...rest] = positionals;
  if (id === undefined || rest.length > 0) throw new UsageError('give exactly one incident id');
  if (!UUID.test(id)) throw new UsageError(`${id} is not an incident id (a UUID)`);
  return id;
}

function isoOption(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--${flag} must be a time (RFC 3339)`);
  return new Date(ms).toISOString();
}

const findingsLines = (findings: Findings): string[] => [
  `root cause  ${findings.rootCause ?? '(not recorded)'}`,
  `scope       ${findings.scope ?? '(not recorded)'}`,
];

async function withApi(io: CommandIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError) {
      io.stderr.write(`cordon: ${error.message} (${error.code})\n`);
      return 1;
    }
    throw error;
  }
}

export const incidentTimelineCommand: Command = {
  name: 'incident timeline',
  summary:
    "An incident's timeline: alerts, events, related events, actions, notes, phases, evidence",
  help: [
    'Usage: cordon incident timeline ID [--kinds K,…] [--from T] [--to T] [--host H] [--user U]',
    '                                   [--window MINUTES] [--related N] [--limit N] [--offset N] [--json]',
    '',
    'Kinds: alert, alert-event, related-event, action, note, transition, evidence. Related events',
    'share a host, user, address or process image with the alerts’ events, within --window',
    'minutes (default 60) of the incident’s activity; at most --related (default 200).',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        kinds: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        host: { type: 'string' },
        user: { type: 'string' },
        window: { type: 'string' },
        related: { type: 'string' },
        limit: { type: 'string', default: '100' },
        offset: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const id = incidentId(positionals);
    const query = new URLSearchParams();
    const from = isoOption(values.from, 'from');
    const to = isoOption(values.to, 'to');
    if (values.kinds) query.set('kinds', values.kinds);
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    if (values.host) query.set('host', values.host);
    if (values.user) query.set('user', values.user);
    for (const [flag, param] of [
      ['window', 'windowMinutes'],
      ['related', 'relatedLimit'],
      ['limit', 'limit'],
      ['offset', 'offset'],
    ] as const) {
      const value = values[flag];
      if (value === undefined) continue;
      if (!/^\d{1,7}$/.test(value)) throw new UsageError(`--${flag} must be a whole number`);
      query.set(param, value);
    }
    const api = apiClient(io);
    return withApi(io, async () => {
      const tenantId = await api.tenantId(values.tenant);
      const answer = await api.request<TimelineAnswer>(
        'GET',
        `/api/v1/tenants/${encodeURIComponent(tenantId)}/incidents/${id}/timeline?${query.toString()}`,
      );
      if (values.json) {
        io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
        return 0;
      }
      const lines = [
        ...findingsLines(answer.findings),
        '',
        `${'time'.padEnd(24)} ${'kind'.padEnd(13)} ${'host'.padEnd(16)} ${'by'.padEnd(18)} what`,
        ...answer.entries.map((e) =>
          [
            e.at.padEnd(24),
            e.kind.padEnd(13),
            clip(e.host ?? '-', 16),
            clip(e.actor ?? '-', 18),
            e.title.replace(/[\r\n\t]+/g, ' '),
          ].join(' '),
        ),
        `${answer.entries.length} of ${answer.total} entries${answer.relatedTruncated ? ' (related events truncated: raise --related)' : ''}`,
      ];
      io.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    });
  },
};

export const incidentProcessTreeCommand: Command = {
  name: 'incident process-tree',
  summary: "The process tree of an incident's host (Sysmon 1, Security 4688, agent telemetry)",
  help: [
    'Usage: cordon incident process-tree ID --host H [--from T] [--to T] [--json]',
    '',
    'Processes started on H around the incident’s activity (or between --from and --to),',
    'indented under their parents; `!` marks a process one of the incident’s alerts is about.',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        host: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const id = incidentId(positionals);
    if (!values.host) throw new UsageError('--host is required');
    const query = new URLSearchParams({ host: values.host });
    const from = isoOption(values.from, 'from');
    const to = isoOption(values.to, 'to');
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    const api = apiClient(io);
    return withApi(io, async () => {
      const tenantId = await api.tenantId(values.tenant);
      const tree = await api.request<TreeAnswer>(
        'GET',
        `/api/v1/tenants/${encodeURIComponent(tenantId)}/incidents/${id}/process-tree?${query.toString()}`,
      );
      if (values.json) {
        io.stdout.write(`${JSON.stringify(tree, null, 2)}\n`);
        return 0;
      }
      const lines = [
        ...findingsLines(tree.findings),
        '',
        ...tree.nodes.map((node) => {
          const label = `${node.name ?? '?'} (${node.pid ?? '?'})`;
          const when = node.startedAt ?? 'start not seen';
          const command = (node.commandLine ?? '').replace(/[\r\n\t]+/g, ' ');
          return `${node.flagged ? '!' : ' '} ${'  '.repeat(node.depth)}${label}  ${when}${node.user ? `  ${node.user}` : ''}${command ? `  ${clip(command, 160).trimEnd()}` : ''}`;
        }),
        `${tree.nodes.length} processes on ${tree.host}${tree.truncated ? ' (truncated: narrow --from/--to)' : ''}`,
      ];
      io.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    });
  },
};
