/**
 * Downloads a release archive to a file, hashing it as it arrives: at most `maxBytes`, within
 * `timeoutMs`, http(s) only. The caller compares the SHA-256 before anything is unpacked.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RulePackError } from './rule-pack-error.ts';

export interface DownloadOptions {
  readonly url: string;
  readonly file: string;
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export async function downloadArchive(
  options: DownloadOptions,
): Promise<{ sha256: string; bytes: number }> {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RulePackError('download_failed', `${url.protocol} URLs are not fetched; use https`);
  }
  const response = await fetch(url, {
    redirect: 'follow',
    signal: AbortSignal.timeout(options.timeoutMs),
  }).catch((error: unknown) => {
    throw new RulePackError(
      'download_failed',
      `cannot fetch ${url.href}: ${(error as Error).message}`,
      { cause: error },
    );
  });
  if (!response.ok || response.body === null) {
    throw new RulePackError('download_failed', `${url.href} answered ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    throw new RulePackError(
      'download_failed',
      `${url.href} is ${declared} bytes; at most ${options.maxBytes}`,
    );
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.byteLength;
      if (bytes > options.maxBytes) {
        done(new RulePackError('download_failed', `download is over ${options.maxBytes} bytes`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body),
      meter,
      createWriteStream(options.file, { flags: 'wx' }),
    );
  } catch (error) {
    if (error instanceof RulePackError) throw error;
    throw new RulePackError(
      'download_failed',
      `download of ${url.href} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { sha256: hash.digest('hex'), bytes };
}
