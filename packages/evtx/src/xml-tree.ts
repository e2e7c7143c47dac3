/**
 * A record's event as a resolved XML tree: templates expanded, substitutions replaced by typed
 * values. Values keep their type so that JSON output can write numbers as numbers; the few
 * types Windows and JSON tools render differently (GUIDs, FILETIMEs) are small classes.
 */

/** A GUID; rendered `{…}` in XML as Windows does, bare in JSON as evtx_dump does. */
export class GuidValue {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** A FILETIME; `iso` has Windows' seven fractional digits, JSON keeps six (microseconds). */
export class FiletimeValue {
  readonly iso: string;
  constructor(iso: string) {
    this.iso = iso;
  }
}

export type XmlScalar = string | number | boolean | null | GuidValue | FiletimeValue;
/** Array substitution types (0x80 bit) give arrays. */
export type XmlValue = XmlScalar | readonly XmlScalar[];

export interface XmlAttribute {
  readonly name: string;
  /** One part is a typed value; several (text split over tokens) are joined as text. */
  readonly parts: readonly XmlValue[];
}

export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlContent[];
}

export interface XmlText {
  readonly kind: 'text';
  readonly value: XmlValue;
  /** CDATA sections are text, written back as CDATA in XML. */
  readonly cdata: boolean;
}

export interface XmlProcessingInstruction {
  readonly kind: 'pi';
  readonly target: string;
  readonly data: string;
}

export type XmlContent = XmlElement | XmlText | XmlProcessingInstruction;

/** A value as plain text (attribute values, text joined from several tokens). */
export function valueText(value: XmlValue, style: 'xml' | 'json'): string {
  if (Array.isArray(value)) return value.map((v: XmlScalar) => scalarText(v, style)).join(',');
  return scalarText(value as XmlScalar, style);
}

function scalarText(value: XmlScalar, style: 'xml' | 'json'): string {
  if (value === null) return '';
  if (value instanceof GuidValue) return style === 'xml' ? `{${value.text}}` : value.text;
  if (value instanceof FiletimeValue) return style === 'xml' ? value.iso : jsonTime(value.iso);
  return String(value);
}

/** `2019-07-19T14:42:51.4462813Z` → `2019-07-19T14:42:51.446281Z`. */
export function jsonTime(iso: string): string {
  return iso.length === 28 ? iso.slice(0, 26) + 'Z' : iso;
}
