/**
 * `cordon guarantee contract set FILE|show`, `cordon guarantee entry add --incident ID …`,
 * `cordon guarantee correct --incident ID --entry ID --reason TEXT [--replacement FILE]` and
 * `cordon guarantee statement (--incident ID | --month YYYY-MM) [--json]`: the service
 * guarantee over the API (amounts in minor units, e.g. cents).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { apiClient, apiOptionsHelp } from '../api/api-client.ts';
import { adminOptions, adminOptionsHelp, withAdminContext } from '../admin/admin-context.ts';
import { GuaranteeService, systemClock } from '@cordon/core';
import { GuaranteeTermsSchema } from '@cordon/protocol';
import { Value } from '@sinclair/typebox/value';

const MAX_FILE_BYTES = 1024 * 1024;

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  if (text.length > MAX_FILE_BYTES) throw new UsageError(`${file} is larger than 1 MiB`);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
}

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
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    const path = `/api/v1/tenants/${tenantId}/guarantee/contract`;
    io.stdout.write(`${JSON.stringify(await api.request('GET', path), null, 2)}\n`);
    return 0;
  },
};

export const guaranteeEntryCommand: Command = {
  name: 'guarantee entry add',
  summary: 'Record time or cost on an incident (the ledger)',
  help: [
    'Usage: cordon guarantee entry add --incident ID --responder NAME --role ROLE',
    '         --service response_hours|forensics|recovery --phase PHASE --activity TEXT',
    '         (--minutes N [--hourly-minor N] | --amount-minor N) [--at ISO-TIME] [--tenant T]',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        tenant: { type: 'string' },
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
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    const entry = await api.request<{ id: string }>(
      'POST',
      `/api/v1/tenants/${tenantId}/incidents/${encodeURIComponent(incident)}/guarantee/entries`,
      body,
    );
    io.stdout.write(`${entry.id}\n`);
    return 0;
  },
};

export const guaranteeCorrectCommand: Command = {
  name: 'guarantee correct',
  summary: 'Reverse a ledger entry, with an optional replacement (never an edit)',
  help: [
    'Usage: cordon guarantee correct --incident ID --entry ID --reason TEXT [--replacement FILE] [--tenant T]',
    '',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        tenant: { type: 'string' },
        incident: { type: 'string' },
        entry: { type: 'string' },
        reason: { type: 'string' },
        replacement: { type: 'string' },
      },
      strict: true,
    });
    if (!values.incident || !values.entry || !values.reason)
      throw new UsageError('--incident, --entry and --reason are needed');
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    const result = await api.request<{
      reversal: { id: string };
      replacement: { id: string } | null;
    }>(
      'POST',
      `/api/v1/tenants/${tenantId}/incidents/${encodeURIComponent(values.incident)}/guarantee/entries/${encodeURIComponent(values.entry)}/correction`,
      {
        reason: values.reason,
        ...(values.replacement ? { replacement: readJson(values.replacement) } : {}),
      },
    );
    io.stdout.write(
      `reversal ${result.reversal.id}${result.replacement ? `, replacement ${result.replacement.id}` : ''}\n`,
    );
    return 0;
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
        tenant: { type: 'string' },
        incident: { type: 'string' },
        month: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
    });
    if ((values.incident === undefined) === (values.month === undefined))
      throw new UsageError('give --incident ID or --month YYYY-MM');
    if (values.month !== undefined && !/^\d{4}-\d{2}$/.test(values.month))
      throw new UsageError('--month takes YYYY-MM');
    const api = apiClient(io);
    const tenantId = await api.tenantId(values.tenant);
    const path = values.incident
      ? `/api/v1/tenants/${tenantId}/incidents/${encodeURIComponent(values.incident)}/guarantee/statement`
      : `/api/v1/tenants/${tenantId}/guarantee/statement?month=${values.month}`;
    const s = await api.request<Statement>('GET', path);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(s)}\n`);
      return 0;
    }
    for (const l of s.lines) {
      io.stdout.write(
        `${l.occurredAt}  ${l.kind.padEnd(8)} ${money(l.amountMinor).padStart(12)}  covered ${money(l.coveredMinor).padStart(12)}  billable ${money(l.billableMinor).padStart(12)}  ${l.activity ?? ''}\n`,
      );
      for (const p of l.parts)
        io.stdout.write(`    ${p.reason} ${money(p.amountMinor)}: ${p.detail}\n`);
    }
    const t = s.totals;
    io.stdout.write(
      `total ${money(t.amountMinor)} ${s.currency ?? ''}: covered ${money(t.coveredMinor)}, billable ${money(t.billableMinor)}\n`,
    );
    return 0;
  },
};

export const guaranteeCommands: readonly Command[] = [
  guaranteeContractCommand,
  guaranteeEntryCommand,
  guaranteeCorrectCommand,
  guaranteeStatementCommand,
];
