/**
 * Telemetry events as the agent ships them: plain JSON objects with ECS fields
 * (`@timestamp`, `event.*`, `host.name`, `process.*`, `source.*`/`destination.*`), the
 * Sigma-facing names under `fields` (`Image`, `CommandLine`, `ParentImage`, `User` …) and a
 * Sigma `log_source`, the same three parts `@cordon/ingest` events have. Raw log lines are
 * sent as `event.original` + `message` so the server's ingest parsers can parse them fully.
 */
export type TelemetryEvent = Readonly<Record<string, unknown>>;

export interface TelemetryCollector {
  readonly name: string;
  /** Returns the events observed since the previous poll. */
  poll(): Promise<TelemetryEvent[]>;
}
