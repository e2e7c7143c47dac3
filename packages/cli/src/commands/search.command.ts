/**
 * `cordon search [--from T] [--to T] [--count] [--json] 'QUERY'`: searches a tenant's events
 * through the server's API. The default output is a compact table (time, host, user, source
 * address, event code, message), newest first; `--json` prints `{"total": N, "events": […]}`
 * for scripts; `--count` prints only how many match (exactly).
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError, apiClient, apiOptionsHelp } from '../api/api-client.ts';

interface SearchAnswer {
  readonly total: number;
  readonly totalIsLowerBound: boolean;
  readonly events: readonly {
    readonly id: string;
    readonly timestamp: string;
    readonly event: Readonly<Record<string, unknown>>;
  }[];
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 };

/** RFC 3339, or a duration (`15m`, `24h`, `7d`) meaning that long before now. */
export function timeArgument(text: string, flag: string, now: number): string {
  const relative = /^(\d{1,6})([smhd])$/.exec(text);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2]!]!).toISOString();
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new UsageError(`${flag} takes an RFC 3339 time or a duration like 24h, not '${text}'`);
  }
  return new Date(ms).toISOString();
}

const at = (event: Readonly<Record<string, unknown>>, path: string): string => {
  let value: unknown = event;
  for (const key of path.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};

const clip = (text: string, width: number): string =>
  text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);

function table(answer: SearchAnswer): string {
  const lines = [
    `${'time'.padEnd(24)} ${'host'.padEnd(16)} ${'user'.padEnd(14)} ${'source.ip'.padEnd(18)} ${'code'.padEnd(6)} message`,
  ];
  for (const { timestamp, event } of answer.events) {
    const message = (at(event, 'message') || at(event, 'event.original')).replace(/\s+/g, ' ');
    lines.push(
      [
        timestamp.padEnd(24),
        clip(at(event, 'host.name'), 16),
        clip(at(event, 'user.name'), 14),
        clip(at(event, 'source.ip'), 18),
        clip(at(event, 'event.code'), 6),
        clip(message, 100).trimEnd(),
      ].join(' '),
    );
  }
  const total = `${answer.total}${answer.totalIsLowerBound ? '+' : ''}`;
  lines.push(`${answer.events.length} of ${total} events`);
  return lines.join('\n') + '\n';
}

export const searchCommand: Command = {
  name: 'search',
  summary: "Search a tenant's events (KQL-like queries)",
  help: [
    "Usage: cordon search [--server URL] [--token T] [--tenant ID] [--from T] [--to T] [--sort desc|asc] [--limit N] [--count] [--json] 'QUERY'",
    '',
    'Queries: field:value, "quoted phrases", wildcards * ?, AND OR NOT, parentheses,',
    'ranges (event.code >= 4624), field:* (exists), CIDR on IP fields (source.ip:10.0.0.0/8),',
    'free text. Names that are not ECS fall back to the source fields (EventID, CommandLine).',
    '',
    'Options:',
    '  --server URL   the Cordon server (default CORDON_SERVER or http://127.0.0.1:8080)',
    '  --token T      API token (default CORDON_TOKEN)',
    '  --tenant ID    tenant id (default CORDON_TENANT, or the API token’s own tenant)',
    '  --from T       from this time: RFC 3339, or a duration before now (15m, 24h, 7d)',
    '  --to T         up to this time (exclusive), same forms',
    '  --sort ORDER   desc (newest first, default) or asc',
    '  --limit N      events to print, 1-1000 (default 50)',
    '  --count        print the number of matching events only',
    '  --json         print {"total": N, "events": […]} (with --count: {"total": N})',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        tenant: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        sort: { type: 'string', default: 'desc' },
        limit: { type: 'string', default: '50' },
        count: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1) {
      throw new UsageError("give the query as one argument, in quotes: cordon search 'a AND b'");
    }
    if (values.sort !== 'desc' && values.sort !== 'asc') {
      throw new UsageError('--sort is desc or asc');
    }
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new UsageError('--limit is 1 to 1000');
    }
    const now = Date.now();
    const filter = {
      query: positionals[0] ?? '',
      ...(values.from === undefined ? {} : { from: timeArgument(values.from, '--from', now) }),
      ...(values.to === undefined ? {} : { to: timeArgument(values.to, '--to', now) }),
    };
    const api = apiClient(io, { server: values.server, token: values.token });
    try {
      const tenantId = await api.tenantId(values.tenant);
      const base = `/api/v1/tenants/${encodeURIComponent(tenantId)}/events`;
      if (values.count) {
        const { count } = await api.request<{ count: number }>('POST', `${base}/count`, filter);
        io.stdout.write(values.json ? JSON.stringify({ total: count }) + '\n' : `${count}\n`);
        return 0;
      }
      const answer = await api.request<SearchAnswer>('POST', `${base}/search`, {
        ...filter,
        sort: values.sort,
        limit,
      });
      if (values.json) {
        io.stdout.write(
          JSON.stringify({
            total: answer.total,
            ...(answer.totalIsLowerBound ? { totalIsLowerBound: true } : {}),
            events: answer.events,
          }) + '\n',
        );
      } else {
        io.stdout.write(table(answer));
      }
      return 0;
    } catch (error) {
      if (error instanceof ApiError) {
        io.stderr.write(`cordon: ${error.message} (${error.code})\n`);
        return error.code === 'invalid_input' ? 2 : 1;
      }
      throw error;
    }
  },
};
