/**
 * Tails log files by polling: new complete lines since the last poll become events. Follows
 * rotation (inode changed) and truncation (size shrank) by starting over at the top; starts at
 * the end of a file seen for the first time, so history is not shipped on agent start.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TelemetryCollector, TelemetryEvent } from './telemetry-event.ts';

const MAX_READ_BYTES = 1024 * 1024;
const MAX_LINE_CHARS = 64 * 1024;

interface Cursor {
  inode: number;
  offset: number;
  partial: string;
}

function logSource(path: string): Record<string, string> {
  const name = basename(path);
  if (/^(auth|secure)/.test(name)) return { product: 'linux', service: 'auth' };
  if (/^syslog|^messages/.test(name)) return { product: 'linux', service: 'syslog' };
  return { product: 'linux' };
}

export class LogTail implements TelemetryCollector {
  readonly name = 'log-tail';
  readonly #paths: readonly string[];
  readonly #hostname: string;
  readonly #cursors = new Map<string, Cursor>();
  readonly #fromStart: boolean;

  constructor(options: { paths: readonly string[]; hostname: string; fromStart?: boolean }) {
    this.#paths = options.paths;
    this.#hostname = options.hostname;
    this.#fromStart = options.fromStart ?? false;
  }

  async poll(): Promise<TelemetryEvent[]> {
    const events: TelemetryEvent[] = [];
    for (const path of this.#paths) events.push(...(await this.#pollFile(path)));
    return events;
  }

  async #pollFile(path: string): Promise<TelemetryEvent[]> {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() !== true) return [];
    let cursor = this.#cursors.get(path);
    if (cursor === undefined) {
      cursor = { inode: info.ino, offset: this.#fromStart ? 0 : info.size, partial: '' };
      this.#cursors.set(path, cursor);
    }
    if (cursor.inode !== info.ino || info.size < cursor.offset) {
      cursor.inode = info.ino;
      cursor.offset = 0;
      cursor.partial = '';
    }
    if (info.size === cursor.offset) return [];
    const length = Math.min(info.size - cursor.offset, MAX_READ_BYTES);
    const handle = await open(path, 'r');
    let text: string;
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, cursor.offset);
      cursor.offset += bytesRead;
      text = cursor.partial + buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
    const lines = text.split('\n');
    cursor.partial = (lines.pop() ?? '').slice(-MAX_LINE_CHARS);
    const now = new Date().toISOString();
    return lines
      .filter((line) => line.trim() !== '')
      .map((line) => ({
        '@timestamp': now,
        message: line.slice(0, MAX_LINE_CHARS),
        event: {
          kind: 'event',
          dataset: 'agent.log',
          original: line.slice(0, MAX_LINE_CHARS),
          ingested: now,
        },
        log: { file: { path } },
        host: { name: this.#hostname },
        log_source: logSource(path),
        fields: {},
      }));
  }
}
