/**
 * `cordon evidence bundle`: one tar archive for law enforcement or a court, holding the
 * incident's evidence files and their custody records, the law-enforcement report (made now and
 * kept as evidence), the tenant journal from the incident's first entry to a checkpoint signed
 * after the export was journaled, every checkpoint of the chain, the server's public key, and a
 * manifest signed with that key. Each file is exported through the evidence service (hash
 * checked, `evidence.exported` journaled); `evidence.bundle_exported` records the bundle.
 *
 * The archive is written to a private temporary file first, so a failure is an error answer,
 * not a truncated download.
 */
import type {
  Evidence,
  EvidenceService,
  JournalCheckpoint,
  JournalEntry,
  JournalService,
  Principal,
  Store,
} from '@cordon/core';
import {
  CordonError,
  actorOf,
  authorize,
  formatIncidentNumber,
  newId,
  notFound,
} from '@cordon/core';
import type { ServerKey } from '@cordon/storage';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { ReportService } from '../reports/report.service.ts';
import type { BundleEvidence, BundleFile, BundleManifest } from './bundle-manifest.ts';
import { BUNDLE_FORMAT, BUNDLE_PATHS, manifestMessage, safeName } from './bundle-manifest.ts';
import { BUNDLE_README } from './bundle-readme.ts';

export const MAX_BUNDLE_EVIDENCE = 500;
export const MAX_BUNDLE_JOURNAL_ENTRIES = 200_000;

export interface EvidenceBundleOptions {
  readonly store: Store;
  readonly clock: { now(): number };
  readonly key: ServerKey;
  readonly evidence: EvidenceService;
  readonly journal: JournalService;
  readonly reports: ReportService;
  /** Where the archive is assembled (a private directory of the data directory). */
  readonly workDir: string;
}

