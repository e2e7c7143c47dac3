/**
 * `cordon report template set KIND FILE | get KIND [--out FILE] | delete KIND | list`: a
 * tenant's stored HTML templates, one per report kind, over the API. The server parses a
 * template before keeping it and names the line of any problem; every report of that kind is
 * then made with it unless `--template` gives another.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { apiOptionsHelp } from '../api/api-client.ts';
import {
  apiCommandOptions,
  printAnswer,
  readBoundedText,
  withTenantApi,
} from '../api/api-command.ts';

const KINDS = ['full', 'executive', 'law_enforcement', 'monthly'];
const MAX_TEMPLATE_BYTES = 64 * 1024;

interface TemplateSummary {
  readonly kind: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

const describe = (t: TemplateSummary): string =>
  `${t.kind.padEnd(16)} ${String(t.bytes).padStart(6)} bytes  sha256 ${t.sha256}  ${t.updatedAt} by ${t.updatedBy}`;

const USAGE =
  'cordon report template set KIND FILE | get KIND [--out FILE] | delete KIND | list  (KIND: full, executive, law_enforcement, monthly)';

export const reportTemplateCommand: Command = {
  name: 'report template',
  summary: 'Store, show or remove a tenant’s report template (one per report kind)',
  help: [
    `Usage: ${USAGE}`,
    '         [--tenant ID] [--json]',
    '',
    'set   parses FILE (at most 64 KiB) on the server and keeps it; reports of KIND use it',
    '      from then on (README, "Reports": the variables). A bad template is refused with',
    '      its line. Replacing and removing are journaled.',
    'get   prints the stored template (or writes it to --out FILE)',
    'list  the stored templates, their size and SHA-256',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...apiCommandOptions, out: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [action, kind, file, ...extra] = positionals;
    const kindOk = kind !== undefined && KINDS.includes(kind);
    const shapeOk =
      extra.length === 0 &&
      ((action === 'list' && kind === undefined) ||
        (action === 'set' && kindOk && file !== undefined) ||
        ((action === 'get' || action === 'delete') && kindOk && file === undefined));
    if (!shapeOk) throw new UsageError(USAGE);
    const template = action === 'set' ? readBoundedText(file!, MAX_TEMPLATE_BYTES) : undefined;
    return withTenantApi(io, values.tenant, async ({ api, tenantPath }) => {
      const path = `${tenantPath}/report-templates${kind === undefined ? '' : `/${kind}`}`;
      switch (action) {
        case 'list': {
          const answer = await api.request<{ items: TemplateSummary[] }>('GET', path);
          printAnswer(io, values.json, answer, (a) =>
            a.items.length === 0 ? 'no stored templates' : a.items.map(describe),
          );
          return;
        }
        case 'set': {
          const saved = await api.request<TemplateSummary>('PUT', path, { template });
          printAnswer(io, values.json, saved, (s) => `stored ${describe(s)}`);
          return;
        }
        case 'get': {
          const stored = await api.request<TemplateSummary & { template: string }>('GET', path);
          if (values.out !== undefined) {
            writeFileSync(values.out, stored.template);
            printAnswer(io, values.json, stored, (s) => `${values.out}  ${describe(s)}`);
          } else if (values.json) printAnswer(io, true, stored, () => '');
          else
            io.stdout.write(
              stored.template.endsWith('\n') ? stored.template : `${stored.template}\n`,
            );
          return;
        }
        case 'delete':
          await api.request('DELETE', path);
          printAnswer(io, values.json, { deleted: kind }, () => `deleted the ${kind} template`);
          return;
      }
    });
  },
};
