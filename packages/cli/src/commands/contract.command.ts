/**
 * Contracts, SLAs and regulatory clocks from the command line. `contract set FILE` and
 * `sla platform-report` are admin commands (the database directly, as the platform: setting a
 * contract and reading every tenant are the MSSP's); the rest go through the API with the
 * caller's token: `contract show`, `sla show|pause|resume|report`, `regulatory regimes|status|
 * determine|notice|cisa-draft`. Each prints JSON (the API's answer), except `sla show` and
 * `regulatory status`, which print one line per clock unless `--json`.
 */
import { SlaService } from '@cordon/core';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { adminOptions, adminOptionsHelp, withAdminContext } from '../admin/admin-context.ts';
import type { ApiClient } from '../api/api-client.ts';
import { ApiError, apiClient, apiOptionsHelp } from '../api/api-client.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_FILE_BYTES = 1024 * 1024;
type Values = Record<string, string | boolean | undefined>;
type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

interface ApiCommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options?: Options;
  /** Whether the command takes an incident id. */
  readonly incident: boolean;
  call(api: ApiClient, at: { tenant: string; incident: string }, values: Values): Promise<unknown>;
  print?(result: unknown, io: CommandIo): void;
}

const readText = (path: string): string => {
  const text = readFileSync(path, 'utf8');
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) throw new UsageError(`${path} is over 1 MiB`);
  return text;
};
const text = (values: Values, name: string): string | undefined =>
  typeof values[name] === 'string' ? values[name] : undefined;
const required = (values: Values, name: string): string => {
  const value = text(values, name);
  if (value === undefined || value === '') throw new UsageError(`give --${name}`);
  return value;
};
const instant = (values: Values, name: string): string | undefined => {
  const value = text(values, name);
  if (value === undefined) return undefined;
  if (!Number.isFinite(Date.parse(value)))
    throw new UsageError(`--${name} is not an RFC 3339 time`);
  return new Date(value).toISOString();
};

function apiCommand(spec: ApiCommandSpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: [
      `Usage: cordon ${spec.name} ${spec.usage}`,
      '',
      'Options:',
      '  --tenant ID   tenant id (default CORDON_TENANT, or the API token’s own tenant)',
      '  --json        print the API answer as JSON',
      apiOptionsHelp,
    ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: {
          tenant: { type: 'string' },
          json: { type: 'boolean', default: false },
          ...spec.options,
        },
        allowPositionals: true,
        strict: true,
      });
      const [incident, ...extra] = positionals;
      if (spec.incident ? incident === undefined || !UUID.test(incident) : incident !== undefined)
        throw new UsageError(spec.incident ? 'give one incident id (a UUID)' : 'no arguments');
      if (extra.length > 0) throw new UsageError('one incident id only');
      const api = apiClient(io);
      try {
        const tenant = await api.tenantId(text(values, 'tenant'));
        const result = await spec.call(api, { tenant, incident: incident ?? '' }, values);
        if (spec.print && values['json'] !== true) spec.print(result, io);
        else io.stdout.write(JSON.stringify(result, null, 2) + '\n');
        return 0;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        io.stderr.write(`error: ${error.message}\n`);
        return 1;
      }
    },
  };
}

const tenantPath = (at: { tenant: string }) => `/api/v1/tenants/${encodeURIComponent(at.tenant)}`;
const incidentPath = (at: { tenant: string; incident: string }) =>
  `${tenantPath(at)}/incidents/${at.incident}`;

interface ClockRow {
  readonly metric: string;
  readonly state: string;
  readonly remainingMs: number;
  readonly dueAt: string | null;
}
interface DeadlineRow {
  readonly regimeId: string;
  readonly obligationId: string;
  readonly state: string;
  readonly dueAt: string | null;
  readonly recipient: string;
}

const minutes = (ms: number): string =>
  `${ms < 0 ? '-' : ''}${Math.floor(Math.abs(ms) / 3_600_000)}h${String(Math.floor((Math.abs(ms) % 3_600_000) / 60_000)).padStart(2, '0')}m`;

