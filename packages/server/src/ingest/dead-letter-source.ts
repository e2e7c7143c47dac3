/**
 * The dead-letter store keeps one `source` string per record; replay needs the format hint
 * and the sender address back from it, so they are written in a small fixed grammar:
 * `<source>[ from <address>][ format=<hint>]`, e.g. `syslog_udp from 10.1.2.3 format=cef`.
 */
import type { IngestFormat } from '@cordon/ingest';
import { INGEST_FORMATS } from '@cordon/ingest';
import type { RecordOrigin } from './ingest-sink.ts';

export function deadLetterSource(origin: RecordOrigin): string {
  return [
    origin.source,
    ...(origin.sourceAddress === undefined ? [] : [`from ${origin.sourceAddress}`]),
    ...(origin.hint === 'auto' ? [] : [`format=${origin.hint}`]),
  ].join(' ');
}

export function recordOrigin(source: string): RecordOrigin {
  const match = /^(\S+)(?: from (\S+))?(?: format=(\S+))?$/.exec(source);
  const hint = match?.[3];
  return {
    source: match?.[1] ?? source,
    hint:
      hint !== undefined && (INGEST_FORMATS as readonly string[]).includes(hint)
        ? (hint as IngestFormat)
        : 'auto',
    ...(match?.[2] === undefined ? {} : { sourceAddress: match[2] }),
  };
}
