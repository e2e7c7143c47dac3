/**
 * `cordon deadletter list [--status S] [--json]` and `cordon deadletter replay [ID...|--all]`:
 * the records the server could not parse, with their reasons, and their replay through the
 * current parsers (after an upgrade that fixes one).
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { apiClient, apiOptionsHelp } from '../api/api-client.ts';

interface DeadLetterSummary {
  readonly id: string;
  readonly source: string;
  readonly reason: string;
  readonly code: string;
  readonly receivedAt: string;
  readonly status: string;
  readonly size: number;
  readonly preview: string;
}

const STATUSES = ['pending', 'replayed', 'failed'];

export const deadLetterListCommand: Command = {
  name: 'deadletter list',
  summary: 'List records the server could not parse, with the reasons',
  help: [
    'Usage: cordon deadletter list [--tenant T] [--status pending|replayed|failed] [--limit N] [--json]',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        tenant: { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.status !== undefined && !STATUSES.includes(values.status)) {
      throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
    }
    const limit = values.limit ?? '100';
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000)
      throw new UsageError('--limit takes 1 to 1000');
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    const query = new URLSearchParams({
      limit,
      ...(values.status ? { status: values.status } : {}),
    });
    const page = await api.request<{ total: number; items: DeadLetterSummary[] }>(
      'GET',
      `/api/v1/tenants/${tenantId}/deadletters?${query.toString()}`,
    );
    if (values.json) {
      io.stdout.write(`${JSON.stringify(page)}\n`);
      return 0;
    }
    io.stdout.write(
      `${page.total} dead letter(s)${page.total > page.items.length ? `, newest ${page.items.length}` : ''}\n`,
    );
    for (const l of page.items) {
      // eslint-disable-next-line no-control-regex -- control bytes are what is being hidden
      const preview = l.preview.replace(/[\x00-\x1f\x7f]/g, '.').slice(0, 60);
      io.stdout.write(
        `${l.id}  ${l.receivedAt}  ${l.status.padEnd(8)}  ${l.code.padEnd(20)}  ${l.source}\n    ${l.reason}\n    ${l.size} bytes: ${preview}\n`,
      );
    }
    return 0;
  },
};

export const deadLetterReplayCommand: Command = {
  name: 'deadletter replay',
  summary: 'Parse dead letters again with the current parsers',
  help: [
    'Usage: cordon deadletter replay [--tenant T] [--json] (ID... | --all)',
    '',
    'What parses now is stored (and runs through detection) and marked replayed; what still',
    'fails is marked failed with the new reason. Replaying again stores nothing twice.',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { tenant: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0 === (values.all === true))
      throw new UsageError('give dead letter ids, or --all');
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    const summary = await api.request<{
      tried: number;
      replayed: number;
      failed: number;
      events: number;
      skipped: string[];
    }>(
      'POST',
      `/api/v1/tenants/${tenantId}/deadletters/replay`,
      values.all ? { all: true } : { ids: positionals },
    );
    if (values.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else
      io.stdout.write(
        `tried ${summary.tried}: ${summary.replayed} replayed (${summary.events} events stored), ${summary.failed} still failing` +
          `${summary.skipped.length ? `; skipped (already replayed): ${summary.skipped.join(', ')}` : ''}\n`,
      );
    return 0;
  },
};
