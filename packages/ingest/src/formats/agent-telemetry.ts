/**
 * The Cordon agent's process and connection telemetry (`packages/agent/src/telemetry`): JSON
 * already in the event's three parts — ECS at the top (`process.*`, `source/destination.*`,
 * `network.*`, `user.*`, `host.name`), the Sigma-facing names under `fields` (`Image`,
 * `CommandLine`, `ParentImage`, `DestinationIp` …) and a SigmaHQ `log_source` (linux
 * process_creation / network_connection). They are kept as the agent sent them, so Sigma's
 * Linux rules and the network detectors read the same names as for other sources. Whether an
 * event really came from an agent is its provenance, not this shape.
 */
import type { EventParts } from '../event-builder.ts';
import type { JsonObject, JsonValue } from '../ingest-event.ts';
import { parseTimestampValue } from '../time/parse-timestamp.ts';
import { obj, str } from './json-values.ts';

const DATASETS = new Set(['agent.process', 'agent.network']);
const ECS_PARTS = ['host', 'source', 'destination', 'network', 'process', 'user'] as const;

export function isAgentTelemetry(value: JsonObject): boolean {
  const dataset = obj(value.event).dataset;
  return typeof dataset === 'string' && DATASETS.has(dataset) && isObject(value.fields);
}

export function agentTelemetryParts(value: JsonObject): EventParts {
  const event = obj(value.event);
  const logSource = obj(value.log_source);
  const ecs: Record<string, JsonValue> = {};
  for (const key of ECS_PARTS) if (isObject(value[key])) ecs[key] = value[key];
  return {
    ...ecs,
    timestamp: parseTimestampValue(value['@timestamp']),
    event: {
      dataset: str(event.dataset)!,
      module: 'agent',
      action: str(event.action),
      category: stringList(event.category),
      type: stringList(event.type),
    },
    log_source: {
      product: str(logSource.product),
      service: str(logSource.service),
      category: str(logSource.category),
    },
    fields: obj(value.fields),
  };
}

function stringList(value: JsonValue | undefined): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
