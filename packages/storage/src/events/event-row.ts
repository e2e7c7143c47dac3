/**
 * The row stored for a normalised event: its indexed columns, extracted here (core types the
 * event as a JSON object), and the event itself as JSON text. Ids are UUIDv7-shaped with the
 * *event* time in their first 48 bits, so that an id says where its row is: `getEvent` reads
 * (tenant, time) from the time index and no index on ids is needed. The event's provenance
 * (how it arrived) is a column of its own beside the event: nothing inside a record can set it.
 */
import type { EventDocument, EventProvenance } from '@cordon/core';
import { UNRECORDED_PROVENANCE, ipToHex } from '@cordon/core';
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
  /** `EventProvenance` as JSON text, and its kind. */
  readonly provenance: string;
  readonly provenanceKind: string;
}

/** Event times an id can carry: 0 … 2^48 − 1 ms (1970 to the year 10889). */
const MAX_ID_TIME = 2 ** 48;

export function newEventId(ms: number): string {
  const random = randomUUID();
  const time = ms.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

/** The event time an event id carries, or undefined when the text is not an event id. */
export function eventTimeOfId(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
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

/** Whole ms in the range an id can carry, or undefined. */
const timeOf = (value: unknown): number | undefined => {
  const ms =
    typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms >= MAX_ID_TIME) return undefined;
  return Math.trunc(ms);
};

const ipOf = (value: unknown): string | null =>
  typeof value === 'string' ? (ipToHex(value) ?? null) : null;

/**
 * `now` stands for `event.ingested` when the event has none, and for `@timestamp` when that is
 * missing or unreadable (the pipeline always sets both; this keeps odd input storable).
 */
export function eventRow(
  event: EventDocument,
  now: number,
  provenance: EventProvenance = UNRECORDED_PROVENANCE,
): EventRow {
  const meta = objectAt(event['event']);
  const host = objectAt(event['host']);
  const ingestedAt = timeOf(meta?.['ingested']) ?? now;
  const ts = timeOf(event['@timestamp']) ?? ingestedAt;

  const code = textAt(meta?.['code']);
  const category = meta?.['category'];
  return {
    id: newEventId(ts),
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
    provenance: JSON.stringify(provenance),
    provenanceKind: provenance.kind,
  };
}
