/**
 * A Sigma string value after wildcard and escape processing (rules spec, "String Wildcard" and
 * "Escape Character"): a sequence of literal text and the wildcards `*` (any run) and `?` (one
 * character). A backslash escapes `*`, `?` and itself; before any other character it is a plain
 * backslash, so `\\\*` is a backslash followed by a literal star and `\\\\` is two backslashes.
 */
export type SigmaStringPart = string | typeof ANY_RUN | typeof ANY_ONE;

export const ANY_RUN: unique symbol = Symbol('*');
export const ANY_ONE: unique symbol = Symbol('?');

/** Parts never hold two adjacent strings: literals are merged. */
export type SigmaString = readonly SigmaStringPart[];

export function parseSigmaString(raw: string): SigmaString {
  const parts: SigmaStringPart[] = [];
  let literal = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        i++;
      } else {
        literal += '\\';
      }
    } else if (ch === '*' || ch === '?') {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(ch === '*' ? ANY_RUN : ANY_ONE);
    } else {
      literal += ch;
    }
  }
  if (literal) parts.push(literal);
  return parts;
}

/** A string taken literally (keyword text produced by encoders, placeholder values …). */
export function literalSigmaString(text: string): SigmaString {
  return text ? [text] : [];
}

export function hasWildcards(value: SigmaString): boolean {
  return value.some((p) => typeof p !== 'string');
}

/** Joins adjacent literals and collapses runs of `*`. */
export function normalizeSigmaString(parts: readonly SigmaStringPart[]): SigmaString {
  const out: SigmaStringPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (typeof part === 'string') {
      if (!part) continue;
      if (typeof last === 'string') out[out.length - 1] = last + part;
      else out.push(part);
    } else if (!(part === ANY_RUN && last === ANY_RUN)) {
      out.push(part);
    }
  }
  return out;
}

/** Maps every literal part through `f` (used by windash and case folding). */
export function mapLiterals(value: SigmaString, f: (text: string) => string): SigmaString {
  return value.map((p) => (typeof p === 'string' ? f(p) : p));
}

/** The plain text of a value without wildcards, for encoders; undefined if it has wildcards. */
export function plainText(value: SigmaString): string | undefined {
  return hasWildcards(value) ? undefined : value.join('');
}

/** Renders back to Sigma notation (for messages and match explanations). */
export function formatSigmaString(value: SigmaString): string {
  return value
    .map((p) => (p === ANY_RUN ? '*' : p === ANY_ONE ? '?' : p.replace(/[\\*?]/g, (c) => '\\' + c)))
    .join('');
}
