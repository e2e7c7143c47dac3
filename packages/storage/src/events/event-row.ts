/**
 * The row stored for a normalised event: its indexed columns, extracted here (core types the
 * event as a JSON object), and the event itself as JSON text. Ids are UUIDv7 (time first), so
 * that new ids land at the end of the id index instead of all over it.
 */
import type { EventDocument } from '@cordon/core';
import { ipToHex } from '@cordon/core';
import { randomUUID } from 'node:crypto';

export interface EventRow {
  readonly id: string;
  readonly ts: number;
  readonly ingestedAt: number;
  readonly host: string | null;
  readonly userName: string | null;
  readonly sourceIp: string | null;
  readonly destinationIp: string | null;
  readonly eventCode: string | null;
  readonly codeNum: number | null;
  readonly category: string | null;
  readonly dataset: string | null;
  readonly doc: string;
}

export function newEventId(ms: number): string {
  const random = randomUUID();
  const time = Math.max(0, Math.trunc(ms)).toString(16).padStart(12, '0').slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

const objectAt = (value: unknown): Readonly<Record<string, unknown>> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined;

const textAt = (value: unknown): string | null =>
  typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number'
      ? String(value)
      : null;

const timeOf = (value: unknown): number | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

const ipOf = (value: unknown): string | null =>
  typeof value === 'string' ? (ipToHex(value) ?? null) : null;

/**
 * `now` stands for `event.ingested` when the event has none, and for `@timestamp` when that is
 * missing or unreadable (the pipeline always sets both; this keeps odd input storable).
 */
export function eventRow(event: EventDocument, now: number): EventRow {
  const meta = objectAt(event['event']);
  const host = objectAt(event['host']);
  const ingestedAt = timeOf(meta?.['ingested']) ?? now;
  const ts = timeOf(event['@timestamp']) ?? ingestedAt;
  const code = textAt(meta?.['code']);
  const category = meta?.['category'];
  return {
    id: newEventId(ingestedAt),
    ts,
    ingestedAt,
    host: textAt(host?.['name']) ?? textAt(host?.['hostname']),
    userName: textAt(objectAt(event['user'])?.['name']),
    sourceIp: ipOf(objectAt(event['source'])?.['ip']),
    destinationIp: ipOf(objectAt(event['destination'])?.['ip']),
    eventCode: code,
    codeNum: code !== null && /^-?\d{1,15}$/.test(code) ? Number(code) : null,
    category: Array.isArray(category)
      ? category.filter((c) => typeof c === 'string').join(',') || null
      : textAt(category),
    dataset: textAt(meta?.['dataset']),
    doc: JSON.stringify(event),
  };
}
