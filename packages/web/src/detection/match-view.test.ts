/**
 * The console's `matchView` gives the answers of @cordon/ingest's `sigmaView` (what live
 * detection matches) for events as the API hands them to the browser: parsed by the real
 * parsers, then through JSON. Non-enumerable keys (`event.original`) are compared too.
 */
import { parseRecord, sigmaView } from '@cordon/ingest';
import * as samples from '@cordon/ingest/testing';
import { describe, expect, it } from 'vitest';
import { matchView } from './match-view.ts';

function everyKey(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(everyKey);
  const out: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(value).sort()) {
    const enumerable = Object.prototype.propertyIsEnumerable.call(value, key);
    out[enumerable ? key : `(hidden) ${key}`] = everyKey((value as Record<string, unknown>)[key]);
  }
  return out;
}

const records: readonly string[] = [
  '<38>Oct 11 22:14:15 bastion sshd[4021]: Failed password for root from 198.51.100.23 port 40111 ssh2',
  ...Object.values(samples).map((s) => (typeof s === 'string' ? s : JSON.stringify(s))),
  // A source field named like an ECS object, and dotted keys inside an object.
  JSON.stringify({ source: 'fw-1', user: { 'name.first': 'a' }, message: 'x' }),
];

describe('matchView', () => {
  it('matches what live detection matches, for every sample source', () => {
    let compared = 0;
    for (const record of records) {
      const outcome = parseRecord(record, { receivedAt: new Date('2024-10-11T22:14:20Z') });
      if (outcome.kind !== 'events') continue;
      for (const event of outcome.events) {
        const overTheWire = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
        expect(everyKey(matchView(overTheWire))).toEqual(everyKey(sigmaView(event)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(records.length - 2);
  });
});
