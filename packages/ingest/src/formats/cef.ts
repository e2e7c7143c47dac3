/**
 * ArcSight Common Event Format: `CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity|ext`.
 * Header fields escape `|` and `\` with a backslash; extension values escape `=` and `\` and
 * write newlines as `\n` / `\r`. Extension values may contain spaces: a value runs to the
 * space before the next `key=`. Keys keep their CEF names; the header parts get the names
 * ArcSight's own field dictionary uses (`deviceVendor`, `deviceProduct`, …).
 */

export interface CefRecord {
  readonly version: number;
  readonly deviceVendor: string;
  readonly deviceProduct: string;
  readonly deviceVersion: string;
  readonly deviceEventClassId: string;
  readonly name: string;
  readonly severity: string;
  readonly extension: Readonly<Record<string, string>>;
}

/** Where `CEF:` starts in a message, or -1. Only at the start or after a syslog-ish prefix word. */
export function findCef(text: string): number {
  if (text.startsWith('CEF:')) return 0;
  const at = text.indexOf(' CEF:');
  return at >= 0 && at < 300 ? at + 1 : -1;
}

export function parseCef(text: string): CefRecord | string {
  if (!text.startsWith('CEF:')) return 'not CEF (no "CEF:" prefix)';
  const header: string[] = [];
  let current = '';
  let i = 4;
  while (header.length < 7) {
    const c = text[i];
    if (c === undefined) {
      if (header.length === 6) {
        header.push(current);
        break;
      }
      return `CEF header has ${header.length + 1} of 8 fields`;
    }
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      current += text[i + 1];
      i += 2;
    } else if (c === '|') {
      header.push(current);
      current = '';
      i += 1;
    } else {
      current += c;
      i += 1;
    }
  }
  const [version, deviceVendor, deviceProduct, deviceVersion, classId, name, severity] = header as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^\d{1,2}$/.test(version.trim()))
    return `CEF version "${version.slice(0, 20)}" is not a number`;
  return {
    version: Number(version.trim()),
    deviceVendor,
    deviceProduct,
    deviceVersion,
    deviceEventClassId: classId,
    name,
    severity,
    extension: parseExtension(text.slice(i)),
  };
}

const KEY = /(?:^|\s)([A-Za-z0-9_.[\]-]{1,64})=/g;

function parseExtension(text: string): Record<string, string> {
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  KEY.lastIndex = 0;
  let previousKey: string | undefined;
  let valueStart = 0;
  for (let m = KEY.exec(text); m !== null; m = KEY.exec(text)) {
    const keyStart = m.index + (m[0].length - m[1]!.length - 1);
    if (previousKey !== undefined)
      result[previousKey] = unescapeValue(text.slice(valueStart, keyStart).trimEnd());
    previousKey = m[1];
    valueStart = m.index + m[0].length;
  }
  if (previousKey !== undefined)
    result[previousKey] = unescapeValue(text.slice(valueStart).trimEnd());
  return result;
}

function unescapeValue(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\([=\\|nr])/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c,
  );
}
