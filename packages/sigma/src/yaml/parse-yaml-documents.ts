/**
 * YAML text → plain values, one per document. Numbers keep their spelling where converting
 * them would lose it (`0x17`, `0012`, `1.0` stay strings): Sigma compares values as strings,
 * so `TicketEncryption: 0x17` must match the text "0x17", not 23.
 *
 * The plain values are fresh trees (nothing shared), so they are as large as the YAML
 * expands to: an alias (`*a`) is copied where it is used, and aliases nested a few levels
 * deep expand exponentially. The yaml library's `maxAliasCount` guards only its own `toJS`,
 * not this walk, so the walk counts every node it makes (through aliases too) against
 * `maxNodes` and stops there, refuses aliases outright unless they are allowed, and bounds
 * the depth: whatever walks a document later walks at most `maxNodes` nodes.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';

export type YamlValue =
  string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export type YamlDocument =
  | {
      readonly ok: true;
      readonly value: YamlValue;
      readonly index: number;
      /** Nodes the value is made of. */
      readonly nodes: number;
    }
  | { readonly ok: false; readonly error: string; readonly index: number };

export interface YamlLimits {
  /** Accept aliases (`*name`); refused by default. */
  readonly allowAliases?: boolean;
  /** Nodes all documents of the text may expand to together. */
  readonly maxNodes?: number;
  readonly maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 64;
const DEFAULT_MAX_NODES = 200_000;

/** Thrown inside the walk; becomes the document's error. */
class YamlLimitError extends Error {
  override readonly name = 'YamlLimitError';
}

class PlainWalk {
  nodes = 0;
  private readonly allowAliases: boolean;
  private readonly maxNodes: number;
  private readonly maxDepth: number;
  private readonly limit: number;

  private readonly doc: Document;

  constructor(doc: Document, limits: Required<YamlLimits>, spent: number) {
    this.doc = doc;
    this.allowAliases = limits.allowAliases;
    this.maxNodes = limits.maxNodes - spent;
    this.limit = limits.maxNodes;
    this.maxDepth = limits.maxDepth;
  }

  toPlain(node: unknown, depth: number): YamlValue {
    if (depth > this.maxDepth)
      throw new YamlLimitError(`nesting deeper than ${this.maxDepth} levels`);
    if (++this.nodes > this.maxNodes) {
      throw new YamlLimitError(
        `the text expands to more than ${this.limit} YAML nodes (aliases and repeated documents count in full)`,
      );
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (!this.allowAliases) {
        throw new YamlLimitError(
          `YAML aliases (*${node.source}) are not accepted in rules: write the values out`,
        );
      }
      return this.toPlain(node.resolve(this.doc), depth + 1);
    }
    if (isScalar(node)) return scalarValue(node);
    if (isMap(node)) {
      const out: { [key: string]: YamlValue } = {};
      for (const pair of node.items) {
        const key = this.toPlain(pair.key, depth + 1);
        Object.defineProperty(out, typeof key === 'object' ? JSON.stringify(key) : String(key), {
          value: this.toPlain(pair.value, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item) => this.toPlain(item, depth + 1));
    throw new YamlLimitError('unsupported YAML node');
  }
}

function scalarValue(node: { value: unknown; source?: unknown; type?: unknown }): YamlValue {
  const v = node.value;
  if (typeof v === 'number') {
    const source = node.source;
    if (typeof source === 'string' && node.type === 'PLAIN' && String(v) !== source) return source;
    return v;
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  return JSON.stringify(v) ?? null;
}

export function parseYamlDocuments(text: string, limits: YamlLimits = {}): YamlDocument[] {
  const bounds: Required<YamlLimits> = {
    allowAliases: limits.allowAliases ?? false,
    maxNodes: limits.maxNodes ?? DEFAULT_MAX_NODES,
    maxDepth: limits.maxDepth ?? DEFAULT_MAX_DEPTH,
  };
  let list: ReturnType<typeof parseAllDocuments>;
  try {
    list = parseAllDocuments(text, { uniqueKeys: true });
  } catch (error) {
    // The yaml library's parser recurses once per nested compact mapping (`a: b: c: …`), so a
    // few thousand levels overflow the stack before our depth limit can see a node: the text
    // is refused as a whole, with a reason, instead of the exception escaping to the caller.
    if (error instanceof RangeError)
      return [{ ok: false, index: 0, error: 'the YAML is nested too deeply to parse' }];
    throw error;
  }
  const out: YamlDocument[] = [];
  let spent = 0;
  for (const [index, doc] of list.entries()) {
    if (doc.errors.length > 0) {
      out.push({ ok: false, index, error: doc.errors[0]!.message.split('\n')[0]! });
      continue;
    }
    if (doc.contents === null) continue; // an empty document between separators
    const walk = new PlainWalk(doc, bounds, spent);
    try {
      const value = walk.toPlain(doc.contents, 0);
      spent += walk.nodes;
      out.push({ ok: true, index, value, nodes: walk.nodes });
    } catch (error) {
      out.push({ ok: false, index, error: error instanceof Error ? error.message : String(error) });
      // the budget is spent for the rest of the text: a refused document stops the walk of later ones
      spent += walk.nodes;
    }
  }
  return out;
}
