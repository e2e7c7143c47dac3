/**
 * The parsed form of a search query (see query-parser.ts for the language). Field names are
 * kept as the user wrote them; which column or JSON path they mean is storage's business
 * (`resolveEventField`). `position` is the 1-based column of the node in the query, for
 * messages about it.
 */

/** A value to match: literal text, or a pattern when it holds unescaped `*` / `?`. */
export interface QueryValue {
  readonly text: string;
  /** Present when the value is a wildcard pattern: literal runs and wildcards in order. */
  readonly pattern?: readonly PatternPart[];
}

export type PatternPart = string | { readonly wildcard: '*' | '?' };

export type RangeOperator = '<' | '<=' | '>' | '>=';

export type QueryNode =
  | { readonly kind: 'and'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'or'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'not'; readonly child: QueryNode }
  | {
      readonly kind: 'match';
      readonly field: string;
      readonly value: QueryValue;
      readonly position: number;
    }
  | {
      readonly kind: 'range';
      readonly field: string;
      readonly operator: RangeOperator;
      readonly value: string;
      readonly position: number;
    }
  | { readonly kind: 'exists'; readonly field: string; readonly position: number }
  | { readonly kind: 'text'; readonly value: QueryValue; readonly position: number };
