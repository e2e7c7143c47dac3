/**
 * Contracts, SLAs and regulatory clocks from the command line. `contract set FILE` and
 * `sla platform-report` are admin commands (the database directly, as the platform: setting a
 * contract and reading every tenant are the MSSP's); the rest go through the API with the
 * caller's token: `contract show`, `sla show|pause|resume|report`, `regulatory regimes|status|
 * determine|notice|cisa-draft`. Each prints JSON (the API's answer), except `sla show` and
 * `regulatory status`, which print one line per clock unless `--json`.
 */
import { SlaService } from '@cordon/core';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { adminOptions, adminOptionsHelp, withAdminContext } from '../admin/admin-context.ts';
import type { ApiCommandValues } from '../api/api-command.ts';
import { defineApiCommand, readBoundedText } from '../api/api-command.ts';

const MAX_FILE_BYTES = 1024 * 1024;
type Values = ApiCommandValues;

const readText = (path: string): string => readBoundedText(path, MAX_FILE_BYTES);
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

const tenantPath = (at: { tenantPath: string }) => at.tenantPath;
const incidentPath = (at: { tenantPath: string; incident: string }) =>
  `${at.tenantPath}/incidents/${at.incident}`;

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
  defineApiCommand({
    name: 'contract show',
    summary: "Print a tenant's contract",
    usage: '[--tenant ID]',
    incident: false,
    call: (api, at) => api.request('GET', `${tenantPath(at)}/contract`),
  }),
  defineApiCommand({
    name: 'sla show',
    summary: "Print an incident's SLA clocks (state, time left, due)",
    usage: 'INCIDENT_ID [--tenant ID] [--json]',
    incident: true,
    call: (api, at) => api.request('GET', `${incidentPath(at)}/sla`),
    print: (result) => {
      const { clocks, covered } = result as { clocks: ClockRow[]; covered: boolean };
      return [
        ...(covered ? [] : ['no SLA terms in the tenant contract']),
        ...clocks.map(
          (c) =>
            `${c.metric.padEnd(12)} ${c.state.padEnd(9)} left ${minutes(c.remainingMs).padEnd(8)} due ${c.dueAt ?? '(paused)'}`,
        ),
      ];
    },
  }),
  defineApiCommand({
    name: 'sla pause',
    summary: "Pause an incident's SLA clocks while waiting on the client",
    usage: 'INCIDENT_ID --reason TEXT [--tenant ID]',
    options: { reason: { type: 'string' } },
    incident: true,
    call: (api, at, values) =>
      api.request('POST', `${incidentPath(at)}/sla/pause`, { reason: required(values, 'reason') }),
  }),
  defineApiCommand({
    name: 'sla resume',
    summary: "Resume an incident's SLA clocks",
    usage: 'INCIDENT_ID [--tenant ID]',
    incident: true,
    call: (api, at) => api.request('POST', `${incidentPath(at)}/sla/resume`),
  }),
  defineApiCommand({
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
  defineApiCommand({
    name: 'regulatory regimes',
    summary: 'The catalogue of notification regimes and their deadlines',
    usage: '',
    incident: false,
    call: (api) => api.request('GET', '/api/v1/regulatory-regimes'),
  }),
  defineApiCommand({
    name: 'regulatory status',
    summary: "An incident's reporting deadlines, determinations and notices",
    usage: 'INCIDENT_ID [--tenant ID] [--json]',
    incident: true,
    call: (api, at) => api.request('GET', `${incidentPath(at)}/regulatory`),
    print: (result) => {
      const { deadlines } = result as { deadlines: DeadlineRow[] };
      if (deadlines.length === 0) return 'no reporting deadlines (no reportable determination)';
      return deadlines.map(
        (d) =>
          `${`${d.regimeId}/${d.obligationId}`.padEnd(28)} ${d.state.padEnd(8)} due ${(d.dueAt ?? '(not started)').padEnd(24)} to ${d.recipient}`,
      );
    },
  }),
  defineApiCommand({
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
  defineApiCommand({
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
  defineApiCommand({
    name: 'regulatory cisa-draft',
    summary: "A CISA-style incident report drafted from the incident's facts",
    usage: 'INCIDENT_ID [--tenant ID]',
    incident: true,
    call: (api, at) => api.request('GET', `${incidentPath(at)}/regulatory/cisa-draft`),
  }),
];
