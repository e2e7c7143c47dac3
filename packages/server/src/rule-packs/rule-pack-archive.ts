/**
 * Unpacks a rule pack release (a `.tar.gz`, as GitHub serves a SigmaHQ tag) into a fresh
 * directory, trusting nothing in it: entries are checked before a byte is written.
 *
 * - only regular files and directories; a symlink, hard link, device or FIFO refuses the whole
 *   archive (a link could point a later write outside the directory);
 * - names are relative, `/`-separated, without `..`, `.`, empty segments, backslashes, NUL or
 *   control characters; the release's top directory (`sigma-r2024-09-02/`) is dropped;
 * - only what a pack needs is kept: `.yml`/`.yaml` under the kept rule folders, and the
 *   licence and read-me files at the top; the rest is skipped unread;
 * - caps: bytes of one file, bytes unpacked in all, entries read.
 *
 * Any refusal throws `RulePackError`; the caller removes the half-filled directory.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { RulePackError } from './rule-pack-error.ts';

export interface ArchiveLimits {
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
  readonly maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 50_000,
};

/** Rule folders of a SigmaHQ release that are kept (and loaded). */
export const KEPT_RULE_FOLDERS = ['rules', 'rules-emerging-threats'] as const;
const TOP_FILES = /^(LICENSE[^/]*|README\.md|Releases\.md)$/i;

export interface UnpackedArchive {
  readonly files: number;
  readonly bytes: number;
  readonly skipped: number;
  readonly licenceFiles: readonly string[];
}

export async function unpackRulePack(
  archive: Readable,
  target: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<UnpackedArchive> {
  const tar = extract();
  const counts = { files: 0, bytes: 0, skipped: 0, entries: 0 };
  const licenceFiles: string[] = [];
  const reading = pipeline(archive, createGunzip(), tar);
  try {
    for await (const entry of tar) {
      const { header } = entry;
      if (++counts.entries > limits.maxEntries) {
        throw new RulePackError('archive_refused', `more than ${limits.maxEntries} entries`);
      }
      const type = header.type ?? 'file';
      if (type !== 'file' && type !== 'directory') {
        throw new RulePackError(
          'archive_refused',
          `${type} entry ${safeName(header.name)}: links and special files are refused`,
        );
      }
      const path = keptPath(header.name);
      const size = header.size ?? 0;
      if (path === undefined || type !== 'file') {
        counts.skipped += type === 'file' ? 1 : 0;
        entry.resume();
        continue;
      }
      if (size > limits.maxFileBytes) {
        throw new RulePackError(
          'archive_refused',
          `${path} is ${size} bytes; at most ${limits.maxFileBytes} per file`,
        );
      }
      counts.bytes += size;
      if (counts.bytes > limits.maxTotalBytes) {
        throw new RulePackError(
          'archive_refused',
          `more than ${limits.maxTotalBytes} bytes unpacked`,
        );
      }
      const file = join(target, path);
      await mkdir(dirname(file), { recursive: true });
      await pipeline(entry, createWriteStream(file, { flags: 'wx', mode: 0o644 }));
      counts.files++;
      if (!path.includes('/')) licenceFiles.push(path);
    }
    await reading;
  } catch (error) {
    tar.destroy();
    await reading.catch(() => undefined);
    if (error instanceof RulePackError) throw error;
    throw new RulePackError(
      'archive_refused',
      `not a readable .tar.gz: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { files: counts.files, bytes: counts.bytes, skipped: counts.skipped, licenceFiles };
}

/** The path to write an entry to, or undefined to skip it; throws on a hostile name. */
function keptPath(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (name.startsWith('/') || name.includes('\\') || /[\x00-\x1f\x7f]/.test(name)) {
    throw new RulePackError(
      'archive_refused',
      `entry name ${safeName(name)} is not a plain relative path`,
    );
  }
  const segments = name.split('/').filter((s, i, all) => !(s === '' && i === all.length - 1));
  if (segments.some((s) => s === '..' || s === '.' || s === '')) {
    throw new RulePackError('archive_refused', `entry name ${safeName(name)} leaves its folder`);
  }
  // The release's own top folder (GitHub's `<repo>-<tag>/`).
  const inside = segments.slice(1);
  if (inside.length === 0) return undefined;
  if (inside.length === 1) return TOP_FILES.test(inside[0]!) ? inside[0] : undefined;
  if (!(KEPT_RULE_FOLDERS as readonly string[]).includes(inside[0]!)) return undefined;
  return /\.ya?ml$/i.test(inside.at(-1)!) ? inside.join('/') : undefined;
}

function safeName(name: string): string {
  return JSON.stringify(name.slice(0, 120));
}
