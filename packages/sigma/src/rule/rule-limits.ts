/**
 * How much work a rule's text may cause. A rule is attacker-controlled input when a tenant
 * writes it, and even a few hundred bytes can ask for exponential work (nested YAML aliases,
 * counted repeats in a regex, placeholder products), so every stage that a rule's text drives
 * — YAML expansion, compilation, and matching — is capped here, before it runs, and the caps
 * hold for every walk that follows (a later stage never sees more than an earlier one let
 * through). `DEFAULT_RULE_LIMITS` suit server-shipped and SigmaHQ rules (all of SigmaHQ loads
 * under them); `TENANT_RULE_LIMITS` are much lower for rules tenants post.
 */
export interface RuleLimits {
  /** Bytes (UTF-8) of one rule text, checked before it is parsed. */
  readonly maxRuleTextBytes: number;
  /** Accept YAML aliases (`*name`). No SigmaHQ rule uses them; they are how a small text expands. */
  readonly allowYamlAliases: boolean;
  /**
   * YAML nodes one rule text may expand to, counting every document in full (what aliases
   * and `action: global` add included). Bounds every later walk of the rule.
   */
  readonly maxYamlNodes: number;
  /** Nesting depth of a YAML document. */
  readonly maxYamlDepth: number;
  /**
   * Values one rule may compile to, after `expand`, `base64offset` (×3) and the other
   * transformations, plus what condition expressions reference (`1 of selection_*` counts
   * the values of every selection it names).
   */
  readonly maxRuleValues: number;
  /** NFA states of one regex (`.{1000,}`-style runs need none). Larger regexes are rejected. */
  readonly maxRegexStates: number;
  /**
   * Characters of a value a regex runs on. A longer value is searched in its first
   * `maxRegexInputChars` characters only: a match must end within them (anchors and `\b` see
   * the real neighbouring character, so nothing matches that would not on the whole value).
   * Rules with regexes say so in their `RuleSummary.regexInputChars`.
   */
  readonly maxRegexInputChars: number;
  /**
   * Regex steps (automaton states visited, one per character once cached) one rule may spend
   * on one event; a step is some 20–100 ns, so the default is tens of milliseconds at worst.
   * A rule that runs out does not match that event; the engine counts it.
   */
  readonly maxRegexWorkPerRule: number;
  /** Regex steps all rules together may spend on one event. */
  readonly maxRegexWorkPerEvent: number;
}

export const DEFAULT_RULE_LIMITS: RuleLimits = Object.freeze({
  maxRuleTextBytes: 1_048_576,
  allowYamlAliases: false,
  maxYamlNodes: 200_000,
  maxYamlDepth: 64,
  maxRuleValues: 100_000,
  maxRegexStates: 4_000,
  maxRegexInputChars: 32_768,
  maxRegexWorkPerRule: 1_000_000,
  maxRegexWorkPerEvent: 5_000_000,
});

export const TENANT_RULE_LIMITS: RuleLimits = Object.freeze({
  maxRuleTextBytes: 262_144,
  allowYamlAliases: false,
  maxYamlNodes: 20_000,
  maxYamlDepth: 32,
  maxRuleValues: 20_000,
  maxRegexStates: 1_000,
  maxRegexInputChars: 8_192,
  maxRegexWorkPerRule: 200_000,
  maxRegexWorkPerEvent: 1_000_000,
});

/** The limits in force: the defaults with whatever the caller set. */
export function ruleLimits(limits: Partial<RuleLimits> | undefined): RuleLimits {
  return limits === undefined ? DEFAULT_RULE_LIMITS : { ...DEFAULT_RULE_LIMITS, ...limits };
}
