/**
 * What `cordon hunt` reads events from. Each input kind is one `InputReader`: it says which
 * files it takes and yields `{ file, record, event }` for each event, `event` being the flat
 * view detection matches (see `flattenEvent` in @cordon/evtx). To add a kind (e.g. `.evtx`),
 * write a reader and add it to `inputReaders` below.
 */
import type { SigmaEvent } from '@cordon/sigma';
import { evtxInputReader } from './evtx-input-reader.ts';
import { jsonInputReader } from './json-input-reader.ts';

export interface HuntEvent {
  readonly file: string;
  /** Position of the event in its file, from 1 (record id where the format has one). */
  readonly record: number;
  /** The flat event detection sees. */
  readonly event: SigmaEvent;
  /** The event as read, for output (the evtx_dump JSON shape for Windows events). */
  readonly original: unknown;
}

export interface InputReader {
  /** Short name used in messages, e.g. `json`. */
  readonly kind: string;
  /** Whether this reader takes the file (decided by name). */
  accepts(file: string): boolean;
  /** Synchronous where reading can be (local files hunted at full speed). */
  read(file: string): Iterable<HuntEvent> | AsyncIterable<HuntEvent>;
}

export const inputReaders: InputReader[] = [jsonInputReader, evtxInputReader];

export function readerFor(file: string): InputReader | undefined {
  return inputReaders.find((r) => r.accepts(file));
}
