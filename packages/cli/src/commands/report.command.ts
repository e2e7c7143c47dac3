/**
 * Reports and evidence bundles through the API: `cordon incident report ID` renders an
 * incident report (kept as evidence by the server) and saves the files; `cordon report monthly`
 * does the same for a tenant's month; `cordon evidence bundle --incident ID` saves the signed
 * archive; `cordon verify bundle FILE` checks one offline, with no server and no Cordon data.
 */
import { BundleFormatError, readBundle, verifyBundle } from '@cordon/server';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { apiOptionsHelp } from '../api/api-client.ts';
import { fetchRaw, printAnswer, readBoundedText, withTenantApi } from '../api/api-command.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KINDS = ['full', 'executive', 'law_enforcement'];
const MAX_TEMPLATE_BYTES = 64 * 1024;

interface ReportAnswer {
  readonly reference: string;
  readonly title: string;
  readonly journalHead: { readonly seq: number; readonly hash: string } | null;
  readonly files: readonly {
    readonly format: string;
    readonly evidence: { readonly id: string; readonly filename: string; readonly sha256: string };
  }[];
}

function formatsOf(value: string | undefined): string[] {
  const formats = (value ?? 'pdf,html').split(',').filter(Boolean);
  if (formats.length === 0 || formats.some((f) => f !== 'pdf' && f !== 'html'))
    throw new UsageError('--format is pdf, html or pdf,html');
  return formats;
}

const templateOf = (path: string | undefined): string | undefined =>
  path === undefined ? undefined : readBoundedText(path, MAX_TEMPLATE_BYTES);

async function saveReport(
  io: CommandIo,
  tenantPath: string,
  answer: ReportAnswer,
  outDir: string,
): Promise<void> {
  for (const file of answer.files) {
    const response = await fetchRaw(
      io,
      'GET',
      `${tenantPath}/evidence/${file.evidence.id}/content`,
    );
    const target = join(outDir, file.evidence.filename);
    writeFileSync(target, Buffer.from(await response.arrayBuffer()));
    io.stdout.write(`${target}  sha256 ${file.evidence.sha256}  evidence ${file.evidence.id}\n`);
  }
  if (answer.journalHead)
    io.stdout.write(`journal head: entry ${answer.journalHead.seq} ${answer.journalHead.hash}\n`);
}

export const incidentReportCommand: Command = {
  name: 'incident report',
  summary: 'Render an incident report (PDF/HTML), kept as evidence, and save it',
  help: [
    'Usage: cordon incident report INCIDENT_ID [--kind full|executive|law_enforcement] [--format pdf,html] [--template FILE] [--out DIR] [--tenant ID] [--json]',
    '',
    'The server renders the report from the incident as recorded, stores each file as evidence',
    '(SHA-256, custody record, journal entry) and this command saves the files in DIR.',
    '',
    'Options:',
    '  --kind K         full (default), executive, law_enforcement',
    '  --format F       pdf, html or pdf,html (default)',
    '  --template FILE  an HTML template of your own (README, "Reports": the variables)',
    '  --out DIR        where to save the files (default .)',
    '  --json           print the server’s answer',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        kind: { type: 'string', default: 'full' },
        format: { type: 'string' },
        template: { type: 'string' },
        out: { type: 'string', default: '.' },
        tenant: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    const [incidentId, ...extra] = positionals;
    if (incidentId === undefined || extra.length > 0 || !UUID.test(incidentId))
      throw new UsageError('give one incident id (a UUID)');
    if (!KINDS.includes(values.kind)) throw new UsageError(`--kind is one of ${KINDS.join(', ')}`);
    const template = templateOf(values.template);
    const formats = formatsOf(values.format);
    return withTenantApi(io, values.tenant, async ({ api, tenantPath }) => {
      const answer = await api.request<ReportAnswer>(
        'POST',
        `${tenantPath}/incidents/${incidentId}/reports`,
        { kind: values.kind, formats, ...(template === undefined ? {} : { template }) },
      );
      if (values.json) printAnswer(io, true, answer, () => []);
      await saveReport(io, tenantPath, answer, values.out);
    });
  },
};

