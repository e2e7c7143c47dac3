/**
 * The flat view (flat-view.ts) of a parsed record, built straight from its XML tree: the
 * same fields, values and order as `flattenEvent(recordJson(record))`, without building the
 * evtx_dump JSON first (hunting needs only the flat view, and the JSON of a record only when
 * it matches). The shapes Windows writes (`System` children with attributes or text,
 * `EventData` of `Data` elements) take the direct path; anything else in a section goes
 * through its JSON, so the two always agree (the test compares them on every sample).
 */
import type { EventJsonValue } from './event-json.ts';
import type { EvtxRecord } from './evtx-item.ts';
import { recordEvent } from './evtx-item.ts';
import {
  FlatBuilder,
  flattenSection,
  flattenSystem,
  leaf,
  withSpaceFreeNames,
} from './flat-view.ts';
import type { FlatEvent } from './flat-view.ts';
import { attributesJson, dataName, elementJson, partsJson, textJson } from './render-json.ts';
import type { XmlAttribute, XmlElement, XmlValue } from './xml-tree.ts';

export interface RecordFlatOptions {
  /**
   * Add Sigma's space-free names beside names with spaces (`SourceName` for `Source Name`),
   * as @cordon/sigma's `withSigmaFieldNames` would, without walking the event again.
   */
  readonly spaceFreeNames?: boolean;
}

export function recordFlat(record: EvtxRecord, options: RecordFlatOptions = {}): FlatEvent {
  const flat = new FlatBuilder();
  const event = recordEvent(record);
  if (event === undefined || event.name !== 'Event') return flat.fields;
  let system: XmlElement | undefined;
  let eventData: XmlElement | undefined;
  let userData: XmlElement | undefined;
  let systems = 0;
  let eventDatas = 0;
  let userDatas = 0;
  for (const child of event.children) {
    if (child.kind !== 'element') continue;
    if (child.name === 'System') {
      system = child;
      systems++;
    } else if (child.name === 'EventData') {
      eventData = child;
      eventDatas++;
    } else if (child.name === 'UserData') {
      userData = child;
      userDatas++;
    }
  }
  // A repeated section is an array in the JSON, which the flat view leaves out.
  if (systems === 1) systemFields(flat, system!);
  if (eventDatas === 1) eventDataFields(flat, eventData!);
  if (userDatas === 1) flattenSection(flat, 'UserData', elementJson(userData!));
  return options.spaceFreeNames === true ? withSpaceFreeNames(flat) : flat.fields;
}

function systemFields(flat: FlatBuilder, system: XmlElement): void {
  if (system.attributes.length > 0 || hasText(system)) {
    flattenSystem(flat, elementJson(system));
    return;
  }
  for (const child of system.children) {
    if (child.kind === 'element') systemChild(flat, child);
  }
}

/** `flat.element(name, elementJson(child), false)` without the JSON. */
function systemChild(flat: FlatBuilder, element: XmlElement): void {
  const name = element.name;
  const attributes = element.attributes;
  let texts: XmlValue[] | undefined;
  let elements = false;
  for (const child of element.children) {
    if (child.kind === 'text') (texts ??= []).push(child.value);
    else if (child.kind === 'element') elements = true;
  }
  if (attributes.length === 0 && !elements) {
    flat.element(name, partsJson(texts ?? []), false);
    return;
  }
  if (attributes.length > 0) {
    if (hasRepeatedName(attributes)) {
      flat.attributes(name, attributesJson(attributes));
    } else {
      for (const attribute of attributes) {
        const key = attribute.name;
        if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
        flat.add(`${name}_${key}`, leaf(partsJson(attribute.parts)));
      }
    }
  }
  if (texts !== undefined) {
    const text = partsJson(texts);
    if (Array.isArray(text)) {
      for (const item of text as readonly EventJsonValue[]) flat.add(name, leaf(item));
    } else {
      flat.add(name, leaf(text));
    }
  } else if (attributes.length === 0) {
    flat.add(name, null);
  }
}

/** `flattenSection(flat, 'EventData', elementJson(eventData))` without the JSON. */
function eventDataFields(flat: FlatBuilder, eventData: XmlElement): void {
  if (eventData.attributes.length > 0 || hasText(eventData)) {
    flattenSection(flat, 'EventData', elementJson(eventData));
    return;
  }
  let unnamed: EventJsonValue[] | undefined;
  for (const child of eventData.children) {
    if (child.kind !== 'element') continue;
    if (child.name !== 'Data') {
      flat.element(child.name, elementJson(child), true);
      continue;
    }
    const name = dataName(child);
    if (name === undefined) (unnamed ??= []).push(textJson(child));
    else flat.element(name, textJson(child), true);
  }
  // Unnamed `Data` elements gather under `Data: { "#text": … }` after the named fields.
  if (unnamed !== undefined) {
    const text = unnamed.length === 1 ? (unnamed[0] as EventJsonValue) : unnamed;
    if (Array.isArray(text)) {
      for (const item of text as readonly EventJsonValue[]) flat.add('Data', leaf(item));
    } else {
      flat.add('Data', leaf(text));
    }
  }
}

function hasText(element: XmlElement): boolean {
  for (const child of element.children) if (child.kind === 'text') return true;
  return false;
}

function hasRepeatedName(attributes: readonly XmlAttribute[]): boolean {
  for (let i = 1; i < attributes.length; i++) {
    for (let j = 0; j < i; j++) if (attributes[i]!.name === attributes[j]!.name) return true;
  }
  return false;
}
