/**
 * Reads an evidence bundle (a tar stream) without unpacking it to disk: every file is hashed as
 * it streams past; the manifest, signature, key, custody records and journal files are kept in
 * memory, bounded. Links, devices, duplicate names, absolute paths and ".." are refused: a
 * bundle is only ever regular files.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';

export const MAX_BUNDLE_FILES = 10_000;
const MAX_KEPT_BYTES = 512 * 1024 * 1024;

export interface ReadBundleFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** The bytes, for the files the verifier reads. */
  readonly content?: Buffer;
}

export class BundleFormatError extends Error {
  override readonly name = 'BundleFormatError';
}

const keep = (path: string): boolean =>
  !path.startsWith('evidence/') &&
  (path.endsWith('.json') ||
    path.endsWith('.ndjson') ||
    path.endsWith('.sig') ||
    path.endsWith('.pem'));

export async function readBundle(input: Readable): Promise<Map<string, ReadBundleFile>> {
  const files = new Map<string, ReadBundleFile>();
  const extract = tar.extract();
  input.pipe(extract);
  input.on('error', (error) => extract.destroy(error));
  let kept = 0;
  try {
    for await (const entry of extract) {
      const { name, type } = entry.header;
      if (type !== 'file')
        throw new BundleFormatError(`"${name}" is a ${type ?? 'special'} entry, not a file`);
      if (name.startsWith('/') || name.split('/').includes('..'))
        throw new BundleFormatError(`"${name}" is not a path inside the bundle`);
      if (files.has(name)) throw new BundleFormatError(`"${name}" appears twice`);
      if (files.size >= MAX_BUNDLE_FILES)
        throw new BundleFormatError(`more than ${MAX_BUNDLE_FILES} files`);
      const hash = createHash('sha256');
      const chunks: Buffer[] | undefined = keep(name) ? [] : undefined;
      let size = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        if (chunks) {
          kept += chunk.length;
          if (kept > MAX_KEPT_BYTES)
            throw new BundleFormatError('its journal and records exceed 512 MiB');
          chunks.push(chunk);
        }
      }
      files.set(name, {
        path: name,
        sha256: hash.digest('hex'),
        size,
        ...(chunks ? { content: Buffer.concat(chunks) } : {}),
      });
    }
  } catch (error) {
    if (error instanceof BundleFormatError) throw error;
    throw new BundleFormatError(`not a readable tar archive: ${(error as Error).message}`);
  }
  return files;
}
