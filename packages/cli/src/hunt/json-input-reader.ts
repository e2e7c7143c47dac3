/**
 * `.json` / `.jsonl` inputs: one event per line, or JSON objects written one after another
 * (SigmaHQ's regression files, `evtx_dump` output). Events shaped like evtx_dump
 * (`{ Event: { System, EventData | UserData } }`) are flattened with @cordon/evtx's
 * `flattenEvent`; other objects are taken as they are (flat or nested fields).
 */
import { createReadStream } from 'node:fs';
import { flattenEvent } from '@cordon/evtx';
import type { EventJson } from '@cordon/evtx';
import { withSigmaFieldNames } from '@cordon/sigma';
import type { SigmaEvent } from '@cordon/sigma';
import type { HuntEvent, InputReader } from './input-reader.ts';

/** Splits a stream of concatenated JSON values into the text of each top-level object. */
export class JsonObjectSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  push(chunk: string, emit: (text: string) => void): void {
    this.buffer += chunk;
    const b = this.buffer;
    for (let i = this.scanned; i < b.length; i++) {
      const ch = b.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === 92) this.escaped = true;
        else if (ch === 34) this.inString = false;
      } else if (ch === 34) this.inString = true;
      else if (ch === 123 || ch === 91) {
        if (this.depth++ === 0) this.start = i;
      } else if (ch === 125 || ch === 93) {
        if (--this.depth === 0 && this.start >= 0) {
          emit(b.slice(this.start, i + 1));
          this.start = -1;
        }
        if (this.depth < 0) throw new Error('unbalanced closing bracket');
      } else if (this.depth === 0 && ch > 32) {
        throw new Error(`unexpected '${b[i]}' between JSON objects`);
      }
    }
    if (this.depth === 0) {
      this.buffer = '';
      this.scanned = 0;
    } else {
      this.buffer = b.slice(this.start);
      this.scanned = this.buffer.length;
      this.start = 0;
    }
  }

  finish(): void {
    if (this.depth !== 0) throw new Error('file ends inside a JSON object');
  }
}

export function toSigmaEvent(value: unknown): SigmaEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const root =
    record['Event'] ?? (record['event'] as Record<string, unknown> | undefined)?.['Event'];
  if (typeof root === 'object' && root !== null && 'System' in root) {
    return withSigmaFieldNames(flattenEvent({ Event: root } as EventJson));
  }
  return record;
}

export const jsonInputReader: InputReader = {
  kind: 'json',
  accepts: (file) => /\.(json|jsonl|ndjson)$/i.test(file),
  async *read(file) {
    const splitter = new JsonObjectSplitter();
    const pending: string[] = [];
    let record = 0;
    const stream = createReadStream(file, { encoding: 'utf8' });
    for await (const chunk of stream) {
      splitter.push(chunk as string, (text) => pending.push(text));
      while (pending.length > 0) {
        const text = pending.shift()!;
        record++;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          throw new Error(
            `${file}: event ${record} is not valid JSON (${(error as Error).message})`,
            { cause: error },
          );
        }
        const event = toSigmaEvent(value);
        if (event) yield { file, record, event, original: value } satisfies HuntEvent;
      }
    }
    try {
      splitter.finish();
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
    }
  },
};
