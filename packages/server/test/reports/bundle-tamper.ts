/** Test helpers: a bundle's files in order, changed and packed again as a tar. */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { readBundle } from '../../src/index.ts';

export type BundleFiles = Map<string, Buffer>;

export async function unpack(path: string): Promise<BundleFiles> {
  const out: BundleFiles = new Map();
  const extract = tar.extract();
  createReadStream(path).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.set(entry.header.name, Buffer.concat(chunks));
  }
  return out;
}

export async function repack(files: BundleFiles): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of files) pack.entry({ name, size: body.length }, body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export const readTar = (bytes: Buffer) => readBundle(Readable.from([bytes]));
