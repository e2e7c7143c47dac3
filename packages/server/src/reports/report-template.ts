/**
 * The template language tenants adapt reports with: `{{path}}` inserts a value, always
 * HTML-escaped; `{{#each path}}…{{/each}}` repeats for each item (inside, `this` is the item
 * and names resolve on it first, then outwards); `{{#if path}}…{{else}}…{{/if}}` tests a value
 * (false, null, empty string, zero and empty lists are false). There is deliberately no way to
 * insert unescaped text: incident fields are attacker-written, and a template must not be able
 * to turn them into markup. Templates are bounded in size and nesting; a bad one is refused
 * with the line of the problem.
 */
import { CordonError } from '@cordon/core';

export const MAX_TEMPLATE_BYTES = 64 * 1024;
const MAX_DEPTH = 16;
const MAX_OUTPUT_CHARS = 32 * 1024 * 1024;

type TemplateNode =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'value'; readonly path: string }
  | { readonly kind: 'each'; readonly path: string; readonly body: readonly TemplateNode[] }
  | {
      readonly kind: 'if';
      readonly path: string;
      readonly then: readonly TemplateNode[];
      readonly otherwise: readonly TemplateNode[];
    };

export interface CompiledTemplate {
  render(view: unknown): string;
}

const TAG = /\{\{\s*([#/]?)(each|if|else)?\s*([A-Za-z_@][\w.@-]*)?\s*\}\}/g;
const PATH = /^(this|[A-Za-z_][\w-]*)(\.[A-Za-z_][\w-]*)*$/;

function templateError(template: string, at: number, message: string): CordonError {
  const line = template.slice(0, at).split('\n').length;
  return new CordonError('invalid_input', `template line ${line}: ${message}`);
}

interface OpenBlock {
  readonly kind: 'each' | 'if';
  readonly path: string;
  readonly at: number;
  readonly nodes: TemplateNode[];
  otherwise: TemplateNode[] | undefined;
}

export function compileTemplate(template: string): CompiledTemplate {
  if (Buffer.byteLength(template, 'utf8') > MAX_TEMPLATE_BYTES) {
    throw new CordonError('invalid_input', `a template is at most ${MAX_TEMPLATE_BYTES} bytes`);
  }
  const raw = /\{\{\{|\{\{\s*[&>!]/.exec(template);
  if (raw) throw templateError(template, raw.index, 'unescaped output and partials do not exist');
  const root: TemplateNode[] = [];
  const stack: OpenBlock[] = [];
  const target = (): TemplateNode[] => {
    const top = stack.at(-1);
    if (!top) return root;
    return top.otherwise ?? top.nodes;
  };
  let last = 0;
  for (const match of template.matchAll(TAG)) {
    const at = match.index;
    if (at > last) target().push({ kind: 'literal', text: template.slice(last, at) });
    last = at + match[0].length;
    const [, sigil, keyword, path] = match;
    if (sigil === '#') {
      if ((keyword !== 'each' && keyword !== 'if') || !path || !PATH.test(path))
        throw templateError(template, at, `"${match[0]}" is not {{#each path}} or {{#if path}}`);
      if (stack.length >= MAX_DEPTH)
        throw templateError(template, at, `blocks nest at most ${MAX_DEPTH} deep`);
      stack.push({ kind: keyword, path, at, nodes: [], otherwise: undefined });
    } else if (sigil === '/') {
      const open = stack.pop();
      if (!open || open.kind !== keyword)
        throw templateError(template, at, `"${match[0]}" closes nothing open`);
      target().push(closeBlock(open));
    } else if (keyword === 'else') {
      const open = stack.at(-1);
      if (!open || open.kind !== 'if' || open.otherwise)
        throw templateError(template, at, '{{else}} outside an {{#if}}');
      open.otherwise = [];
    } else {
      if (!path || keyword || !PATH.test(path))
        throw templateError(template, at, `"${match[0]}" is not a value path`);
      target().push({ kind: 'value', path });
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw templateError(template, unclosed.at, `{{#${unclosed.kind}}} is not closed`);
  if (last < template.length) root.push({ kind: 'literal', text: template.slice(last) });
  const stray = root.find((n) => n.kind === 'literal' && /\{\{|\}\}/.test(n.text));
  if (stray?.kind === 'literal') {
    throw templateError(template, template.indexOf(stray.text), 'a "{{" or "}}" that is not a tag');
  }
  return { render: (view) => renderNodes(root, [view]) };
}

function closeBlock(open: OpenBlock): TemplateNode {
  return open.kind === 'each'
    ? { kind: 'each', path: open.path, body: open.nodes }
    : { kind: 'if', path: open.path, then: open.nodes, otherwise: open.otherwise ?? [] };
}

function lookup(scopes: readonly unknown[], path: string): unknown {
  const [head, ...rest] = path.split('.');
  for (let i = scopes.length - 1; i >= 0; i -= 1) {
    let value: unknown = scopes[i];
    if (head !== 'this') {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, head!)) continue;
      value = (value as Record<string, unknown>)[head!];
    }
    for (const key of rest) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key))
        return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  }
  return undefined;
}

const truthy = (value: unknown): boolean =>
  Array.isArray(value) ? value.length > 0 : Boolean(value);

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return escapeHtml(JSON.stringify(value));
}

function renderNodes(nodes: readonly TemplateNode[], scopes: readonly unknown[]): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'literal':
        out += node.text;
        break;
      case 'value':
        out += show(lookup(scopes, node.path));
        break;
      case 'if':
        out += renderNodes(truthy(lookup(scopes, node.path)) ? node.then : node.otherwise, scopes);
        break;
      case 'each': {
        const list = lookup(scopes, node.path);
        if (Array.isArray(list))
          for (const item of list) out += renderNodes(node.body, [...scopes, item]);
        break;
      }
    }
    if (out.length > MAX_OUTPUT_CHARS)
      throw new CordonError('invalid_input', 'the report is too large for its template');
  }
  return out;
}
