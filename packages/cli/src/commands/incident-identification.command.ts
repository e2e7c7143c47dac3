/**
 * `cordon incident identification ID`: what identification gathered for an incident, through
 * the API — category, affected assets with criticality, owner, segment and functions, ATT&CK
 * techniques and tactics by name, origins with their class (and country/AS), activity times,
 * each line marked inferred or corrected and followed by where it came from.
 * `--json` prints the API's view.
 */
import type { FactSourceView, IdentificationView } from '@cordon/protocol';
import type { Static } from '@sinclair/typebox';
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError, apiClient, apiOptionsHelp } from '../api/api-client.ts';

type View = Static<typeof IdentificationView>;
type Source = Static<typeof FactSourceView>;

function sourceText(s: Source): string {
  switch (s.kind) {
    case 'rule':
      return `rule ${s.ruleId ?? '?'}`;
    case 'inventory':
      return `inventory (${s.matchedBy ?? '?'} ${s.value ?? ''})`;
    case 'catalogue':
      return `ATT&CK ${s.version ?? ''}`;
    case 'network':
      return s.segmentId ? `segment ${s.segmentId}` : s.range ? 'reserved ranges' : 'no segment';
    case 'geo':
      return s.database ?? 'geo';
    case 'mapping':
      return `category table (${s.basis ?? ''})`;
    case 'analyst':
      return `analyst ${s.actor ?? '?'}${s.reason ? `: ${s.reason}` : ''}`;
  }
}

const sources = (list: readonly Source[]): string =>
  `      from: ${[...new Set(list.map(sourceText))].join('; ')}`;

export function formatIdentification(view: View): string {
  const out: string[] = [];
  const mark = (state: string) => (state === 'corrected' ? ' [corrected]' : '');
  out.push(
    `Category: ${view.category ? `${view.category.category}${mark(view.category.state)}` : '-'}`,
  );
  if (view.category) out.push(sources(view.category.sources));
  out.push('Affected assets:');
  for (const a of view.assets) {
    const details = [
      a.assetKind,
      a.criticality && `criticality ${a.criticality}`,
      a.owner && `owner ${a.owner}`,
      a.segment && `segment ${a.segment.name}`,
      a.functions.length > 0 && `runs ${a.functions.map((f) => f.name).join(', ')}`,
      a.assetId === null && 'not in the inventory',
    ].filter(Boolean);
    out.push(`  ${a.name}${mark(a.state)}  ${details.join(', ')}`, sources(a.sources));
  }
  out.push('ATT&CK:');
  for (const t of view.techniques)
    out.push(`  ${t.id} ${t.name ?? '(not in the catalogue)'}${mark(t.state)}`, sources(t.sources));
  for (const t of view.tactics)
    out.push(`  ${t.id} ${t.name} (tactic)${mark(t.state)}`, sources(t.sources));
  out.push('Origins:');
  for (const o of view.origins) {
    const where =
      o.class === 'internal'
        ? `segment ${o.segment?.name ?? '?'}`
        : o.class === 'lab'
          ? (o.range ?? '')
          : [o.country, o.asn === null ? null : `AS${o.asn}`, o.asOrganisation]
              .filter((x) => x !== null)
              .join(' ');
    out.push(
      `  ${o.address.padEnd(16)} ${o.class.padEnd(8)} ${where}${mark(o.state)}`,
      sources(o.sources),
    );
  }
  out.push(
    `Activity: first ${view.firstActivity?.at ?? '-'}, last ${view.lastActivity?.at ?? '-'}`,
  );
  if (view.removed.length > 0)
    out.push(
      `Removed by an analyst: ${view.removed.map((r) => `${r.kind} ${r.label}`).join('; ')}`,
    );
  out.push(`(${view.catalogue.attribution})`);
  return out.join('\n') + '\n';
}

export const incidentIdentificationCommand: Command = {
  name: 'incident identification',
  summary: "Show an incident's identification facts and where each came from",
  help: [
    'Usage: cordon incident identification INCIDENT_ID [--tenant ID] [--json]',
    '',
    'Options:',
    '  --tenant ID   tenant id (default CORDON_TENANT, or the API token’s own tenant)',
    '  --json        print the API view',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io: CommandIo) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { tenant: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const [incidentId, ...rest] = positionals;
    if (!incidentId || rest.length > 0) throw new UsageError('give one incident id');
    const api = apiClient(io);
    try {
      const tenantId = await api.tenantId(values.tenant);
      const view = await api.request<View>(
        'GET',
        `/api/v1/tenants/${encodeURIComponent(tenantId)}/incidents/${encodeURIComponent(incidentId)}/identification`,
      );
      io.stdout.write(values.json ? JSON.stringify(view) + '\n' : formatIdentification(view));
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
