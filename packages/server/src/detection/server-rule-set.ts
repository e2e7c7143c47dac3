/**
 * The rules every tenant runs: our shipped correlation rules plus the server's SigmaHQ rule
 * directory, compiled once into one `SigmaEngine` (which indexes rules by log source, so an
 * event only visits the rules for its source) and shared by all tenants. Tenants add their
 * own rules on top (tenant-detection.ts); correlation state is per tenant.
 */
import type { CorrelationRule, RejectedRule, RuleSource } from '@cordon/sigma';
import { CorrelationEngine, DEFAULT_RULE_LIMITS, loadRules, SigmaEngine } from '@cordon/sigma';
import { readRuleDirectory, SHIPPED_RULES_DIR } from './rule-files.ts';
import type { RulePackRoot } from '../rule-packs/rule-pack-of.ts';
import { SHIPPED_RULE_PACK } from '../rule-packs/rule-pack-of.ts';

export interface ServerRuleSet {
  readonly engine: SigmaEngine;
  readonly correlations: readonly CorrelationRule[];
  /** Rule files that did not load or compile, with reasons (logged at start). */
  readonly rejected: readonly RejectedRule[];
  /** The texts it was compiled from: the detection worker compiles its own copy. */
  readonly sources: readonly RuleSource[];
  /** Where each rule pack's files are, so that a tenant can turn a pack off. */
  readonly packRoots: readonly RulePackRoot[];
}

export interface ServerRuleOptions {
  /** SigmaHQ-style rule directories. */
  readonly ruleDirs?: readonly string[];
  /** false to leave our shipped rules out (default true). */
  readonly shippedRules?: boolean;
  /** Installed rule packs (`cordon rules update`): each pack's rule directories. */
  readonly packs?: readonly (RulePackRoot & { readonly ruleDirs: readonly string[] })[];
}

export async function loadServerRuleSet(options: ServerRuleOptions = {}): Promise<ServerRuleSet> {
  const sources: RuleSource[] = [];
  const roots: RulePackRoot[] = [];
  if (options.shippedRules !== false) {
    sources.push(...(await readRuleDirectory(SHIPPED_RULES_DIR)));
    roots.push({ pack: SHIPPED_RULE_PACK, dir: SHIPPED_RULES_DIR });
  }
  for (const dir of options.ruleDirs ?? []) sources.push(...(await readRuleDirectory(dir)));
  for (const pack of options.packs ?? []) {
    for (const dir of pack.ruleDirs) sources.push(...(await readRuleDirectory(dir)));
    roots.push({ pack: pack.pack, dir: pack.dir });
  }
  return compileServerRuleSet(sources, roots);
}

export function compileServerRuleSet(
  sources: readonly RuleSource[],
  packRoots: readonly RulePackRoot[] = [],
): ServerRuleSet {
  const limits = DEFAULT_RULE_LIMITS;
  const loaded = loadRules(sources, { limits });
  const engine = new SigmaEngine(loaded.detections, { filters: loaded.filters, limits });
  const check = new CorrelationEngine(loaded.correlations, engine.rules);
  return {
    engine,
    correlations: check.correlations,
    rejected: [...loaded.rejected, ...engine.rejected, ...check.rejected],
    sources,
    packRoots,
  };
}
