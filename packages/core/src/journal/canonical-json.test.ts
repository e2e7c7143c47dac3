/**
 * issue 13 ("canonical JSON exists twice"): after the journal moved to protocol's encoder,
 * stored hashes must keep verifying. These hashes were computed by the journal's own copy
 * before the merge; an entry nested 64 levels deep (which the agent copy refused) included.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson as protocolCanonicalJson } from '@cordon/protocol';
import { canonicalJson } from './canonical-json.ts';
import { journalEntryHash } from './journal-entry.ts';

const objects = (levels: number, inner: unknown): unknown => {
  let value = inner;
  for (let i = 0; i < levels; i += 1) value = { k: value };
  return value;
};

describe('journal hashes with the one canonical JSON', () => {
  it('is the protocol function itself', () => {
    expect(canonicalJson).toBe(protocolCanonicalJson);
  });

  it('hashes entries exactly as before', () => {
    expect(
      journalEntryHash({
        tenantId: 'tenant-a',
        seq: 1,
        at: 1700000000000,
        actor: 'user:alice@example.org',
        kind: 'incident.created',
        incidentId: 'inc-1',
        payload: {
          title: 'Brute force on h1',
          severity: 'high',
          tags: ['ssh', 'é😀'],
          count: 12,
          ratio: 0.25,
          nothing: null,
        },
        prevHash: '0'.repeat(64),
      }),
    ).toBe('2b5f18169fd12a5fe7163678275d4a2f4a88c0da586f4702797ddc1faba2b1e1');
    expect(
      journalEntryHash({
        tenantId: 'tenant-a',
        seq: 2,
        at: 1700000000001,
        actor: 'system',
        kind: 'deep',
        incidentId: null,
        payload: objects(63, 'leaf'),
        prevHash: 'a'.repeat(64),
      }),
    ).toBe('07c17e515a2e4d02b8e3b2c9785b7caafb4efe7d89630f3314e7106f43f12da5');
  });
});
