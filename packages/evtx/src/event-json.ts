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

/**
 * Sets an own field, `__proto__` included: names come from the record (a `Data` element may be
 * named anything) and must never reach an object's prototype.
 */
export function setField(object: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(object, name, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    object[name] = value;
  }
}

/** An own field's value, or undefined. */
export function ownField(object: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}
