/**
 * Playbook text → a plain value. JSON, or YAML for people who write by hand; either way the
 * text is attacker-written, so it is bounded before anything walks it: size, nesting depth and
 * node count, and YAML aliases are refused (an alias is how a small text expands hugely).
 */
import { parseYamlDocuments } from '@cordon/sigma';
import type { PlaybookProblem } from './playbook-problem.ts';

export const PLAYBOOK_TEXT_LIMITS = {
  maxBytes: 1_048_576,
  maxDepth: 32,
  maxNodes: 100_000,
} as const;

export type ParsedPlaybookText =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: PlaybookProblem };

const refuse = (code: PlaybookProblem['code'], message: string): ParsedPlaybookText => ({
  ok: false,
  problem: { stepId: null, code, message },
});

/** Depth and node count of an already-parsed value (iterative: no recursion on hostile input). */
export function valueExceedsLimits(value: unknown): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (++nodes > PLAYBOOK_TEXT_LIMITS.maxNodes)
      return `more than ${PLAYBOOK_TEXT_LIMITS.maxNodes} values`;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > PLAYBOOK_TEXT_LIMITS.maxDepth)
      return `nested deeper than ${PLAYBOOK_TEXT_LIMITS.maxDepth} levels`;
    for (const child of Array.isArray(node) ? (node as unknown[]) : Object.values(node))
      stack.push([child, depth + 1]);
  }
  return undefined;
}

function jsonTextTooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > PLAYBOOK_TEXT_LIMITS.maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export function parsePlaybookText(text: string): ParsedPlaybookText {
  if (text.length > PLAYBOOK_TEXT_LIMITS.maxBytes)
    return refuse('too_large', `a playbook is at most ${PLAYBOOK_TEXT_LIMITS.maxBytes} bytes`);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    if (jsonTextTooDeep(trimmed))
      return refuse('too_large', `nested deeper than ${PLAYBOOK_TEXT_LIMITS.maxDepth} levels`);
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      return refuse('not_a_document', `not JSON: ${(error as Error).message}`);
    }
    const exceeded = valueExceedsLimits(value);
    return exceeded ? refuse('too_large', exceeded) : { ok: true, value };
  }
  const documents = parseYamlDocuments(text, {
    allowAliases: false,
    maxDepth: PLAYBOOK_TEXT_LIMITS.maxDepth,
    maxNodes: PLAYBOOK_TEXT_LIMITS.maxNodes,
  });
  if (documents.length !== 1)
    return refuse('not_a_document', `expected one YAML document, found ${documents.length}`);
  const [document] = documents;
  if (!document!.ok) return refuse('not_a_document', `not YAML: ${document!.error}`);
  return { ok: true, value: document!.value };
}
