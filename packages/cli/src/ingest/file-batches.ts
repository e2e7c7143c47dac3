/**
 * Files cut into bulk-ingest batches at line boundaries, each with an id that depends only on
 * the file's content and the batch's byte range (`<sha256 prefix>:<offset>:<length>`), so a
 * re-run after a crash sends the same ids and the server stores nothing twice. EVTX files are
 * read record by record (`@cordon/evtx`) and sent as their JSON, one record per line, with
 * the record index as the offset.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readEvtxStream, recordJson } from '@cordon/evtx';
import { ZeekHeaderCarry } from './zeek-header-carry.ts';

export interface FileBatch {
  readonly id: string;
  readonly body: Buffer;
  readonly records: number;
  /** Bytes of the file this batch covers (progress). */
  readonly fileBytes: number;
}

export interface BatchLimits {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

const LF = 0x0a;

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

export async function* lineBatches(
  path: string,
  digest: string,
  limits: BatchLimits,
): AsyncGenerator<FileBatch> {
  const prefix = digest.slice(0, 32);
  let carry = Buffer.alloc(0);
  let carryOffset = 0;
  // Zeek TSV headers in force at the start of the next batch, and how far lines were seen.
  const zeek = new ZeekHeaderCarry();
  let header: Buffer = Buffer.alloc(0);
  let seenUpTo = 0;
  const batch = (offset: number, range: Buffer, records: number): FileBatch => {
    const body = header.byteLength === 0 ? range : Buffer.concat([header, range]);
    header = zeek.prefix();
    return {
      id: `${prefix}:${offset}:${range.byteLength}`,
      body,
      records,
      fileBytes: range.byteLength,
    };
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buffer =
      carry.byteLength === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
    let start = 0;
    let records = 0;
    let lineStart = 0;
    for (let lf = buffer.indexOf(LF); lf !== -1; lf = buffer.indexOf(LF, lf + 1)) {
      records += 1;
      // Lines carried over from the previous chunk were seen already.
      if (carryOffset + lineStart >= seenUpTo) {
        zeek.see(buffer.subarray(lineStart, lf + 1));
        seenUpTo = carryOffset + lf + 1;
      }
      lineStart = lf + 1;
      if (records >= limits.maxRecords || lf + 1 - start >= limits.maxBytes) {
        yield batch(carryOffset + start, buffer.subarray(start, lf + 1), records);
        start = lf + 1;
        records = 0;
      }
    }
    carry = Buffer.from(buffer.subarray(start));
    carryOffset += start;
  }
  if (carry.byteLength > 0) {
    let records = 0;
    for (let lf = carry.indexOf(LF); lf !== -1; lf = carry.indexOf(LF, lf + 1)) records += 1;
    if (carry[carry.byteLength - 1] !== LF) records += 1;
    yield batch(carryOffset, carry, records);
  }
}

export async function* evtxBatches(
  path: string,
  digest: string,
  limits: BatchLimits,
  fileSize: number,
): AsyncGenerator<FileBatch> {
  const prefix = digest.slice(0, 32);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let lines: string[] = [];
  let first = 0;
  let index = 0;
  let lastOffset = 0;
  let reported = 0;
  const flush = (): FileBatch => {
    const body = Buffer.from(lines.join('\n') + '\n');
    const batch = {
      id: `${prefix}:r${first}:${lines.length}`,
      body,
      records: lines.length,
      fileBytes: Math.max(0, Math.min(fileSize, lastOffset) - reported),
    };
    reported += batch.fileBytes;
    first = index;
    lines = [];
    return batch;
  };
  try {
    for await (const item of readEvtxStream(stream as AsyncIterable<Uint8Array>)) {
      if (item.kind !== 'record') continue;
      lines.push(JSON.stringify(recordJson(item)));
      index += 1;
      lastOffset = item.offset;
      if (lines.length >= limits.maxRecords) yield flush();
    }
    lastOffset = fileSize;
    if (lines.length > 0) yield flush();
  } finally {
    stream.destroy();
  }
}
