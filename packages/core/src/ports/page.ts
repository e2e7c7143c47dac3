/**
 * Pages of lists that grow with the store, read by keyset: a list ordered by name continues
 * after the last item's name and id, and its total is counted up to a bound.
 */

/** Where a keyset page of a list ordered by name starts: after this name key and id. */
export interface NameCursor {
  /** The item's name as the list orders it (assets: lower case; agents: the hostname). */
  readonly name: string;
  readonly id: string;
}

/** A page of a list ordered by name: at most `limit` items after `after`. */
export interface NamePage {
  readonly limit: number;
  readonly after?: NameCursor;
}

/** A page whose total is counted up to a bound (keyset-paged lists). */
export interface BoundedPage<T> {
  readonly total: number;
  readonly totalIsLowerBound: boolean;
  readonly items: T[];
}
