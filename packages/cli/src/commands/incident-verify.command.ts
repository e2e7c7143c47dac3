/**
 * `cordon incident verify ID`: runs every verification check of an incident through the API —
 * re-hunts and detection replays answer at once, a reachability test when its agent reports —
 * and prints each result. Exit 0 when every check passed, 1 otherwise (a failing check has
 * already moved the incident back to the phase it names; the reason is printed).
 */
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError, apiClient, apiOptionsHelp } from '../api/api-client.ts';

interface RunRow {
  readonly id: string;
  readonly checkId: string;
  readonly status: 'running' | 'passed' | 'failed' | 'incomplete' | 'error';
  readonly reason: string | null;
}
interface CheckRow {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const incidentVerifyCommand: Command = {
  name: 'incident verify',
  summary: "Run an incident's verification checks and print their results",
  help: [
    'Usage: cordon incident verify INCIDENT_ID [--tenant ID] [--timeout SECONDS] [--json]',
    '',
    'Runs every check of the incident (re-hunt, reachability, detection replay) and waits',
    'for reachability tests to be reported by their agent.',
    '',
    'Options:',
    '  --tenant ID        tenant id (default CORDON_TENANT, or the API token’s own tenant)',
    '  --timeout SECONDS  how long to wait for agents, 1-600 (default 60)',
    '  --json             print the runs as the API returns them',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io: CommandIo) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        tenant: { type: 'string' },
        timeout: { type: 'string', default: '60' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    const [incidentId, ...extra] = positionals;
    if (incidentId === undefined || extra.length > 0 || !UUID.test(incidentId))
      throw new UsageError('give one incident id (a UUID)');
    const timeout = Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 600)
      throw new UsageError('--timeout is 1 to 600 seconds');
    const api = apiClient(io);
    try {
      const tenantId = await api.tenantId(values.tenant);
      const base = `/api/v1/tenants/${encodeURIComponent(tenantId)}/incidents/${incidentId}/verification`;
      const checks = await api.request<readonly CheckRow[]>('GET', `${base}/checks`);
      if (checks.length === 0) {
        io.stderr.write('error: the incident has no verification checks\n');
        return 1;
      }
      let runs = await api.request<readonly RunRow[]>('POST', `${base}/runs`);
      const deadline = Date.now() + timeout * 1000;
      while (runs.some((r) => r.status === 'running') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const recent = await api.request<readonly RunRow[]>('GET', `${base}/runs?limit=500`);
        runs = runs.map((r) => recent.find((x) => x.id === r.id) ?? r);
      }
      if (values.json) {
        io.stdout.write(JSON.stringify(runs) + '\n');
      } else {
        const lines = runs.map((run) => {
          const check = checks.find((c) => c.id === run.checkId);
          const reason = run.reason ? `: ${run.reason}` : '';
          return `${run.status.padEnd(8)} ${(check?.kind ?? '').padEnd(16)} ${check?.title ?? run.checkId}${reason}`;
        });
        const passed = runs.filter((r) => r.status === 'passed').length;
        lines.push(`${passed} of ${runs.length} checks passed`);
        io.stdout.write(lines.join('\n') + '\n');
      }
      return runs.every((r) => r.status === 'passed') ? 0 : 1;
    } catch (error) {
      if (error instanceof ApiError) {
        io.stderr.write(`error: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
