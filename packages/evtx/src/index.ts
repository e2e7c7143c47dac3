/** @cordon/evtx public API. */
export type { EventJson, EventJsonObject, EventJsonScalar, EventJsonValue } from './event-json.ts';
export { flattenEvent } from './flat-view.ts';
export type { FlatEvent, FlatScalar, FlatValue } from './flat-view.ts';
export { readEvtx } from './evtx-file.ts';
export type { EvtxItem, EvtxProblem, EvtxRecord } from './evtx-item.ts';
export { recordEvent } from './evtx-item.ts';
export { EvtxFormatError } from './evtx-format-error.ts';
export type { EvtxErrorCode } from './evtx-format-error.ts';
export type { FileHeader } from './file-header.ts';
export { FiletimeValue, GuidValue } from './xml-tree.ts';
export type {
  XmlAttribute,
  XmlContent,
  XmlElement,
  XmlScalar,
  XmlText,
  XmlValue,
} from './xml-tree.ts';
export { recordJson } from './render-json.ts';
export { recordXml } from './render-xml.ts';
export { recordFlat } from './record-flat.ts';
export type { RecordFlatOptions } from './record-flat.ts';
export { readEvtxBlocks, readEvtxStream } from './evtx-stream.ts';
