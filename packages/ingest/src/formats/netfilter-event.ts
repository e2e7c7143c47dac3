/**
 * A netfilter packet-log line (netfilter.ts) → one event, with or without the syslog header
 * it came under. Log source: `linux` / category `firewall`.
 */
import type { EventParts } from '../event-builder.ts';
import { buildEvent } from '../event-builder.ts';
import type { IngestEvent } from '../ingest-event.ts';
import type { ParseContext } from '../parse-context.ts';
import { netfilterFacts } from './netfilter.ts';

export { isNetfilterLine } from './netfilter.ts';

/** What the caller already knows: the syslog header's parts, the original text. */
export interface NetfilterBase {
  readonly timestamp?: number;
  readonly message?: string;
  readonly host?: unknown;
  readonly log?: unknown;
  readonly event: { readonly original: string };
  readonly fields: Readonly<Record<string, unknown>>;
}

export function netfilterEvent(
  text: string,
  context: ParseContext,
  base: NetfilterBase,
): IngestEvent {
  const facts = netfilterFacts(text)!;
  const parts: EventParts = {
    ...base,
    ...facts.parts,
    timestamp: base.timestamp,
    message: base.message ?? text,
    event: { ...facts.parts.event, dataset: 'netfilter.log', original: base.event.original },
    log_source: { product: 'linux', category: 'firewall' },
    fields: { ...base.fields, ...facts.fields },
  };
  return buildEvent(parts, context);
}
