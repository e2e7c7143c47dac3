/** Helpers for this package's tests: parse one record and insist on exactly one event. */
import type { IngestEvent } from '../ingest-event.ts';
import type { ParseContext } from '../parse-context.ts';
import { parseRecord } from '../parse-record.ts';

export const RECEIVED_AT = new Date('2024-10-11T22:14:20.000Z');

export function parseOne(
  raw: string | Uint8Array,
  context: Partial<ParseContext> = {},
): IngestEvent {
  const events = parseMany(raw, context);
  if (events.length !== 1) throw new Error(`expected one event, got ${events.length}`);
  return events[0]!;
}

export function parseMany(
  raw: string | Uint8Array,
  context: Partial<ParseContext> = {},
): readonly IngestEvent[] {
  const outcome = parseRecord(raw, { receivedAt: RECEIVED_AT, ...context });
  if (outcome.kind === 'failure')
    throw new Error(`parse failed (${outcome.code}): ${outcome.reason}`);
  return outcome.events;
}
