/**
 * Rule files → validated documents. Every YAML document is checked on its own, so one bad
 * rule never stops the others; each rejection names the file, the rule id (when it has one)
 * and the reason. Legacy rule collections (`action: global` / `reset` / `repeat`) are merged
 * as Sigma 1.x defined them.
 *
 * The text is held to the caller's `RuleLimits` before anything walks it: its size, then what
 * its YAML expands to (aliases refused unless allowed; nodes counted across the documents,
 * with what `action: global` / `repeat` copy into each document counted again).
 */
import { SigmaError } from '../sigma-error.ts';
import type { YamlValue } from '../yaml/parse-yaml-documents.ts';
import { parseYamlDocuments } from '../yaml/parse-yaml-documents.ts';
import type { CorrelationRule, DetectionRule, FilterRule, RejectedRule } from './sigma-rule.ts';
import type { RuleLimits } from './rule-limits.ts';
import { ruleLimits } from './rule-limits.ts';
import { isYamlMap, validateDocument } from './validate-document.ts';

export interface RuleSource {
  readonly file: string;
  readonly text: string;
}

export interface LoadRulesOptions {
  /** Caps on what a rule text may cost; DEFAULT_RULE_LIMITS for what is not given. */
  readonly limits?: Partial<RuleLimits>;
}

export interface LoadedRules {
  readonly detections: DetectionRule[];
  readonly correlations: CorrelationRule[];
  readonly filters: FilterRule[];
  readonly rejected: RejectedRule[];
}

function merge(base: YamlValue, over: YamlValue): YamlValue {
  if (isYamlMap(base) && isYamlMap(over)) {
    const out: Record<string, YamlValue> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k]!, v) : v;
    return out;
  }
  return over;
}

function idOf(value: YamlValue): string | undefined {
  return isYamlMap(value) && typeof value['id'] === 'string' ? value['id'] : undefined;
}

/** UTF-8 length of `text` when it is at most `max` bytes; undefined when it is longer. */
function byteLengthWithin(text: string, max: number): number | undefined {
  if (text.length > max) return undefined; // every UTF-16 unit is at least one byte
  if (text.length * 3 <= max) return text.length;
  const bytes = new TextEncoder().encode(text).length;
  return bytes > max ? undefined : bytes;
}

export function loadRules(
  sources: readonly RuleSource[],
  options: LoadRulesOptions = {},
): LoadedRules {
  const limits = ruleLimits(options.limits);
  const result: LoadedRules = { detections: [], correlations: [], filters: [], rejected: [] };
  for (const { file, text } of sources) {
    if (byteLengthWithin(text, limits.maxRuleTextBytes) === undefined) {
      result.rejected.push({
        file,
        id: undefined,
        reason: `the rule text is larger than ${limits.maxRuleTextBytes} bytes`,
      });
      continue;
    }
    let global: YamlValue | undefined;
    let previous: YamlValue | undefined;
    let globalNodes = 0;
    let previousNodes = 0;
    const docs = parseYamlDocuments(text, {
      allowAliases: limits.allowYamlAliases,
      maxNodes: limits.maxYamlNodes,
      maxDepth: limits.maxYamlDepth,
    });
    // Nodes of the text so far, with the copies merges make.
    let nodes = 0;
    const many = docs.length > 1;
    for (const doc of docs) {
      const where = many ? `${file} (document ${doc.index + 1})` : file;
      if (!doc.ok) {
        result.rejected.push({ file: where, id: undefined, reason: `invalid YAML: ${doc.error}` });
        continue;
      }
      let value = doc.value;
      let valueNodes = doc.nodes;
      nodes += doc.nodes;
      if (isYamlMap(value) && typeof value['action'] === 'string') {
        const { action: actionValue, ...rest } = value;
        const action = String(actionValue);
        if (action === 'global') {
          global = rest;
          globalNodes = doc.nodes;
          continue;
        }
        if (action === 'reset') {
          global = undefined;
          continue;
        }
        if (action === 'repeat') {
          if (previous === undefined) {
            result.rejected.push({
              file: where,
              id: idOf(value),
              reason: "'action: repeat' with no previous document",
            });
            continue;
          }
          value = merge(previous, rest);
          valueNodes += previousNodes;
          nodes += previousNodes;
        } else {
          result.rejected.push({
            file: where,
            id: idOf(value),
            reason: `unknown action '${action}'`,
          });
          continue;
        }
      } else if (global !== undefined) {
        value = merge(global, value);
        valueNodes += globalNodes;
        nodes += globalNodes;
      }
      if (nodes > limits.maxYamlNodes) {
        result.rejected.push({
          file: where,
          id: idOf(value),
          reason: `invalid YAML: the text expands to more than ${limits.maxYamlNodes} YAML nodes (aliases and repeated documents count in full)`,
        });
        continue;
      }
      previous = value;
      previousNodes = valueNodes;
      try {
        const parsed = validateDocument(value, where);
        if (parsed.kind === 'detection') result.detections.push(parsed);
        else if (parsed.kind === 'correlation') result.correlations.push(parsed);
        else result.filters.push(parsed);
      } catch (error) {
        if (!(error instanceof SigmaError)) throw error;
        const title =
          isYamlMap(value) && typeof value['title'] === 'string' ? value['title'] : undefined;
        result.rejected.push({ file: where, id: idOf(value), title, reason: error.message });
      }
    }
  }
  return result;
}
