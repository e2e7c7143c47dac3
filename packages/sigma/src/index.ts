/** @cordon/sigma public API. */
export { SigmaError } from './sigma-error.ts';
export type { SigmaErrorCode } from './sigma-error.ts';
export { LinearRegex, compileRegex } from './regex/linear-regex.ts';
export { parseYamlDocuments } from './yaml/parse-yaml-documents.ts';
export type { YamlDocument, YamlValue } from './yaml/parse-yaml-documents.ts';
export type * from './rule/sigma-rule.ts';
export { validateDocument } from './rule/validate-document.ts';