export const contractCommands: readonly Command[] = [
  {
    name: 'contract set',
    summary: "Set a tenant's contract (calendar, SLA terms, regimes) from a JSON file",
    help: [
      'Usage: cordon contract set FILE --tenant ID [--json]',
      '',
      'FILE holds the body of PUT /api/v1/tenants/{id}/contract (see README, "SLAs and',
      'regulatory clocks"). Acts on the database directly, as the platform.',
      '',
      'Options:',
      '  --tenant ID         the tenant',
      adminOptionsHelp,
    ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: { ...adminOptions, tenant: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const [file, ...extra] = positionals;
      if (file === undefined || extra.length > 0) throw new UsageError('give one FILE');
      const tenantId = required(values, 'tenant');
      let input: unknown;
      try {
        input = JSON.parse(readText(file));
      } catch (error) {
        throw new UsageError(`${file}: ${(error as Error).message}`);
      }
      const contract = await withAdminContext(values, io, (c) =>
        new SlaService({ store: c.store, clock: { now: () => Date.now() } }).setContract(
          c.actor,
          tenantId,
          input as Parameters<SlaService['setContract']>[2],
        ),
      );
      io.stdout.write(
        values.json
          ? JSON.stringify(contract) + '\n'
          : `contract version ${contract.version} set for tenant ${tenantId}\n`,
      );
      return 0;
    },
  },
  apiCommand({
    name: 'contract show',
    summary: "Print a tenant's contract",
    usage: '[--tenant ID]',
    incident: false,
    call: (api, at) => api.request('GET', `${tenantPath(at)}/contract`),
  }),
  apiCommand({
    name: 'sla show',
    summary: "Print an incident's SLA clocks (state, time left, due)",
    usage: 'INCIDENT_ID [--tenant ID] [--json]',
    incident: true,
    call: (api, at) => api.request('GET', `${incidentPath(at)}/sla`),
    print: (result, io) => {
      const { clocks, covered } = result as { clocks: ClockRow[]; covered: boolean };
      if (!covered) io.stdout.write('no SLA terms in the tenant contract\n');
      for (const c of clocks)
        io.stdout.write(
          `${c.metric.padEnd(12)} ${c.state.padEnd(9)} left ${minutes(c.remainingMs).padEnd(8)} due ${c.dueAt ?? '(paused)'}\n`,
        );
    },
  }),
  apiCommand({
    name: 'sla pause',
    summary: "Pause an incident's SLA clocks while waiting on the client",
    usage: 'INCIDENT_ID --reason TEXT [--tenant ID]',
    options: { reason: { type: 'string' } },
    incident: true,
    call: (api, at, values) =>
      api.request('POST', `${incidentPath(at)}/sla/pause`, { reason: required(values, 'reason') }),
  }),
  apiCommand({
    name: 'sla resume',
    summary: "Resume an incident's SLA clocks",
    usage: 'INCIDENT_ID [--tenant ID]',
    incident: true,
    call: (api, at) => api.request('POST', `${incidentPath(at)}/sla/resume`),
  }),
  apiCommand({
    name: 'sla report',
    summary: "A tenant's SLA results over a period (default the last 30 days)",
    usage: '[--from TIME] [--to TIME] [--tenant ID]',
    options: { from: { type: 'string' }, to: { type: 'string' } },
    incident: false,
    call: (api, at, values) => {
      const query = new URLSearchParams();
      for (const name of ['from', 'to']) {
        const value = instant(values, name);
        if (value) query.set(name, value);
      }
      return api.request('GET', `${tenantPath(at)}/sla-report?${query.toString()}`);
    },
  }),
  {
    name: 'sla platform-report',
    summary: "Every tenant's SLA results over a period (the MSSP's view)",
    help: [
      'Usage: cordon sla platform-report [--from TIME] [--to TIME] [--json]',
      '',
      'Acts on the database directly, as the platform (default: the last 30 days).',
      '',
      'Options:',
      '  --from TIME, --to TIME  RFC 3339 times',
      adminOptionsHelp,
    ].join('\n'),
    async run(args, io) {
      const { values } = parseArgs({
        args: [...args],
        options: { ...adminOptions, from: { type: 'string' }, to: { type: 'string' } },
        strict: true,
      });
      const to = Date.parse(instant(values, 'to') ?? new Date().toISOString());
      const from = Date.parse(
        instant(values, 'from') ?? new Date(to - 30 * 86_400_000).toISOString(),
      );
      const reports = await withAdminContext(values, io, (c) =>
        new SlaService({ store: c.store, clock: { now: () => Date.now() } }).platformReport(
          c.actor,
          { from, to, limit: 5_000 },
        ),
      );
      if (values.json) io.stdout.write(JSON.stringify(reports) + '\n');
      else
        for (const report of reports) {
          const line = report.metrics
            .map(
              (m) =>
                `${m.metric} ${m.counts.met} met/${m.counts.missed + m.counts.breached} failed`,
            )
            .join(', ');
          io.stdout.write(`${report.tenantId}  ${report.incidents} incidents  ${line}\n`);
        }
      return 0;
    },
  },
  apiCommand({
    name: 'regulatory regimes',
    summary: 'The catalogue of notification regimes and their deadlines',
    usage: '',
    incident: false,
    call: (api) => api.request('GET', '/api/v1/regulatory-regimes'),
  }),
  apiCommand({
    name: 'regulatory status',
    summary: "An incident's reporting deadlines, determinations and notices",
    usage: 'INCIDENT_ID [--tenant ID] [--json]',
    incident: true,
    call: (api, at) => api.request('GET', `${incidentPath(at)}/regulatory`),
    print: (result, io) => {
      const { deadlines } = result as { deadlines: DeadlineRow[] };
      if (deadlines.length === 0)
        io.stdout.write('no reporting deadlines (no reportable determination)\n');
      for (const d of deadlines)
        io.stdout.write(
          `${`${d.regimeId}/${d.obligationId}`.padEnd(28)} ${d.state.padEnd(8)} due ${(d.dueAt ?? '(not started)').padEnd(24)} to ${d.recipient}\n`,
        );
    },
  }),
  apiCommand({
    name: 'regulatory determine',
    summary: 'Record whether an incident is reportable, under which regimes, and why',
    usage:
      'INCIDENT_ID --regimes gdpr,nis2 --reason TEXT [--not-reportable] [--aware-at TIME] [--paid-at TIME]',
    options: {
      regimes: { type: 'string' },
      reason: { type: 'string' },
      'not-reportable': { type: 'boolean', default: false },
      'aware-at': { type: 'string' },
      'paid-at': { type: 'string' },
    },
    incident: true,
    call: (api, at, values) => {
      const awarenessAt = instant(values, 'aware-at');
      const paymentAt = instant(values, 'paid-at');
      return api.request('POST', `${incidentPath(at)}/regulatory/determination`, {
        reportable: values['not-reportable'] !== true,
        regimes: (text(values, 'regimes') ?? '').split(',').filter((r) => r !== ''),
        reason: required(values, 'reason'),
        ...(awarenessAt ? { awarenessAt } : {}),
        ...(paymentAt ? { paymentAt } : {}),
      });
    },
  }),
  apiCommand({
    name: 'regulatory notice',
    summary: 'Record a notice sent to a regulator, with its content (hashed and kept)',
    usage:
      'INCIDENT_ID --regime ID --obligation ID --channel TEXT --content-file FILE [--recipient TEXT] [--sent-at TIME]',
    options: {
      regime: { type: 'string' },
      obligation: { type: 'string' },
      channel: { type: 'string' },
      'content-file': { type: 'string' },
      recipient: { type: 'string' },
      'sent-at': { type: 'string' },
    },
    incident: true,
    call: (api, at, values) => {
      const sentAt = instant(values, 'sent-at');
      const recipient = text(values, 'recipient');
      return api.request('POST', `${incidentPath(at)}/regulatory/notices`, {
        regime: required(values, 'regime'),
        obligation: required(values, 'obligation'),
        channel: required(values, 'channel'),
        content: readText(required(values, 'content-file')),
        ...(recipient ? { recipient } : {}),
        ...(sentAt ? { sentAt } : {}),
      });
    },
  }),
  apiCommand({
    name: 'regulatory cisa-draft',
    summary: "A CISA-style incident report drafted from the incident's facts",
    usage: 'INCIDENT_ID [--tenant ID]',
    incident: true,
    call: (api, at) => api.request('GET', `${incidentPath(at)}/regulatory/cisa-draft`),
  }),
];
