/** @cordon/evtx public API. */
export type { EventJson, EventJsonObject, EventJsonScalar, EventJsonValue } from './event-json.ts';
export { flattenEvent } from './flat-view.ts';
export type { FlatEvent, FlatScalar, FlatValue } from './flat-view.ts';
