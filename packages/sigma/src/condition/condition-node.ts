/**
 * Parsed condition expressions (rules spec, "Condition"). Precedence from loosest to
 * tightest: `or`, `and`, `not`, `x of`, parentheses.
 */
export type ConditionNode =
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'and'; readonly items: readonly ConditionNode[] }
  | { readonly kind: 'or'; readonly items: readonly ConditionNode[] }
  | { readonly kind: 'not'; readonly item: ConditionNode }
  | {
      readonly kind: 'of';
      /** 'all', or the minimum number of identifiers that must match (`1 of`). */
      readonly count: number | 'all';
      /** 'them', or an identifier pattern with `*` wildcards. */
      readonly pattern: string;
    };
