/** @cordon/sigma public API. */
export { SigmaError } from './sigma-error.ts';
export type { SigmaErrorCode } from './sigma-error.ts';
export { LinearRegex, compileRegex } from './regex/linear-regex.ts';
export { parseYamlDocuments } from './yaml/parse-yaml-documents.ts';
export type { YamlDocument, YamlLimits, YamlValue } from './yaml/parse-yaml-documents.ts';
export type * from './rule/sigma-rule.ts';
export { SIGMA_LEVELS, CORRELATION_TYPES } from './rule/sigma-rule.ts';
export { validateDocument } from './rule/validate-document.ts';
export { loadRules } from './rule/load-rules.ts';
export type { LoadedRules, LoadRulesOptions, RuleSource } from './rule/load-rules.ts';
export { DEFAULT_RULE_LIMITS, TENANT_RULE_LIMITS } from './rule/rule-limits.ts';
export type { RuleLimits } from './rule/rule-limits.ts';
export { parseCondition } from './condition/parse-condition.ts';
export type { ConditionNode } from './condition/condition-node.ts';
export { parseSigmaString } from './detection/sigma-string.ts';
export type { SigmaEvent } from './event/match-context.ts';
export { SigmaEngine } from './engine/sigma-engine.ts';
export type { RuleSummary, SigmaEngineOptions, SigmaMatch } from './engine/sigma-engine.ts';
export type { MatchExplanation } from './detection/compile-detection.ts';
export { windowsLogSourceMapping } from './logsource/windows-mapping.ts';
export { entriesForRule, parseLogSourceMapping } from './logsource/logsource-mapping.ts';
export type { LogSourceMapping, LogSourceMappingEntry } from './logsource/logsource-mapping.ts';
export { withSigmaFieldNames } from './event/sigma-field-names.ts';
export {
  CorrelationEngine,
  fieldValue as correlationFieldValue,
} from './correlation/correlation-engine.ts';
export type {
  CorrelationAlert,
  CorrelationOptions,
  RuleReference,
} from './correlation/correlation-engine.ts';
