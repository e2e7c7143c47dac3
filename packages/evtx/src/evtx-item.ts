/**
 * What reading an EVTX file yields, in file order: records, and problems with their place.
 * An `error` is a record or chunk that could not be read (counted against the file); a
 * `warning` is damage that did not stop reading (a bad checksum, a stale file header).
 */
import type { XmlContent, XmlElement } from './xml-tree.ts';

export interface EvtxRecord {
  readonly kind: 'record';
  /** Index of the chunk in the file, from 0. */
  readonly chunk: number;
  /** Offset of the record in the file. */
  readonly offset: number;
  readonly recordId: number | string;
  /** When the record was written (record header), ISO 8601 to the microsecond. */
  readonly timestamp: string;
  /** The record's XML; normally one `Event` element. */
  readonly content: readonly XmlContent[];
}

export interface EvtxProblem {
  readonly kind: 'error' | 'warning';
  readonly chunk: number;
  /** Offset in the file of the record or chunk concerned. */
  readonly offset: number;
  readonly reason: string;
}

export type EvtxItem = EvtxRecord | EvtxProblem;

/** The record's first element, normally `Event`. */
export function recordEvent(record: EvtxRecord): XmlElement | undefined {
  for (const item of record.content) if (item.kind === 'element') return item;
  return undefined;
}
