/**
 * The flat view of an event that Sigma detection matches against: one level of field names as
 * SigmaHQ's Windows rules spell them. `System` children keep their names (`EventID`, `Channel`,
 * `Computer`, `Level` …); a `System` child's attributes become `<element>_<attribute>`
 * (`Provider_Name`, `Security_UserID`, `TimeCreated_SystemTime`, `EventID_Qualifiers`);
 * `EventData` fields keep their `Name`; `UserData` contributes every leaf by its element name,
 * whatever its depth. Unnamed `<Data>` elements (classic providers such as Windows PowerShell)
 * become the field `Data`. A name seen more than once collects its values in an array, in
 * document order, so a rule on `Data` can match any of them. `xmlns` attributes carry no
 * meaning for detection and are left out.
 */
import type { EventJson, EventJsonObject, EventJsonScalar, EventJsonValue } from './event-json.ts';
import { ownField, setField } from './event-json.ts';

export type FlatScalar = EventJsonScalar;
export type FlatValue = FlatScalar | readonly FlatScalar[];
export type FlatEvent = Readonly<Record<string, FlatValue>>;

const ATTRIBUTES = '#attributes';
const TEXT = '#text';

/** Builds the flat view of one record in the `evtx_dump` JSON shape. */
export function flattenEvent(event: EventJson): FlatEvent {
  const flat = new FlatBuilder();
  const root = event.Event;
  if (!isObject(root)) return flat.fields;
  flattenSystem(flat, root.System);
  flattenSection(flat, 'EventData', root.EventData);
  flattenSection(flat, 'UserData', root.UserData);
  return flat.fields;
}

/** `System`'s JSON: each child by its name, attributes as `<element>_<attribute>`. */
export function flattenSystem(flat: FlatBuilder, system: EventJsonValue | undefined): void {
  if (!isObject(system)) return;
  for (const [name, value] of Object.entries(system)) flat.element(name, value, false);
}

/** `EventData`'s or `UserData`'s JSON: every leaf by its name. */
export function flattenSection(
  flat: FlatBuilder,
  section: 'EventData' | 'UserData',
  body: EventJsonValue | undefined,
): void {
  if (isObject(body)) {
    // The section element's own attributes (rare) are not event fields.
    for (const [name, value] of Object.entries(body)) {
      if (name !== ATTRIBUTES) flat.element(name, value, true);
    }
  } else if (body !== undefined && body !== null && !Array.isArray(body)) {
    // `<EventData>text</EventData>`: text directly in the section.
    flat.add(section, body as EventJsonScalar);
  }
}

export class FlatBuilder {
  readonly fields: Record<string, FlatValue> = {};
  /** Names holding a space, in the order they were first added (see `withSpaceFreeNames`). */
  spaced: string[] | undefined;

  add(name: string, value: FlatScalar): void {
    const fields = this.fields;
    // One read decides in the common case: own values are never undefined or functions, so
    // either means the name is new (a function is Object.prototype's `constructor` …).
    const previous = name === '__proto__' ? ownField(fields, name) : (fields[name] as unknown);
    if (
      previous === undefined ||
      (typeof previous === 'function' && !Object.hasOwn(fields, name))
    ) {
      setField(fields, name, value);
      if (name.includes(' ')) (this.spaced ??= []).push(name);
      return;
    }
    const existing = previous as FlatValue;
    setField(fields, name, isScalar(existing) ? [existing, value] : [...existing, value]);
  }

  /**
   * Adds an element's text under its name and its attributes as `<name>_<attribute>`; with
   * `descend`, child elements add their own leaves by their own names (UserData trees).
   */
  element(name: string, value: EventJsonValue, descend: boolean): void {
    if (Array.isArray(value)) {
      for (const item of value as readonly EventJsonValue[]) this.element(name, item, descend);
      return;
    }
    if (!isObject(value)) {
      this.add(name, value as FlatScalar);
      return;
    }
    let hasChildren = false;
    for (const [key, child] of Object.entries(value)) {
      if (key === ATTRIBUTES) {
        if (isObject(child)) this.attributes(name, child);
      } else if (key === TEXT) {
        hasChildren = true;
        if (Array.isArray(child)) {
          for (const item of child as readonly EventJsonValue[]) this.add(name, leaf(item));
        } else {
          this.add(name, leaf(child));
        }
      } else if (descend) {
        hasChildren = true;
        this.element(key, child, true);
      }
    }
    // An element with attributes only (`<Provider Name=…/>`) has no value of its own, but an
    // element emptied of everything still says it was there.
    if (!hasChildren && !isObject(value[ATTRIBUTES])) this.add(name, null);
  }

  attributes(element: string, attributes: EventJsonObject): void {
    for (const [attribute, value] of Object.entries(attributes)) {
      if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) continue;
      this.add(`${element}_${attribute}`, leaf(value));
    }
  }
}

/**
 * Sigma's Windows field naming (rules spec, "Field Usage"): a field whose name holds spaces in
 * the log (Defender's `Source Name`) is written without them in rules (`SourceName`). The
 * fields with the space-free names added beside the originals, unless such a field exists;
 * the fields themselves when no name has a space. (@cordon/sigma's `withSigmaFieldNames` does
 * the same for any event; the builder knows its spaced names without a walk.)
 */
export function withSpaceFreeNames(flat: FlatBuilder): FlatEvent {
  const fields = flat.fields;
  if (flat.spaced === undefined) return fields;
  const out: Record<string, FlatValue> = { ...fields };
  for (const name of flat.spaced) {
    const stripped = name.replace(/ /g, '');
    if (!Object.hasOwn(fields, stripped)) setField(out, stripped, fields[name]);
  }
  return out;
}

function isScalar(value: FlatValue): value is FlatScalar {
  return !Array.isArray(value);
}

function isObject(value: EventJsonValue | undefined): value is EventJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value where a scalar is expected: nested structure there is kept as its JSON text. */
export function leaf(value: EventJsonValue): FlatScalar {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
}
