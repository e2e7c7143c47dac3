/**
 * `cordon alerts list`: a tenant's alerts from live detection, newest first, through the API —
 * level, status, rule, count, hosts and origins, and the incident each one is grouped into.
 * `--json` prints the API's page (`{"total": N, "items": […]}`).
 */
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError, apiClient, apiOptionsHelp } from '../api/api-client.ts';

interface AlertRow {
  readonly id: string;
  readonly ruleTitle: string;
  readonly level: string;
  readonly status: string;
  readonly count: number;
  readonly lastSeen: string;
  readonly entities: { readonly hosts: readonly string[]; readonly sourceIps: readonly string[] };
  readonly incidentId: string | null;
}

const STATUSES = ['open', 'acknowledged', 'closed', 'suppressed'];
const clip = (text: string, width: number): string =>
  text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);

export const alertsListCommand: Command = {
  name: 'alerts list',
  summary: "List a tenant's alerts from live detection",
  help: [
    'Usage: cordon alerts list [--tenant ID] [--status S] [--rule ID] [--host H] [--limit N] [--json]',
    '',
    'Options:',
    '  --tenant ID   tenant id (default CORDON_TENANT, or the API token’s own tenant)',
    '  --status S    open, acknowledged, closed or suppressed',
    '  --rule ID     Sigma rule id',
    '  --host H      alerts about this host',
    '  --limit N     alerts to print, 1-1000 (default 50)',
    '  --json        print the API page {"total": N, "items": […]}',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io: CommandIo) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        tenant: { type: 'string' },
        status: { type: 'string' },
        rule: { type: 'string' },
        host: { type: 'string' },
        limit: { type: 'string', default: '50' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.status !== undefined && !STATUSES.includes(values.status))
      throw new UsageError(`--status is one of ${STATUSES.join(', ')}`);
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new UsageError('--limit is 1 to 1000');
    const api = apiClient(io);
    try {
      const tenantId = await api.tenantId(values.tenant);
      const query = new URLSearchParams({ limit: String(limit) });
      if (values.status) query.set('status', values.status);
      if (values.rule) query.set('ruleId', values.rule);
      if (values.host) query.set('host', values.host);
      const page = await api.request<{ total: number; items: readonly AlertRow[] }>(
        'GET',
        `/api/v1/tenants/${encodeURIComponent(tenantId)}/alerts?${query.toString()}`,
      );
      if (values.json) {
        io.stdout.write(JSON.stringify(page) + '\n');
        return 0;
      }
      const lines = [
        `${'last seen'.padEnd(24)} ${'level'.padEnd(8)} ${'status'.padEnd(12)} ${'count'.padStart(5)} ${'hosts'.padEnd(20)} ${'origins'.padEnd(18)} ${'incident'.padEnd(8)} rule`,
      ];
      for (const a of page.items) {
        lines.push(
          [
            a.lastSeen.padEnd(24),
            a.level.padEnd(8),
            a.status.padEnd(12),
            String(a.count).padStart(5),
            clip(a.entities.hosts.join(','), 20),
            clip(a.entities.sourceIps.join(','), 18),
            (a.incidentId ?? '-').slice(0, 8).padEnd(8),
            a.ruleTitle,
          ].join(' '),
        );
      }
      lines.push(`${page.items.length} of ${page.total} alerts`);
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
