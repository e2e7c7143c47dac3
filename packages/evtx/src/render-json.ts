/**
 * A record's XML tree in the `evtx_dump` JSON shape (see event-json.ts): typed values stay
 * typed, `<Data Name="X">v</Data>` under `EventData` becomes `X: v`, unnamed `Data` elements
 * gather under `Data: { "#text": … }`, and repeated sibling names become arrays.
 */
import type { EventJson, EventJsonObject, EventJsonValue } from './event-json.ts';
import { setField } from './event-json.ts';
import type { EvtxRecord } from './evtx-item.ts';
import { recordEvent } from './evtx-item.ts';
import { FiletimeValue, GuidValue, jsonTime, valueText } from './xml-tree.ts';
import type { XmlAttribute, XmlElement, XmlScalar, XmlValue } from './xml-tree.ts';

/** The record's event as evtx_dump JSON; a record without an element gives `{ Event: {} }`. */
export function recordJson(record: EvtxRecord): EventJson {
  const event = recordEvent(record);
  if (event === undefined) return { Event: {} };
  const value = elementJson(event);
  return { [event.name]: value, Event: event.name === 'Event' ? value : {} } as EventJson;
}

export function elementJson(element: XmlElement): EventJsonValue {
  const attributes = element.attributes.length > 0 ? attributesJson(element.attributes) : undefined;
  let fields: Record<string, EventJsonValue> | undefined;
  const texts: XmlValue[] = [];
  const namedData = element.name === 'EventData';
  let unnamedData: EventJsonValue[] | undefined;
  for (const child of element.children) {
    if (child.kind === 'text') {
      texts.push(child.value);
      continue;
    }
    if (child.kind === 'pi') continue;
    fields ??= {};
    if (namedData && child.name === 'Data') {
      const name = dataName(child);
      if (name === undefined) {
        (unnamedData ??= []).push(textJson(child));
        continue;
      }
      addField(fields, name, textJson(child));
      continue;
    }
    addField(fields, child.name, elementJson(child));
  }
  if (unnamedData !== undefined) {
    fields ??= {};
    addField(fields, 'Data', {
      '#text': unnamedData.length === 1 ? (unnamedData[0] as EventJsonValue) : unnamedData,
    });
  }
  if (fields === undefined && attributes === undefined) return partsJson(texts);
  const object: Record<string, EventJsonValue> = {};
  if (attributes !== undefined) object['#attributes'] = attributes;
  if (fields !== undefined) {
    if (Object.hasOwn(fields, '__proto__')) {
      for (const key of Object.keys(fields)) setField(object, key, fields[key]);
    } else {
      Object.assign(object, fields);
    }
  }
  if (texts.length > 0) object['#text'] = partsJson(texts);
  return object;
}

/** The text content of a `Data` element, typed when it is one value. */
export function textJson(element: XmlElement): EventJsonValue {
  if (element.children.length === 0) return null;
  if (element.children.length === 1) {
    const only = element.children[0];
    if (only?.kind === 'text') return valueJson(only.value);
  }
  const value = elementJson({ ...element, attributes: [] });
  return value;
}

export function dataName(element: XmlElement): string | undefined {
  for (const attribute of element.attributes) {
    if (attribute.name === 'Name') return partsText(attribute.parts);
  }
  return undefined;
}

function addField(
  fields: Record<string, EventJsonValue>,
  name: string,
  value: EventJsonValue,
): void {
  if (!Object.hasOwn(fields, name)) {
    setField(fields, name, value);
    return;
  }
  const previous = fields[name] as EventJsonValue;
  if (Array.isArray(previous) && isRepeated.has(previous))
    (previous as EventJsonValue[]).push(value);
  else setField(fields, name, repeated([previous, value]));
}

/** Arrays made from repeated siblings, as opposed to array values. */
const isRepeated = new WeakSet<readonly EventJsonValue[]>();

function repeated(values: EventJsonValue[]): EventJsonValue[] {
  isRepeated.add(values);
  return values;
}

export function attributesJson(attributes: readonly XmlAttribute[]): EventJsonObject {
  const object: Record<string, EventJsonValue> = {};
  for (const attribute of attributes) setField(object, attribute.name, partsJson(attribute.parts));
  return object;
}

export function partsJson(parts: readonly XmlValue[]): EventJsonValue {
  if (parts.length === 0) return null;
  if (parts.length === 1) return valueJson(parts[0] as XmlValue);
  return partsText(parts);
}

function partsText(parts: readonly XmlValue[]): string {
  let text = '';
  for (const part of parts) text += valueText(part, 'json');
  return text;
}

export function valueJson(value: XmlValue): EventJsonValue {
  if (Array.isArray(value)) return value.map((item: XmlScalar) => scalarJson(item));
  return scalarJson(value as XmlScalar);
}

function scalarJson(value: XmlScalar): EventJsonValue {
  // evtx_dump trims whitespace around text; SigmaHQ's regression data is written that way.
  if (typeof value === 'string') return value.trim();
  if (value instanceof GuidValue) return value.text;
  if (value instanceof FiletimeValue) return jsonTime(value.iso);
  return value;
}
