/**
 * `cordon guarantee contract set FILE|show`, `cordon guarantee entry add --incident ID …`,
 * `cordon guarantee correct --incident ID --entry ID --reason TEXT [--replacement FILE]` and
 * `cordon guarantee statement (--incident ID | --month YYYY-MM) [--json]`: the service
 * guarantee over the API (amounts in minor units, e.g. cents).
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { apiOptionsHelp } from '../api/api-client.ts';
import { apiCommandOptions, printAnswer, readJsonFile, withTenantApi } from '../api/api-command.ts';
import { adminOptions, adminOptionsHelp, withAdminContext } from '../admin/admin-context.ts';
import { GuaranteeService, systemClock } from '@cordon/core';
import { GuaranteeTermsSchema } from '@cordon/protocol';
import { Value } from '@sinclair/typebox/value';

const MAX_FILE_BYTES = 1024 * 1024;

const readJson = (file: string): unknown => readJsonFile(file, MAX_FILE_BYTES);

interface StatementLine {
  readonly id: string;
  readonly occurredAt: string;
  readonly kind: string;
  readonly activity?: string;
  readonly amountMinor: number;
  readonly coveredMinor: number;
  readonly billableMinor: number;
  readonly parts: readonly { reason: string; amountMinor: number; detail: string }[];
}
interface Statement {
  readonly currency: string | null;
  readonly lines: readonly StatementLine[];
  readonly totals: { amountMinor: number; coveredMinor: number; billableMinor: number };
}

const money = (minor: number): string => (minor / 100).toFixed(2);

const statementLines = (s: Statement): string[] => [
  ...s.lines.flatMap((l) => [
    `${l.occurredAt}  ${l.kind.padEnd(8)} ${money(l.amountMinor).padStart(12)}  covered ${money(l.coveredMinor).padStart(12)}  billable ${money(l.billableMinor).padStart(12)}  ${l.activity ?? ''}`,
    ...l.parts.map((p) => `    ${p.reason} ${money(p.amountMinor)}: ${p.detail}`),
  ]),
  `total ${money(s.totals.amountMinor)} ${s.currency ?? ''}: covered ${money(s.totals.coveredMinor)}, billable ${money(s.totals.billableMinor)}`,
];

export const guaranteeContractCommand: Command = {
  name: 'guarantee contract',
  summary: "Set (a new version, from a JSON file) or show a tenant's guarantee contract",
  help: [
    'Usage: cordon guarantee contract set FILE --tenant T   (the database directly, as the platform)',
    '       cordon guarantee contract show [--tenant T]       (through the API)',
    '',
    'FILE: {"currency":"EUR","categories":["ransomware"],"services":["response_hours","forensics"],',
    '  "perIncidentLimitMinor":500000,"perYearLimitMinor":2000000,"deductibleMinor":50000,',
    '  "rates":[{"role":"responder","hourlyMinor":15000}],',
    '  "exclusions":[{"kind":"ignored_readiness_gap","check":"backups_within_rpo","graceDays":30}]}',
    '',
    adminOptionsHelp,
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...adminOptions, tenant: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [action, file] = positionals;
    if (action === 'set' && file) {
      if (!values.tenant) throw new UsageError('--tenant is needed');
      const terms = readJson(file);
      if (!Value.Check(GuaranteeTermsSchema, terms))
        throw new UsageError(
          `${file}: ${[...Value.Errors(GuaranteeTermsSchema, terms)][0]?.message ?? 'not a contract'}`,
        );
      const tenantId = values.tenant;
      const contract = await withAdminContext(values, io, (c) =>
        new GuaranteeService({ store: c.store, clock: systemClock }).setContract(
          c.actor,
          tenantId,
          terms,
        ),
      );
      io.stdout.write(`contract version ${contract.version} set\n`);
      return 0;
    }
    if (action !== 'show') throw new UsageError('cordon guarantee contract set FILE | show');
    return withTenantApi(io, values.tenant, async ({ api, tenantPath }) => {
      printAnswer(io, true, await api.request('GET', `${tenantPath}/guarantee/contract`), () => []);
    });
  },
};

export const guaranteeEntryCommand: Command = {
  name: 'guarantee entry add',
  summary: 'Record time or cost on an incident (the ledger)',
  help: [
    'Usage: cordon guarantee entry add --incident ID --responder NAME --role ROLE',
    '         --service response_hours|forensics|recovery --phase PHASE --activity TEXT',
    '         (--minutes N [--hourly-minor N] | --amount-minor N) [--at ISO-TIME] [--tenant T] [--json]',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...apiCommandOptions,
        incident: { type: 'string' },
        responder: { type: 'string' },
        role: { type: 'string' },
        service: { type: 'string' },
        phase: { type: 'string' },
        activity: { type: 'string' },
        minutes: { type: 'string' },
        'hourly-minor': { type: 'string' },
        'amount-minor': { type: 'string' },
        at: { type: 'string' },
      },
      strict: true,
    });
    const { incident, responder, role, service, phase, activity } = values;
    if (!incident || !responder || !role || !service || !phase || !activity)
      throw new UsageError(
        '--incident, --responder, --role, --service, --phase and --activity are needed',
      );
    if ((values.minutes === undefined) === (values['amount-minor'] === undefined))
      throw new UsageError('give --minutes (time) or --amount-minor (cost)');
    const whole = (name: string, v: string): number => {
      if (!/^\d{1,13}$/.test(v)) throw new UsageError(`${name} takes a whole number`);
      return Number(v);
    };
    const common = {
      responder,
      role,
      service,
      phase,
      activity,
      occurredAt: values.at ?? new Date().toISOString(),
    };
    const body =
      values.minutes !== undefined
        ? {
            kind: 'time',
            ...common,
            minutes: whole('--minutes', values.minutes),
            ...(values['hourly-minor']
              ? { hourlyMinor: whole('--hourly-minor', values['hourly-minor']) }
              : {}),
          }
        : {
            kind: 'cost',
            ...common,
            amountMinor: whole('--amount-minor', values['amount-minor']!),
          };
    return withTenantApi(io, values.tenant, async ({ api, tenantPath }) => {
      const entry = await api.request<{ id: string }>(
        'POST',
        `${tenantPath}/incidents/${encodeURIComponent(incident)}/guarantee/entries`,
        body,
      );
      printAnswer(io, values.json, entry, (e) => e.id);
    });
  },
};

export const guaranteeCorrectCommand: Command = {
  name: 'guarantee correct',
  summary: 'Reverse a ledger entry, with an optional replacement (never an edit)',
  help: [
    'Usage: cordon guarantee correct --incident ID --entry ID --reason TEXT [--replacement FILE] [--tenant T] [--json]',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...apiCommandOptions,
        incident: { type: 'string' },
        entry: { type: 'string' },
        reason: { type: 'string' },
        replacement: { type: 'string' },
      },
      strict: true,
    });
    if (!values.incident || !values.entry || !values.reason)
      throw new UsageError('--incident, --entry and --reason are needed');
    const { incident, entry, reason } = values;
    const replacement = values.replacement ? readJson(values.replacement) : undefined;
    return withTenantApi(io, values.tenant, async ({ api, tenantPath }) => {
      const result = await api.request<{
        reversal: { id: string };
        replacement: { id: string } | null;
      }>(
        'POST',
        `${tenantPath}/incidents/${encodeURIComponent(incident)}/guarantee/entries/${encodeURIComponent(entry)}/correction`,
        { reason, ...(replacement === undefined ? {} : { replacement }) },
      );
      printAnswer(
        io,
        values.json,
        result,
        (r) =>
          `reversal ${r.reversal.id}${r.replacement ? `, replacement ${r.replacement.id}` : ''}`,
      );
    });
  },
};

export const guaranteeStatementCommand: Command = {
  name: 'guarantee statement',
  summary: 'What the guarantee covers and what is billable, per incident or month',
  help: [
    'Usage: cordon guarantee statement (--incident ID | --month YYYY-MM) [--json] [--tenant T]',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...apiCommandOptions,
        incident: { type: 'string' },
        month: { type: 'string' },
      },
      strict: true,
    });
    if ((values.incident === undefined) === (values.month === undefined))
      throw new UsageError('give --incident ID or --month YYYY-MM');
    if (values.month !== undefined && !/^\d{4}-\d{2}$/.test(values.month))
      throw new UsageError('--month takes YYYY-MM');
    const { incident, month } = values;
    return withTenantApi(io, values.tenant, async ({ api, tenantPath }) => {
      const path = incident
        ? `${tenantPath}/incidents/${encodeURIComponent(incident)}/guarantee/statement`
        : `${tenantPath}/guarantee/statement?month=${month}`;
      printAnswer(io, values.json, await api.request<Statement>('GET', path), statementLines);
    });
  },
};

export const guaranteeCommands: readonly Command[] = [
  guaranteeContractCommand,
  guaranteeEntryCommand,
  guaranteeCorrectCommand,
  guaranteeStatementCommand,
];
