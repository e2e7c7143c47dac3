/**
 * Rule files → validated documents. Every YAML document is checked on its own, so one bad
 * rule never stops the others; each rejection names the file, the rule id (when it has one)
 * and the reason. Legacy rule collections (`action: global` / `reset` / `repeat`) are merged
 * as Sigma 1.x defined them.
 */
import { SigmaError } from '../sigma-error.ts';
import type { YamlValue } from '../yaml/parse-yaml-documents.ts';
import { parseYamlDocuments } from '../yaml/parse-yaml-documents.ts';
import type { CorrelationRule, DetectionRule, FilterRule, RejectedRule } from './sigma-rule.ts';
import { isYamlMap, validateDocument } from './validate-document.ts';

export interface RuleSource {
  readonly file: string;
  readonly text: string;
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

export function loadRules(sources: readonly RuleSource[]): LoadedRules {
  const result: LoadedRules = { detections: [], correlations: [], filters: [], rejected: [] };
  for (const { file, text } of sources) {
    let global: YamlValue | undefined;
    let previous: YamlValue | undefined;
    const docs = parseYamlDocuments(text);
    const many = docs.length > 1;
    for (const doc of docs) {
      const where = many ? `${file} (document ${doc.index + 1})` : file;
      if (!doc.ok) {
        result.rejected.push({ file: where, id: undefined, reason: `invalid YAML: ${doc.error}` });
        continue;
      }
      let value = doc.value;
      if (isYamlMap(value) && typeof value['action'] === 'string') {
        const { action: actionValue, ...rest } = value;
        const action = String(actionValue);
        if (action === 'global') {
          global = rest;
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
      }
      previous = value;
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