export const reportMonthlyCommand: Command = {
  name: 'report monthly',
  summary: 'Render a tenant’s monthly client report (PDF/HTML), kept as evidence, and save it',
  help: [
    'Usage: cordon report monthly --month YYYY-MM [--format pdf,html] [--template FILE] [--out DIR] [--tenant ID]',
    '',
    'Incidents opened in the month (UTC), alerts by level, times to detect, acknowledge, contain',
    'and recover, the readiness trend, SLA results and the service guarantee’s usage.',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        month: { type: 'string' },
        format: { type: 'string' },
        template: { type: 'string' },
        out: { type: 'string', default: '.' },
        tenant: { type: 'string' },
      },
      strict: true,
    });
    if (!values.month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month))
      throw new UsageError('--month YYYY-MM is required');
    const template = templateOf(values.template);
    const formats = formatsOf(values.format);
    return withTenantApi(io, values.tenant, async ({ api, tenantPath }) => {
      const answer = await api.request<ReportAnswer>('POST', `${tenantPath}/reports/monthly`, {
        month: values.month,
        formats,
        ...(template === undefined ? {} : { template }),
      });
      await saveReport(io, tenantPath, answer, values.out);
    });
  },
};

export const evidenceBundleCommand: Command = {
  name: 'evidence bundle',
  summary: 'Export an incident’s evidence, custody and journal as one signed archive',
  help: [
    'Usage: cordon evidence bundle --incident ID [--out FILE] [--tenant ID]',
    '',
    'A tar archive with the evidence files, their custody records, the law-enforcement report,',
    'the journal from the incident’s first entry to a signed checkpoint, the checkpoints, the',
    'server’s public key and a manifest signed by it. The export is journaled. Check it with',
    '`cordon verify bundle FILE`.',
    apiOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        incident: { type: 'string' },
        out: { type: 'string' },
        tenant: { type: 'string' },
      },
      strict: true,
    });
    if (!values.incident || !UUID.test(values.incident))
      throw new UsageError('--incident ID (a UUID) is required');
    const incident = values.incident;
    return withTenantApi(io, values.tenant, async ({ tenantPath }) => {
      const response = await fetchRaw(
        io,
        'POST',
        `${tenantPath}/incidents/${incident}/evidence-bundle`,
      );
      const disposition = response.headers.get('content-disposition') ?? '';
      const target =
        values.out ?? /filename="([\w.-]+)"/.exec(disposition)?.[1] ?? 'evidence-bundle.tar';
      writeFileSync(target, Buffer.from(await response.arrayBuffer()), { mode: 0o600 });
      io.stdout.write(
        `${target}  sha256 ${response.headers.get('x-content-sha256') ?? '?'}  bundle ${response.headers.get('x-bundle-id') ?? '?'}\n`,
      );
    });
  },
};

export const verifyBundleCommand: Command = {
  name: 'verify bundle',
  summary: 'Check an evidence bundle offline and name the first thing that does not hold',
  help: [
    'Usage: cordon verify bundle FILE [--public-key FILE] [--json]',
    '',
    'Needs no server and no Cordon data. Checks the manifest’s signature, every journal entry’s',
    'hash and link, the checkpoint signatures and chain to the checkpoint covering the export,',
    'each custody record against the journal entry that recorded it, and every file against the',
    'manifest. --public-key pins the server key you expect (else the bundle’s own key is used,',
    'and its key id is printed to compare). Exit 0 when all hold, 1 otherwise.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { 'public-key': { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) throw new UsageError('give one bundle FILE');
    if (!existsSync(file)) throw new UsageError(`cannot read ${file}`);
    const keyPath = values['public-key'];
    if (keyPath !== undefined && !existsSync(keyPath))
      throw new UsageError(`cannot read ${keyPath}`);
    let result;
    try {
      result = await verifyBundle(await readBundle(createReadStream(file)), {
        expectedPublicKeyPem: keyPath === undefined ? undefined : readFileSync(keyPath, 'utf8'),
      });
    } catch (error) {
      if (!(error instanceof BundleFormatError)) throw error;
      result = { ok: false, checked: [], failure: `${file}: ${error.message}` };
    }
    if (values.json) {
      const { manifest: _m, ...shown } = result;
      io.stdout.write(
        `${JSON.stringify({ ...shown, bundleId: result.manifest?.bundleId, keyId: result.manifest?.keyId }, null, 2)}\n`,
      );
    } else {
      for (const line of result.checked) io.stdout.write(`ok  ${line}\n`);
      if (result.ok && result.manifest)
        io.stdout.write(
          `bundle ${result.manifest.bundleId} of ${result.manifest.reference} (${result.manifest.tenantName}) holds; signed by key ${result.manifest.keyId}\n`,
        );
    }
    if (!result.ok) io.stderr.write(`FAILED: ${result.failure ?? 'does not verify'}\n`);
    return result.ok ? 0 : 1;
  },
};
