/**
 * Verifies an evidence bundle offline, with nothing but the bundle (and, optionally, the server
 * key the verifier expects): the manifest's signature; the journal segment with the journal's
 * own verifier (each entry's hash and link, the checkpoint signatures and chain, the checkpoint
 * that covers the export); the incident's entries and the export entry against the manifest;
 * each custody record against the journal entry that recorded its collection; and every file
 * against the manifest. It stops at the first thing that does not hold and names it.
 */
import type { Evidence, JournalCheckpoint, JournalEntry } from '@cordon/core';
import { verifyJournal } from '@cordon/core';
import { keyIdOf, signatureVerifier } from '@cordon/storage';
import { createPublicKey } from 'node:crypto';
import type { BundleManifest } from './bundle-manifest.ts';
import { BUNDLE_FORMAT, BUNDLE_PATHS } from './bundle-manifest.ts';
import type { ReadBundleFile } from './read-bundle.ts';

export interface BundleVerification {
  readonly ok: boolean;
  /** What was checked, in order (up to the failure). */
  readonly checked: readonly string[];
  readonly failure?: string;
  readonly manifest?: BundleManifest;
}

class BundleBroken extends Error {}

const broken = (reason: string): never => {
  throw new BundleBroken(reason);
};

type Files = ReadonlyMap<string, ReadBundleFile>;

function textOf(files: Files, path: string): string {
  const file = files.get(path) ?? broken(`${path} is missing`);
  return (file.content ?? broken(`${path} was not read`)).toString('utf8');
}

function jsonOf(files: Files, path: string): unknown {
  try {
    return JSON.parse(textOf(files, path)) as unknown;
  } catch (error) {
    if (error instanceof BundleBroken) throw error;
    return broken(`${path} is not valid JSON (changed?)`);
  }
}

export async function verifyBundle(
  files: Files,
  options: { readonly expectedPublicKeyPem?: string | undefined } = {},
): Promise<BundleVerification> {
  const checked: string[] = [];
  let manifest: BundleManifest | undefined;
  try {
    manifest = checkSignature(files, options.expectedPublicKeyPem, checked);
    const entries = await checkJournal(files, manifest, checked);
    checkCustody(files, manifest, entries, checked);
    checkFiles(files, manifest, checked);
    return { ok: true, checked, manifest };
  } catch (error) {
    if (!(error instanceof BundleBroken)) throw error;
    return { ok: false, checked, failure: error.message, ...(manifest ? { manifest } : {}) };
  }
}

function checkSignature(
  files: Files,
  expectedPem: string | undefined,
  checked: string[],
): BundleManifest {
  const manifestText = textOf(files, BUNDLE_PATHS.manifest);
  const manifest = jsonOf(files, BUNDLE_PATHS.manifest) as BundleManifest;
  if (manifest?.format !== BUNDLE_FORMAT)
    broken(`manifest.json is not a ${String(BUNDLE_FORMAT)} manifest`);
  const pem = textOf(files, BUNDLE_PATHS.publicKey);
  let keyId = '';
  try {
    keyId = keyIdOf(createPublicKey(pem));
  } catch {
    broken(`${BUNDLE_PATHS.publicKey} is not a public key (changed?)`);
  }
  if (expectedPem !== undefined) {
    const expected = keyIdOf(createPublicKey(expectedPem));
    if (expected !== keyId)
      broken(
        `the bundle is signed with key ${keyId}, not with the expected server key ${expected}`,
      );
  }
  if (manifest.keyId !== keyId)
    broken(`manifest.json names key ${manifest.keyId}, but the bundle's public key is ${keyId}`);
  const signature = textOf(files, BUNDLE_PATHS.signature).trim();
  if (!signatureVerifier(pem)(keyId, manifestText, signature))
    broken(
      `manifest.sig: the manifest's signature does not verify with the bundle's key ${keyId} (manifest.json or its signature was changed)`,
    );
  checked.push(`the manifest's signature (key ${keyId})`);
  return manifest;
}

