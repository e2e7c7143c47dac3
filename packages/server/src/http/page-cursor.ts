/**
 * Keyset cursors for the lists that grow with the store: the sort value and tie-breaker of a
 * page's last item, base64url-encoded so clients treat it as opaque. A cursor is data from the
 * client like any other input: it is decoded strictly, and a malformed one is `invalid_input`.
 */
import type { Page, PageCursor } from '@cordon/core';
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
