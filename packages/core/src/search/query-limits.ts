/**
 * Bounds on a search query, so that what an analyst (or an attacker with an analyst's token)
 * types costs bounded stack, time and SQL: the parser is recursive, and SQLite refuses
 * expressions deeper than 1000. Generous for people — a query of 1000 ORed values, or groups
 * nested 32 deep, still runs — and each is reported as a syntax error with its column.
 */

/** Characters in a query (the API's schema says the same). */
export const MAX_QUERY_LENGTH = 10_000;

/** Nesting of parentheses and `not`, counted together. */
export const MAX_QUERY_DEPTH = 32;

/** Field tests and free-text words in one query. */
export const MAX_QUERY_TERMS = 1024;
