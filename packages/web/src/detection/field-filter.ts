/**
 * Field conditions of an exclusion or suppression as an analyst types them: one a line,
 * `field = value`; several lines of one field are its alternatives. Every named field must
 * match one of its values (case-insensitive, `*` for any run of characters), as the server
 * applies them.
 */
export type FieldConditions = Record<string, string[]>;

export type ParsedConditions =
  | { readonly ok: true; readonly fields: FieldConditions }
  | { readonly ok: false; readonly problem: string };

export function parseFieldConditions(text: string): ParsedConditions {
  const fields: FieldConditions = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const at = line.indexOf('=');
    const field = at === -1 ? '' : line.slice(0, at).trim();
    const value = at === -1 ? '' : line.slice(at + 1).trim();
    if (field === '' || value === '')
      return { ok: false, problem: `line ${i + 1}: write field = value` };
    (fields[field] ??= []).push(value);
  }
  return { ok: true, fields };
}

export function fieldConditionsText(fields: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(fields)
    .map(([field, values]) => `${field} = ${values.join(' | ')}`)
    .join('; ');
}
