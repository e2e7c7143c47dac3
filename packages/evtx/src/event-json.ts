/**
 * The `evtx_dump` JSON shape of one record, as analysts' tools and SigmaHQ's regression `.json`
 * files write it: an element is a scalar when it has only text, an object when it has children
 * or attributes (`#attributes` for attributes, `#text` for text beside attributes), and repeated
 * sibling names collect into an array.
 */
export type EventJsonScalar = string | number | boolean | null;

export type EventJsonValue = EventJsonScalar | readonly EventJsonValue[] | EventJsonObject;

export interface EventJsonObject {
  readonly [name: string]: EventJsonValue;
}

/** A whole record: `{ Event: { "#attributes", System, EventData | UserData, … } }`. */
export interface EventJson {
  readonly Event: EventJsonObject;
}
