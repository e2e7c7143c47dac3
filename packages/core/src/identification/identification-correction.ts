/**
 * An analyst's correction of an identification fact: set (add or replace), add (only where
 * the fact is not there yet) or remove, each with an optional reason. The journal keeps the
 * correction, and the fact it yields is never changed by inference again.
 */
import type { AttackCategory } from './attack-category.ts';
import type { FactKind, OriginClass } from './identification-fact.ts';

export type CorrectedFact =
  | { readonly kind: 'asset'; readonly name: string }
  | { readonly kind: 'technique'; readonly id: string }
  | { readonly kind: 'tactic'; readonly shortname: string }
  | { readonly kind: 'category'; readonly category: AttackCategory }
  | { readonly kind: 'origin'; readonly address: string; readonly class?: OriginClass }
  | { readonly kind: 'activity'; readonly key: 'first' | 'last'; readonly at: number };

export type IdentificationCorrection =
  | { readonly action: 'set' | 'add'; readonly fact: CorrectedFact; readonly reason?: string }
  | {
      readonly action: 'remove';
      readonly kind: FactKind;
      readonly key: string;
      readonly reason?: string;
    };