export interface ExportedBundle {
  readonly bundleId: string;
  readonly filename: string;
  /** The archive on disk; `dispose` removes it. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  dispose(): Promise<void>;
}

type Pack = ReturnType<typeof tar.pack>;

/** Adds one entry, hashing what goes in. */
async function addFile(
  pack: Pack,
  path: string,
  size: number,
  content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<BundleFile> {
  const hash = createHash('sha256');
  let counted = 0;
  const entry = pack.entry({ name: path, size, mode: 0o444, mtime: new Date(0) });
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      counted += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(Readable.from(content), tap, entry);
  if (counted !== size)
    throw new CordonError('integrity_failure', `${path}: ${counted} bytes, expected ${size}`);
  return { path, sha256: hash.digest('hex'), size };
}

const addText = (pack: Pack, path: string, body: string): Promise<BundleFile> => {
  const bytes = Buffer.from(body, 'utf8');
  return addFile(pack, path, bytes.length, [bytes]);
};

export class EvidenceBundleService {
  readonly #o: EvidenceBundleOptions;

  constructor(options: EvidenceBundleOptions) {
    this.#o = options;
  }

  async export(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<ExportedBundle> {
    authorize(principal, tenantId, 'evidence:write');
    authorize(principal, tenantId, 'journal:read');
    const { evidence, journal } = this.#o;
    const incident = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).incidents.get(incidentId),
    );
    if (!incident) throw notFound('incident');
    const listed = await evidence.list(
      principal,
      tenantId,
      { incidentId },
      { limit: MAX_BUNDLE_EVIDENCE + 1, offset: 0 },
    );
    if (listed.total > MAX_BUNDLE_EVIDENCE - 2)
      throw new CordonError(
        'invalid_input',
        `a bundle holds at most ${MAX_BUNDLE_EVIDENCE - 2} evidence items; this incident has ${listed.total}`,
      );
    const report = await this.#o.reports.incidentReport(
      principal,
      tenantId,
      incidentId,
      'law_enforcement',
      { formats: ['pdf', 'html'] },
    );
    const reportIds = new Set(report.files.map((f) => f.evidence.id));
    const items = [...listed.items, ...report.files.map((f) => f.evidence)];

    const bundleId = newId();
    const reference = formatIncidentNumber(incident);
    mkdirSync(this.#o.workDir, { recursive: true, mode: 0o700 });
    const path = join(this.#o.workDir, `bundle-${bundleId}.tar`);
    const pack = tar.pack();
    const archiveHash = createHash('sha256');
    let archiveSize = 0;
    const written = pipeline(
      pack,
      new Transform({
        transform(chunk: Buffer, _e, done) {
          archiveHash.update(chunk);
          archiveSize += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(path, { mode: 0o600 }),
    );
    const dispose = () => rm(path, { force: true });
    try {
      const files: BundleFile[] = [];
      const bundled: BundleEvidence[] = [];
      for (const item of items) {
        const opened = await evidence.open(principal, tenantId, item.id, 'export');
        const contentPath = `evidence/${item.id}/${safeName(item.filename)}`;
        files.push(await addFile(pack, contentPath, item.size, opened.content));
        const custodyPath = `custody/${item.id}.json`;
        files.push(await addText(pack, custodyPath, `${JSON.stringify(item, null, 2)}\n`));
        bundled.push({
          id: item.id,
          sha256: item.sha256,
          size: item.size,
          path: contentPath,
          custodyPath,
          report: reportIds.has(item.id),
        });
      }
      const exported = await this.#journalExport(principal, tenantId, incidentId, bundleId, items);
      const checkpoint = await this.#signedCheckpointCovering(tenantId, exported.seq);
      const checkpoints = (await journal.checkpoints(principal, tenantId)).filter(
        (c) => c.seq <= checkpoint.seq,
      );
      const entries = await this.#segment(principal, tenantId, incidentId, checkpoint.seq);
      files.push(
        await addText(
          pack,
          BUNDLE_PATHS.entries,
          entries.map((e) => JSON.stringify(e)).join('\n') + '\n',
        ),
      );
      files.push(
        await addText(pack, BUNDLE_PATHS.checkpoints, `${JSON.stringify(checkpoints, null, 2)}\n`),
      );
      files.push(await addText(pack, BUNDLE_PATHS.publicKey, this.#o.key.publicKeyPem));
      files.push(await addText(pack, BUNDLE_PATHS.readme, BUNDLE_README));
      const tenantName = await this.#o.store.transaction(
        async (uow) => (await uow.tenants.get(tenantId))?.name ?? '',
      );
      const manifest: BundleManifest = {
        format: BUNDLE_FORMAT,
        bundleId,
        tenantId,
        tenantName,
        incidentId,
        reference,
        createdAt: this.#o.clock.now(),
        createdBy: actorOf(principal),
        keyId: this.#o.key.keyId,
        journal: {
          fromSeq: entries[0]?.seq ?? exported.seq,
          toSeq: checkpoint.seq,
          checkpointNumber: checkpoint.chain?.number ?? 0,
          incidentEntries: entries.filter((e) => e.incidentId === incidentId).map((e) => e.seq),
          exportSeq: exported.seq,
        },
        evidence: bundled,
        files,
      };
      const message = manifestMessage(manifest);
      await addText(pack, BUNDLE_PATHS.manifest, message);
      await addText(pack, BUNDLE_PATHS.signature, `${this.#o.key.sign(message)}\n`);
      pack.finalize();
      await written;
    } catch (error) {
      pack.destroy();
      await written.catch(() => undefined);
      await dispose();
      throw error;
    }
    return {
      bundleId,
      filename: `${reference}-evidence-bundle-${bundleId.slice(0, 8)}.tar`,
      path,
      sha256: archiveHash.digest('hex'),
      size: archiveSize,
      dispose,
    };
  }

  async #journalExport(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    bundleId: string,
    items: readonly Evidence[],
  ): Promise<JournalEntry> {
    return this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).journal.append({
        actor: actorOf(principal),
        kind: 'evidence.bundle_exported',
        incidentId,
        payload: {
          bundleId,
          evidence: items.map((e) => ({ evidenceId: e.id, sha256: e.sha256 })),
        },
      }),
    );
  }

  /** A checkpoint at or after `seq` (signed now if the latest is older). */
  async #signedCheckpointCovering(tenantId: string, seq: number): Promise<JournalCheckpoint> {
    const signed = await this.#o.journal.checkpoint(tenantId);
    const latest =
      signed ??
      (await this.#o.store.transaction(async (uow) =>
        uow.forTenant(tenantId).journal.latestCheckpoint(),
      ));
    if (!latest || latest.seq < seq)
      throw new CordonError('internal', 'no checkpoint covers the export');
    return latest;
  }

  /** The tenant's entries from the incident's first to `toSeq`, bounded. */
  async #segment(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    toSeq: number,
  ): Promise<JournalEntry[]> {
    const [first] = await this.#o.journal.list(principal, tenantId, { incidentId }, 1);
    if (!first) return [];
    if (toSeq - first.seq + 1 > MAX_BUNDLE_JOURNAL_ENTRIES)
      throw new CordonError(
        'invalid_input',
        `the journal segment of this incident (${toSeq - first.seq + 1} entries) exceeds ${MAX_BUNDLE_JOURNAL_ENTRIES}`,
      );
    const out: JournalEntry[] = [];
    let after = first.seq - 1;
    while (after < toSeq) {
      const page = await this.#o.journal.list(principal, tenantId, { afterSeq: after }, 1000);
      if (page.length === 0) break;
      for (const entry of page) if (entry.seq <= toSeq) out.push(entry);
      after = page.at(-1)!.seq;
    }
    return out;
  }
}
