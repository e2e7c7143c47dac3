/**
 * Keyset cursors of the event store: a position in the stable order of a tenant's events,
 * `ts` then the dialect's tie-breaker (SQLite: `seq`, the rowid every index ends with, so a
 * page continues inside the index; PostgreSQL: `id`). Written as `ts:key`; a cursor is read
 * back as untrusted input (it may come from a stored run or a client) and refused unless it is
 * one this dialect makes.
 */
import { CordonError } from '@cordon/core';
import type { EventCursor } from '@cordon/core';
import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../database/open-database.ts';

export interface EventPosition {
  readonly ts: number;
  /** SQLite: the row's seq; PostgreSQL: the event id. */
  readonly key: string;
}

const KEY_PATTERN: Readonly<Record<DialectName, RegExp>> = {
  sqlite: /^[0-9]{1,16}$/,
  postgres: /^[0-9A-Za-z_-]{1,64}$/,
};

export function formatEventCursor(position: EventPosition): EventCursor {
  return `${position.ts}:${position.key}`;
}

export function parseEventCursor(cursor: EventCursor, dialect: DialectName): EventPosition {
  const refused = () =>
    new CordonError('invalid_input', 'the event cursor is not one this event store made');
  if (typeof cursor !== 'string' || cursor.length > 100) throw refused();
  const colon = cursor.indexOf(':');
  const tsText = cursor.slice(0, colon);
  const key = cursor.slice(colon + 1);
  if (colon < 1 || !/^-?[0-9]{1,16}$/.test(tsText) || !KEY_PATTERN[dialect].test(key))
    throw refused();
  const ts = Number(tsText);
  if (!Number.isSafeInteger(ts)) throw refused();
  return { ts, key };
}

/** The rows after `position` in the order of `sort` (the `ts` bound keeps the index range). */
export function afterPosition(
  position: EventPosition,
  sort: 'asc' | 'desc',
  dialect: DialectName,
): RawBuilder<unknown> {
  const key = dialect === 'sqlite' ? sql`seq` : sql`id`;
  const value = dialect === 'sqlite' ? Number(position.key) : position.key;
  return sort === 'asc'
    ? sql`(ts >= ${position.ts} AND (ts > ${position.ts} OR ${key} > ${value}))`
    : sql`(ts <= ${position.ts} AND (ts < ${position.ts} OR ${key} < ${value}))`;
}
