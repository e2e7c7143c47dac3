/** The flat view (flat-view.ts) of a parsed record. */
import type { EvtxRecord } from './evtx-item.ts';
import { flattenEvent } from './flat-view.ts';
import type { FlatEvent } from './flat-view.ts';
import { recordJson } from './render-json.ts';

export function recordFlat(record: EvtxRecord): FlatEvent {
  return flattenEvent(recordJson(record));
}
