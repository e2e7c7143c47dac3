/** `cordon readiness --tenant T [--json]`: the score, its gaps heaviest first, kept in the history. */
import type { ReadinessCheck } from '@cordon/core';
import { ReadinessService, systemClock } from '@cordon/core';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  adminOptions,
  adminOptionsHelp,
  printJson,
  withAdminContext,
} from '../admin/admin-context.ts';

export const readinessCommand: Command = {
  name: 'readiness',
  summary: "Score a tenant's preparation and list what is missing",
  help: [
    'Usage: cordon readiness --tenant T [--no-record] [--json]',
    '',
    'Computes the readiness score (0-100) from the measurable checks, prints the gaps heaviest',
    'first with what to do about each, and records the score in the tenant history (journalled).',
    '',
    'Options:',
    '  --tenant T     tenant id or name',
    '  --no-record    compute only; do not add to the history',
    adminOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        tenant: { type: 'string' },
        'no-record': { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.tenant) throw new UsageError('--tenant is required');
    const tenantRef = values.tenant;
    const { name, report, history } = await withAdminContext(values, io, async (c) => {
      const tenant = await c.access.resolveTenant(tenantRef);
      const service = new ReadinessService(c.store, systemClock);
      const report = values['no-record']
        ? await service.report(c.actor, tenant.id)
        : (await service.record(c.actor, tenant.id)).report;
      return { name: tenant.name, report, history: await service.history(c.actor, tenant.id, 5) };
    });
    if (values.json) {
      printJson(io, {
        tenant: name,
        ...report,
        history: history.map((h) => ({ at: new Date(h.at).toISOString(), score: h.score })),
      });
      return 0;
    }
    const out: string[] = [`Readiness of ${name}: ${report.score} / 100`, ''];
    const value = (c: ReadinessCheck) => (c.value === null ? ' n/a' : c.value.toFixed(2));
    if (report.gaps.length > 0) {
      out.push('Gaps, heaviest first:');
      for (const g of report.gaps) {
        out.push(
          `  [${String(g.weight).padStart(2)}] ${g.id.padEnd(24)} ${value(g)}  ${g.measured}`,
        );
        out.push(`       -> ${g.remediation}`);
      }
      out.push('');
    }
    const passing = report.checks.filter((c) => !report.gaps.includes(c));
    if (passing.length > 0) {
      out.push('Passing or not applicable:');
      for (const c of passing)
        out.push(
          `  [${String(c.weight).padStart(2)}] ${c.id.padEnd(24)} ${value(c)}  ${c.measured}`,
        );
      out.push('');
    }
    if (history.length > 1)
      out.push(
        `History: ${history
          .map((h) => `${new Date(h.at).toISOString().slice(0, 16).replace('T', ' ')} ${h.score}`)
          .join(' | ')}`,
      );
    io.stdout.write(out.join('\n') + '\n');
    return 0;
  },
};