async function checkJournal(
  files: Files,
  manifest: BundleManifest,
  checked: string[],
): Promise<JournalEntry[]> {
  const lines = textOf(files, BUNDLE_PATHS.entries)
    .split('\n')
    .filter((l) => l.length > 0);
  const entries = lines.map((line, i) => {
    try {
      return JSON.parse(line) as JournalEntry;
    } catch {
      return broken(`${BUNDLE_PATHS.entries} line ${i + 1} is not a journal entry (changed?)`);
    }
  });
  const checkpoints = jsonOf(files, BUNDLE_PATHS.checkpoints) as JournalCheckpoint[];
  if (!Array.isArray(checkpoints))
    broken(`${BUNDLE_PATHS.checkpoints} is not a list of checkpoints`);
  const { fromSeq, toSeq, checkpointNumber, incidentEntries, exportSeq } = manifest.journal;
  const first = entries[0] ?? broken(`${BUNDLE_PATHS.entries} holds no entry`);
  const pem = textOf(files, BUNDLE_PATHS.publicKey);
  const result = await verifyJournal({
    tenantId: manifest.tenantId,
    entries,
    head: undefined,
    checkpoints,
    verifySignature: signatureVerifier(pem),
    start: { seq: fromSeq, prevHash: first.prevHash },
  });
  if (!result.ok) {
    const reason = result.failure?.reason ?? 'does not verify';
    const hint = /invalid signature/.test(reason)
      ? ` (not signed by the bundle's key ${manifest.keyId}: re-signed with another key?)`
      : '';
    broken(`journal: ${reason}${hint}`);
  }
  const last = checkpoints.reduce<JournalCheckpoint | undefined>(
    (a, c) => (a && a.seq >= c.seq ? a : c),
    undefined,
  );
  if (!last || last.seq !== toSeq || (last.chain?.number ?? 0) !== checkpointNumber)
    broken(
      `journal: the manifest's checkpoint ${checkpointNumber} at entry ${toSeq} is not the last checkpoint in the bundle`,
    );
  if (result.lastSeq !== toSeq)
    broken(`journal: the segment ends at entry ${result.lastSeq}, the manifest says ${toSeq}`);
  checked.push(
    `journal entries ${fromSeq}–${toSeq} and ${result.checkpointsVerified} signed checkpoints (chain to checkpoint ${checkpointNumber})`,
  );
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  for (const seq of incidentEntries) {
    if (bySeq.get(seq)?.incidentId !== manifest.incidentId)
      broken(`journal: entry ${seq} of the incident, listed in the manifest, is not in the bundle`);
  }
  const listed = new Set(incidentEntries);
  const unlisted = entries.find((e) => e.incidentId === manifest.incidentId && !listed.has(e.seq));
  if (unlisted)
    broken(`journal: entry ${unlisted.seq} is about the incident but not in the manifest`);
  checkExportEntry(manifest, bySeq.get(exportSeq));
  checked.push(
    `the incident's ${incidentEntries.length} journal entries and the export entry ${exportSeq}`,
  );
  return entries;
}

function checkExportEntry(manifest: BundleManifest, entry: JournalEntry | undefined): void {
  const payload = entry?.payload as
    { bundleId?: unknown; evidence?: { evidenceId: string; sha256: string }[] } | undefined;
  if (entry?.kind !== 'evidence.bundle_exported' || payload?.bundleId !== manifest.bundleId)
    broken(`journal: entry ${manifest.journal.exportSeq} does not record this bundle's export`);
  const journaled = new Map((payload?.evidence ?? []).map((e) => [e.evidenceId, e.sha256]));
  for (const item of manifest.evidence) {
    if (journaled.get(item.id) !== item.sha256)
      broken(`evidence ${item.id} is not the item the export entry ${entry?.seq} recorded`);
  }
  if (journaled.size !== manifest.evidence.length)
    broken(
      `the export entry ${entry?.seq} records ${journaled.size} evidence items, the manifest ${manifest.evidence.length}`,
    );
}

const CUSTODY_FIELDS = [
  'sha256',
  'size',
  'filename',
  'collectedBy',
  'collectedFrom',
  'collectedAt',
  'method',
] as const;

function checkCustody(
  files: Files,
  manifest: BundleManifest,
  entries: readonly JournalEntry[],
  checked: string[],
): void {
  const collected = new Map<string, JournalEntry>();
  for (const e of entries) {
    const id = (e.payload as { evidenceId?: unknown } | null)?.evidenceId;
    if (e.kind === 'evidence.collected' && typeof id === 'string') collected.set(id, e);
  }
  for (const item of manifest.evidence) {
    if (!files.has(item.custodyPath))
      broken(`the custody record of evidence ${item.id} (${item.custodyPath}) is missing`);
    const record = jsonOf(files, item.custodyPath) as Partial<Evidence>;
    const entry =
      collected.get(item.id) ??
      broken(`the journal holds no evidence.collected entry for evidence ${item.id}`);
    if (record.id !== item.id || record.incidentId !== manifest.incidentId)
      broken(`${item.custodyPath} is not the custody record of evidence ${item.id}`);
    const journaled = entry.payload as Record<string, unknown>;
    for (const field of CUSTODY_FIELDS) {
      if (record[field] !== journaled[field])
        broken(
          `${item.custodyPath}: ${field} differs from journal entry ${entry.seq}, which recorded the collection`,
        );
    }
    if (record.sha256 !== item.sha256 || record.size !== item.size)
      broken(`${item.custodyPath}: the manifest lists other content for evidence ${item.id}`);
  }
  const bundled = new Set(manifest.evidence.map((e) => e.id));
  for (const [id, entry] of collected) {
    if (entry.incidentId === manifest.incidentId && !bundled.has(id))
      broken(`evidence ${id}, collected in journal entry ${entry.seq}, is not in the bundle`);
  }
  checked.push(`${manifest.evidence.length} custody records against the journal`);
}

function checkFiles(files: Files, manifest: BundleManifest, checked: string[]): void {
  const listed = new Set<string>([BUNDLE_PATHS.manifest, BUNDLE_PATHS.signature]);
  for (const expected of manifest.files) {
    listed.add(expected.path);
    const file = files.get(expected.path) ?? broken(`${expected.path} is missing`);
    if (file.size !== expected.size || file.sha256 !== expected.sha256)
      broken(
        `${expected.path} was changed: SHA-256 ${file.sha256} (${file.size} bytes), the manifest says ${expected.sha256} (${expected.size} bytes)`,
      );
  }
  for (const item of manifest.evidence) {
    if (files.get(item.path)?.sha256 !== item.sha256)
      broken(`${item.path} is not the content of evidence ${item.id} (SHA-256 ${item.sha256})`);
  }
  for (const path of files.keys()) if (!listed.has(path)) broken(`${path} is not in the manifest`);
  checked.push(`${manifest.files.length} files against the manifest`);
}
