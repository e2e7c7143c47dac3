/** @cordon/ingest public API: parsing and ECS normalisation of telemetry. */
export type {
  EcsEndpoint,
  EcsEvent,
  EcsProcess,
  EcsUser,
  EventKind,
  EventOutcome,
  IngestEvent,
  JsonObject,
  JsonValue,
  LogSource,
  SyslogEcs,
} from './ingest-event.ts';
export { eventField, eventKeywordText } from './event-field.ts';
export { sigmaView } from './sigma-view.ts';
export { parseJsonValue, parseRecord } from './parse-record.ts';
export { LineRecordReader, MAX_ZEEK_HEADER_LINE_BYTES } from './line-record-reader.ts';
export type { LineOutcome } from './line-record-reader.ts';
export { MAX_ZEEK_FIELDS, MAX_ZEEK_HEADER_LINES } from './formats/zeek-tsv.ts';
export type { ZeekTsvHeader } from './formats/zeek-tsv.ts';
export { MAX_NETFILTER_TOKENS } from './formats/netfilter.ts';
export type { ParseOutcome } from './parse-record.ts';
export type { ParseFailure, ParseFailureCode } from './parse-failure.ts';
export { DEFAULT_MAX_RECORD_BYTES, INGEST_FORMATS } from './parse-context.ts';
export type { IngestFormat, ParseContext, TenantDefaults } from './parse-context.ts';
export { detectTextFormat } from './detect/detect-format.ts';
export type { TextFormat } from './detect/detect-format.ts';
export { jsonShape, MAX_RECORDS_PER_INPUT } from './json-record.ts';
export type { JsonShape } from './json-record.ts';
export { MAX_JSON_DEPTH } from './json-depth.ts';
export { parseRfc3164 } from './syslog/rfc3164.ts';
export type { Rfc3164Options } from './syslog/rfc3164.ts';
export { parseRfc5424 } from './syslog/rfc5424.ts';
export type { SyslogMessage } from './syslog/syslog-message.ts';
export { parseCef } from './formats/cef.ts';
export type { CefRecord } from './formats/cef.ts';
export { inferYearEpoch, INFER_YEAR_MARGIN_MS } from './time/infer-year.ts';
export { isValidTimeZone, timeZoneOffset } from './time/utc-offset.ts';
export type { UtcOffset } from './time/utc-offset.ts';
export { HEAD_BYTES, SyslogStreamDecoder } from './framing/syslog-stream-decoder.ts';
export type {
  FrameEvent,
  Framing,
  FramingErrorCode,
  SyslogStreamOptions,
} from './framing/syslog-stream-decoder.ts';
export { eventEntities, normaliseIp } from './entities/event-entities.ts';
export type { EventEntity, HostRole, IpRole, UserRole } from './entities/event-entities.ts';
