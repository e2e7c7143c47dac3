/**
 * Keyset cursors for the lists that grow with the store: the sort value and tie-breaker of a
 * page's last item, base64url-encoded so clients treat it as opaque. A cursor is data from the
 * client like any other input: it is decoded strictly, and a malformed one is `invalid_input`.
 */
import type { NameCursor, NamePage, Page, PageCursor } from '@cordon/core';
import { CordonError } from '@cordon/core';
import { pageParams } from './views.ts';

const TIE = /^[0-9A-Za-z-]{1,64}$/;

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(`${cursor.at}.${cursor.tie}`, 'utf8').toString('base64url');
}

export function decodeCursor(text: string): PageCursor {
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const dot = decoded.indexOf('.');
  const at = Number(decoded.slice(0, dot));
  const tie = decoded.slice(dot + 1);
  if (dot < 1 || !Number.isSafeInteger(at) || at < 0 || !TIE.test(tie))
    throw new CordonError('invalid_input', 'cursor is not one this server issued');
  return { at, tie };
}

/** `limit`/`offset` as before, plus `cursor` (keyset); the two ways of paging do not mix. */
export function keysetPageParams(query: {
  limit?: string;
  offset?: string;
  cursor?: string;
}): Page {
  const page = pageParams(query);
  if (query.cursor === undefined) return page;
  if (query.offset !== undefined)
    throw new CordonError('invalid_input', 'give cursor or offset, not both');
  return { ...page, after: decodeCursor(query.cursor) };
}

/** The next page's cursor: the last item's, when the page is full. */
export function nextCursor<T>(
  items: readonly T[],
  limit: number,
  key: (item: T) => PageCursor,
): string | null {
  const last = items.at(-1);
  return items.length === limit && last !== undefined ? encodeCursor(key(last)) : null;
}

/** Cursors of lists ordered by name: the last item's name key and id. */
export function encodeNameCursor(cursor: NameCursor): string {
  return Buffer.from(JSON.stringify([cursor.name, cursor.id]), 'utf8').toString('base64url');
}

export function decodeNameCursor(text: string): NameCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== 'string' ||
    decoded[0].length > 1000 ||
    typeof decoded[1] !== 'string' ||
    !TIE.test(decoded[1])
  )
    throw new CordonError('invalid_input', 'cursor is not one this server issued');
  return { name: decoded[0], id: decoded[1] };
}

/** `limit` and an optional name `cursor`. */
export function namePageParams(query: { limit?: string; cursor?: string }): NamePage {
  const { limit } = pageParams(query);
  return query.cursor === undefined ? { limit } : { limit, after: decodeNameCursor(query.cursor) };
}

/** The next page's cursor, when the page is full. */
export function nextNameCursor<T>(
  items: readonly T[],
  limit: number,
  key: (item: T) => NameCursor,
): string | null {
  const last = items.at(-1);
  return items.length === limit && last !== undefined ? encodeNameCursor(key(last)) : null;
}
