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
