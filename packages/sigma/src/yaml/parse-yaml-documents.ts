/**
 * YAML text → plain values, one per document. Numbers keep their spelling where converting
 * them would lose it (`0x17`, `0012`, `1.0` stay strings): Sigma compares values as strings,
 * so `TicketEncryption: 0x17` must match the text "0x17", not 23.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';

export type YamlValue =
  string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export type YamlDocument =
  | { readonly ok: true; readonly value: YamlValue; readonly index: number }
  | { readonly ok: false; readonly error: string; readonly index: number };

const MAX_DEPTH = 64;

function toPlain(node: unknown, doc: Document, depth: number): YamlValue {
  if (depth > MAX_DEPTH) throw new Error(`nesting deeper than ${MAX_DEPTH} levels`);
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toPlain(node.resolve(doc), doc, depth + 1);
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number') {
      const source = node.source;
      if (typeof source === 'string' && node.type === 'PLAIN' && String(v) !== source)
        return source;
      return v;
    }
    if (typeof v === 'bigint') return String(v);
    if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
    return JSON.stringify(v) ?? null;
  }
  if (isMap(node)) {
    const out: { [key: string]: YamlValue } = {};
    for (const pair of node.items) {
      const key = toPlain(pair.key, doc, depth + 1);
      Object.defineProperty(out, typeof key === 'object' ? JSON.stringify(key) : String(key), {
        value: toPlain(pair.value, doc, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item, doc, depth + 1));
  throw new Error('unsupported YAML node');
}

export function parseYamlDocuments(text: string): YamlDocument[] {
  const list = parseAllDocuments(text, { uniqueKeys: true });
  const out: YamlDocument[] = [];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      out.push({ ok: false, index, error: doc.errors[0]!.message.split('\n')[0]! });
      return;
    }
    if (doc.contents === null) return; // an empty document between separators
    try {
      out.push({ ok: true, index, value: toPlain(doc.contents, doc, 0) });
    } catch (error) {
      out.push({ ok: false, index, error: error instanceof Error ? error.message : String(error) });
    }
  });
  return out;
}
