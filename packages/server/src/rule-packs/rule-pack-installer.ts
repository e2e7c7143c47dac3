/**
 * `cordon rules update`: a release archive → an installed rule pack under
 * `<data>/rules/packs/<pack>/`, or nothing at all. Everything happens in a staging folder
 * beside the packs: download (hashed as it arrives), checksum compared with the pinned one
 * and/or the archive's Ed25519 signature checked with the configured public key, unpack (rule-pack-archive.ts), every rule parsed and compiled once to count what loads; only
 * then does one rename put the new pack in place of the old. A refusal at any step removes the
 * staging folder and leaves the installed pack as it was.
 */
import type { KeyObject } from 'node:crypto';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, SigmaEngine, DEFAULT_RULE_LIMITS } from '@cordon/sigma';
import { readRuleDirectory } from '../detection/rule-files.ts';
import type { ArchiveLimits } from './rule-pack-archive.ts';
import { DEFAULT_ARCHIVE_LIMITS, KEPT_RULE_FOLDERS, unpackRulePack } from './rule-pack-archive.ts';
import { downloadArchive } from './rule-pack-download.ts';
import { RulePackError } from './rule-pack-error.ts';
import type { RulePackManifest } from './installed-rule-packs.ts';
import { MANIFEST_FILE } from './installed-rule-packs.ts';
import type { RulePackRelease } from './sigmahq-release.ts';
import { SIGMAHQ_ATTRIBUTION } from './sigmahq-release.ts';

export interface InstallOptions {
  /** `<data>/rules/packs`. */
  readonly packsDir: string;
  readonly release: RulePackRelease;
  readonly limits?: ArchiveLimits;
  /** Largest archive downloaded (default 64 MiB). */
  readonly maxDownloadBytes?: number;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

export async function installRulePack(options: InstallOptions): Promise<RulePackManifest> {
  const { release, packsDir } = options;
  const pinned = release.sha256 !== undefined && release.sha256 !== '';
  const publicKey = release.publicKeyPem === undefined ? undefined : signingKey(release);
  if (!pinned && publicKey === undefined) {
    throw new RulePackError(
      'no_checksum',
      `no SHA-256 is pinned for ${release.pack} ${release.version}: give --sha256 (from a source you trust) or --public-key (the key the archive is signed with)`,
    );
  }
  if (pinned && !/^[0-9a-f]{64}$/.test(release.sha256)) {
    throw new RulePackError('no_checksum', 'the SHA-256 given is not 64 hexadecimal digits');
  }
  await mkdir(packsDir, { recursive: true });
  const staging = await mkdtemp(join(packsDir, '.staging-'));
  try {
    const archive = join(staging, 'release.tar.gz');
    const download = await downloadArchive({
      url: release.url,
      file: archive,
      maxBytes: options.maxDownloadBytes ?? 64 * 1024 * 1024,
      timeoutMs: options.timeoutMs ?? 120_000,
    });
    if (pinned && download.sha256 !== release.sha256) {
      throw new RulePackError(
        'checksum_mismatch',
        `${release.url} has SHA-256 ${download.sha256}, not the pinned ${release.sha256}: refused, nothing installed`,
      );
    }
    const signedBy =
      publicKey === undefined
        ? undefined
        : await verifySignature({
            archive,
            archiveUrl: release.url,
            signatureFile: join(staging, 'release.sig'),
            signatureUrl: release.signatureUrl ?? `${release.url}.sig`,
            publicKey,
            timeoutMs: options.timeoutMs ?? 120_000,
          });
    const unpacked = join(staging, release.pack);
    await mkdir(unpacked);
    const contents = await unpackRulePack(
      createReadStream(archive),
      unpacked,
      options.limits ?? DEFAULT_ARCHIVE_LIMITS,
    );
    const rules = await countLoadable(unpacked);
    if (rules.loaded === 0)
      throw new RulePackError('no_rules', `${release.url} holds no rule that loads`);
    const manifest: RulePackManifest = {
      pack: release.pack,
      version: release.version,
      url: release.url,
      sha256: download.sha256,
      ...(signedBy === undefined ? {} : { signedBy }),
      archiveBytes: download.bytes,
      installedAt: (options.now?.() ?? new Date()).toISOString(),
      files: contents.files,
      unpackedBytes: contents.bytes,
      rules,
      licence: 'Detection Rule License (DRL) 1.1',
      licenceFiles: contents.licenceFiles,
    };
    await writeFile(join(unpacked, 'ATTRIBUTION.md'), SIGMAHQ_ATTRIBUTION);
    await writeFile(join(unpacked, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    await swapIn(unpacked, join(packsDir, release.pack), join(staging, 'previous'));
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function signingKey(release: RulePackRelease): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(release.publicKeyPem!);
  } catch (error) {
    throw new RulePackError('bad_signature_input', 'the public key is not a PEM public key', {
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new RulePackError(
      'bad_signature_input',
      `the public key is ${key.asymmetricKeyType ?? 'not asymmetric'}; rule packs are signed with Ed25519`,
    );
  return key;
}

/**
 * The Ed25519 signature of the archive's bytes, fetched beside it (at most 1 KiB: 64 bytes,
 * raw or base64), checked with the configured key before anything is unpacked. Answers the
 * key's fingerprint (SHA-256 of its DER form) for the manifest.
 */
async function verifySignature(options: {
  readonly archive: string;
  readonly archiveUrl: string;
  readonly signatureFile: string;
  readonly signatureUrl: string;
  readonly publicKey: KeyObject;
  readonly timeoutMs: number;
}): Promise<string> {
  await downloadArchive({
    url: options.signatureUrl,
    file: options.signatureFile,
    maxBytes: 1024,
    timeoutMs: options.timeoutMs,
  });
  const raw = await readFile(options.signatureFile);
  const text = raw.toString('latin1').trim();
  const signature =
    raw.byteLength === 64
      ? raw
      : /^[A-Za-z0-9+/]{86}==$/.test(text)
        ? Buffer.from(text, 'base64')
        : undefined;
  if (signature?.byteLength !== 64)
    throw new RulePackError(
      'bad_signature_input',
      `${options.signatureUrl} is not an Ed25519 signature (64 bytes, raw or base64)`,
    );
  // The archive is at most the download limit (64 MiB by default): Ed25519 signs it whole.
  const bytes = await readFile(options.archive);
  if (!verify(null, bytes, options.publicKey, signature))
    throw new RulePackError(
      'signature_mismatch',
      `${options.archiveUrl} is not signed by the configured public key (the signature ${options.signatureUrl} does not verify): refused, nothing installed`,
    );
  const der = options.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** Rules that parse and compile, and the files that do not (as the server will load them). */
async function countLoadable(dir: string): Promise<RulePackManifest['rules']> {
  const sources = [];
  for (const folder of KEPT_RULE_FOLDERS) {
    if (existsSync(join(dir, folder)))
      sources.push(...(await readRuleDirectory(join(dir, folder))));
  }
  const loaded = loadRules(sources, { limits: DEFAULT_RULE_LIMITS });
  const engine = new SigmaEngine(loaded.detections, {
    filters: loaded.filters,
    limits: DEFAULT_RULE_LIMITS,
  });
  return {
    loaded: engine.rules.length,
    correlations: loaded.correlations.length,
    rejected: loaded.rejected.length + engine.rejected.length,
  };
}

async function swapIn(fresh: string, installed: string, previous: string): Promise<void> {
  if (existsSync(installed)) await rename(installed, previous);
  try {
    await rename(fresh, installed);
  } catch (error) {
    if (existsSync(previous)) await rename(previous, installed);
    throw error;
  }
}
