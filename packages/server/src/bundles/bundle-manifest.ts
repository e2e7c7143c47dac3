/**
 * The evidence bundle's manifest: what the bundle is (tenant, incident, when, by whom), the
 * journal segment it carries, each evidence item with its custody record, and the SHA-256 and
 * size of every other file. The server signs the manifest's canonical JSON with its Ed25519
 * key (the key that signs journal checkpoints); `manifest.sig` holds the base64 signature.
 */
import { canonicalJson } from '@cordon/core';

export const BUNDLE_FORMAT = 'cordon-evidence-bundle-v1';

export const BUNDLE_PATHS = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  publicKey: 'server-ed25519.pub.pem',
  entries: 'journal/entries.ndjson',
  checkpoints: 'journal/checkpoints.json',
  readme: 'README.txt',
} as const;

export interface BundleEvidence {
  readonly id: string;
  readonly sha256: string;
  readonly size: number;
  /** Where its content is in the bundle. */
  readonly path: string;
  /** Its custody record (the stored evidence row) in the bundle. */
  readonly custodyPath: string;
  /** Made for this bundle (the law-enforcement report). */
  readonly report: boolean;
}

export interface BundleFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly bundleId: string;
  readonly tenantId: string;
  readonly tenantName: string;
  readonly incidentId: string;
  readonly reference: string;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly createdBy: string;
  readonly keyId: string;
  readonly journal: {
    /** The segment carried: the incident's first entry to the checkpoint after the export. */
    readonly fromSeq: number;
    readonly toSeq: number;
    readonly checkpointNumber: number;
    /** The entries about the incident (the others in the segment are there to link them). */
    readonly incidentEntries: readonly number[];
    /** The `evidence.bundle_exported` entry of this bundle. */
    readonly exportSeq: number;
  };
  readonly evidence: readonly BundleEvidence[];
  /** Every file but the manifest and its signature. */
  readonly files: readonly BundleFile[];
}

/** What the signature covers. */
export function manifestMessage(manifest: BundleManifest): string {
  return canonicalJson(manifest);
}

/** A file name that is safe as one path component. */
export function safeName(name: string): string {
  const cleaned = name
    .replace(/[^\w.-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120);
  return cleaned || 'file';
}
