/**
 * The few facts of a stored event a timeline or process tree shows: its host, user, addresses,
 * process, and a one-line title. Events are normalised JSON written from attacker-controlled
 * input, so every field is read defensively and text is cut to a bound.
 */
import type { EventDocument } from '../ports/event-store.ts';

const MAX_TEXT = 300;

export function textAt(event: EventDocument, path: readonly string[]): string | undefined {
  let value: unknown = event;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value.length > 0 ? value.slice(0, 4096) : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function numberAt(event: EventDocument, path: readonly string[]): number | undefined {
  const text = textAt(event, path);
  if (text === undefined) return undefined;
  const value = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

export interface EventFacts {
  readonly host: string | null;
  readonly user: string | null;
  readonly sourceIp: string | null;
  readonly destinationIp: string | null;
  readonly processExecutable: string | null;
  readonly title: string;
}

const cut = (text: string): string =>
  text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;

export function eventFacts(event: EventDocument): EventFacts {
  const code = textAt(event, ['event', 'code']);
  const action = textAt(event, ['event', 'action']);
  const dataset = textAt(event, ['event', 'dataset']);
  const commandLine = textAt(event, ['process', 'command_line']);
  const message = textAt(event, ['message']);
  const what = [dataset, code === undefined ? undefined : `#${code}`, action]
    .filter((part) => part !== undefined)
    .join(' ');
  const body = commandLine ?? message ?? textAt(event, ['process', 'executable']) ?? '';
  return {
    host: textAt(event, ['host', 'name'])?.toLowerCase() ?? null,
    user: textAt(event, ['user', 'name']) ?? null,
    sourceIp: textAt(event, ['source', 'ip']) ?? null,
    destinationIp: textAt(event, ['destination', 'ip']) ?? null,
    processExecutable: textAt(event, ['process', 'executable']) ?? null,
    title: cut([what, body].filter((part) => part !== '').join(': ') || 'event'),
  };
}
