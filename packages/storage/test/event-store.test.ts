/**
 * The event store on both dialects: idempotent batches, day partitions, dead letters kept
 * byte for byte, retention, and tenants kept apart.
 */
import type { EventDocument, EventProvenance } from '@cordon/core';
import { newId, parseQuery } from '@cordon/core';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventPartitions } from '../src/index.ts';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const DAY = 86_400_000;

export function sampleEvent(overrides: Record<string, unknown> = {}): EventDocument {
  return {
    '@timestamp': '2026-11-27T10:00:00.000Z',
    event: {
      kind: 'event',
      dataset: 'system.auth',
      code: '4625',
      ingested: '2026-11-27T10:00:01.000Z',
    },
    message: 'Failed password for root from 203.0.113.9 port 4242 ssh2',
    host: { name: 'web01' },
    user: { name: 'root' },
    source: { ip: '203.0.113.9', port: 4242 },
    log_source: { product: 'linux', service: 'sshd' },
    fields: { EventID: 4625 },
    ...overrides,
  };
}

async function addTenant(t: TestStore, name: string): Promise<string> {
  const id = newId();
  await t.store.transaction((uow) => uow.tenants.insert({ id, name, createdAt: Date.now() }));
  return id;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`event store (${dialect})`, () => {
    let t: TestStore;
    let tenantA: string;
    let tenantB: string;
    beforeEach(async () => {
      t = await openTestStore(dialect);
      tenantA = await addTenant(t, 'A');
      tenantB = await addTenant(t, 'B');
    });
    afterEach(async () => t.dispose());

    it('stores a batch once: a retried batch id returns the first ids and writes nothing', async () => {
      const events = t.store.events;
      const batch = {
        batchId: 'batch-1',
        events: [sampleEvent(), sampleEvent({ message: 'two' })],
      };
      const first = await events.appendBatch(tenantA, batch);
      expect(first.duplicate).toBe(false);
      expect(first.ids).toHaveLength(2);
      const again = await events.appendBatch(tenantA, {
        batchId: 'batch-1',
        events: [sampleEvent({ message: 'different content, same batch' })],
      });
      expect(again).toEqual({ batchId: 'batch-1', duplicate: true, ids: first.ids });
      expect(await events.count(tenantA, {})).toBe(2);
      // The same batch id from another tenant is another batch.
      const other = await events.appendBatch(tenantB, batch);
      expect(other.duplicate).toBe(false);
      expect(await events.count(tenantB, {})).toBe(2);

      const stored = await events.getEvent(tenantA, first.ids[1]!);
      expect(stored?.event).toEqual(sampleEvent({ message: 'two' }));
      expect(stored?.timestamp).toBe(Date.parse('2026-11-27T10:00:00.000Z'));
      expect(stored?.ingestedAt).toBe(Date.parse('2026-11-27T10:00:01.000Z'));
    });

    it("writes a batch's dead letters with its events: both or neither, never twice", async () => {
      const events = t.store.events;
      const letter = (reason: string) => ({
        source: 'http',
        reason,
        code: 'not_json',
        raw: new TextEncoder().encode(`{${reason}`),
        receivedAt: Date.parse('2026-11-27T10:00:02.000Z'),
      });
      const batch = {
        batchId: 'mixed',
        events: [sampleEvent()],
        deadLetters: [letter('one'), letter('two')],
      };
      expect((await events.appendBatch(tenantA, batch)).duplicate).toBe(false);
      expect((await events.appendBatch(tenantA, batch)).duplicate).toBe(true);
      const listed = await events.listDeadLetters(tenantA, { limit: 10, offset: 0 });
      expect(listed.items.map((l) => l.reason).sort()).toEqual(['one', 'two']);
      expect(await events.count(tenantA, {})).toBe(1);

      // A letter the database refuses (no reason: NOT NULL) takes the batch's events with it.
      const refused = {
        batchId: 'refused',
        events: [sampleEvent({ message: 'must not stay' })],
        deadLetters: [{ ...letter('x'), reason: null as unknown as string }],
      };
      await expect(events.appendBatch(tenantA, refused)).rejects.toThrow();
      expect(await events.count(tenantA, {})).toBe(1);
      expect((await events.listDeadLetters(tenantA, { limit: 10, offset: 0 })).total).toBe(2);
      // Nothing of it was recorded either: the same batch id, now writable, is new.
      const retried = await events.appendBatch(tenantA, { ...refused, deadLetters: [] });
      expect(retried.duplicate).toBe(false);
      expect(await events.count(tenantA, {})).toBe(2);
    });

    // Found by the bulk-body fuzz (issue 13, keep them closed): 11,000 bad lines in one body
    // bound 110,000 variables in one INSERT; SQLite refused it, and the batch failed for good
    // (503 on every retry).
    it('writes a batch with ten thousand dead letters, and marks them all replayed', async () => {
      const events = t.store.events;
      const letters = Array.from({ length: 10_000 }, (_, i) => ({
        source: 'http',
        reason: `bad line ${i}`,
        code: 'malformed',
        raw: new TextEncoder().encode(`sh2 ${i}`),
        receivedAt: 1000 + i,
      }));
      const written = await events.appendBatch(tenantA, {
        batchId: 'many-bad-lines',
        events: [sampleEvent()],
        deadLetters: letters,
      });
      expect(written.duplicate).toBe(false);
      const listed = await events.listDeadLetters(tenantA, { limit: 1, offset: 0 });
      expect(listed.total).toBe(10_000);
      const page = await events.listDeadLetters(tenantA, { limit: 10_000, offset: 0 });
      await events.markReplayed(
        tenantA,
        page.items.map((l) => l.id),
        { status: 'replayed', at: 5000 },
      );
      const pending = await events.listDeadLetters(tenantA, {
        limit: 1,
        offset: 0,
        status: 'pending',
      });
      expect(pending.total).toBe(0);
    });

    it('keeps tenants apart on every read', async () => {
      const events = t.store.events;
      const a = await events.appendBatch(tenantA, { batchId: 'a', events: [sampleEvent()] });
      await events.appendBatch(tenantB, {
        batchId: 'b',
        events: [sampleEvent({ host: { name: 'b-host' } })],
      });
      expect(await events.getEvent(tenantB, a.ids[0]!)).toBeUndefined();
      const found = await events.search(tenantB, { limit: 10 });
      expect(found.events.map((e) => e.event['host'])).toEqual([{ name: 'b-host' }]);
      expect(await events.terms(tenantA, { field: 'host.name', size: 10 })).toEqual([
        { value: 'web01', count: 1 },
      ]);
      expect(await events.purgeOlderThan(tenantB, Date.parse('2100-01-01'))).toBe(1);
      expect(await events.count(tenantA, {})).toBe(1);
    });

    it('stores a large batch spanning several days (day partitions on PostgreSQL)', async () => {
      const events = t.store.events;
      const now = Date.now();
      const batch = Array.from({ length: 1000 }, (_, i) =>
        sampleEvent({ '@timestamp': new Date(now - (i % 3) * DAY).toISOString(), seq: i }),
      );
      const result = await events.appendBatch(tenantA, { batchId: 'days', events: batch });
      expect(new Set(result.ids).size).toBe(1000);
      expect(await events.count(tenantA, {})).toBe(1000);
      expect(await events.count(tenantA, { from: now - DAY / 2 })).toBe(334);
      const page = await events.search(tenantA, { limit: 5, sort: 'asc' });
      expect(page.total).toBe(1000);
      expect(page.events[0]!.timestamp).toBeLessThanOrEqual(page.events[4]!.timestamp);
      if (dialect === 'postgres') {
        const db = t.store.database.kysely as unknown as Kysely<unknown>;
        const partitions = await EventPartitions.list(db);
        const day = (ms: number) =>
          `events_p${new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')}`;
        expect(partitions).toEqual(
          expect.arrayContaining([day(now), day(now - DAY), day(now - 2 * DAY), 'events_default']),
        );
        const inDefault = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM events_default`.execute(db);
        expect(inDefault.rows[0]?.n).toBe(0);
        // A far-off date has no partition of its own: the default one catches it.
        await events.appendBatch(tenantA, {
          batchId: 'old',
          events: [sampleEvent({ '@timestamp': '1999-01-01T00:00:00Z' })],
        });
        const old = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events_default`.execute(
          db,
        );
        expect(old.rows[0]?.n).toBe(1);
      }
    });

    it('refuses events for a tenant that does not exist, and ids that are not event ids', async () => {
      await expect(
        t.store.events.appendBatch(newId(), { batchId: 'x', events: [sampleEvent()] }),
      ).rejects.toThrow('tenant not found');
      expect(await t.store.events.getEvent(tenantA, 'not-an-id')).toBeUndefined();
      expect(await t.store.events.getEvent(tenantA, newId())).toBeUndefined();
    });

    it('rejects an empty or oversized batch id and writes nothing', async () => {
      await expect(
        t.store.events.appendBatch(tenantA, { batchId: '', events: [sampleEvent()] }),
      ).rejects.toThrow(/batch id/);
      await expect(
        t.store.events.appendBatch(tenantA, { batchId: 'x'.repeat(201), events: [sampleEvent()] }),
      ).rejects.toThrow(/batch id/);
      expect(await t.store.events.count(tenantA, {})).toBe(0);
    });

    it('stores events with odd content: NUL characters, unicode, missing time', async () => {
      const odd = sampleEvent({
        message: 'nul\u0000here \\u0000 é 🚀',
        '@timestamp': 'not a time',
      });
      const [id] = (await t.store.events.appendBatch(tenantA, { batchId: 'odd', events: [odd] }))
        .ids;
      const stored = await t.store.events.getEvent(tenantA, id!);
      expect(stored?.event['message']).toBe(
        dialect === 'sqlite' ? 'nul\u0000here \\u0000 é 🚀' : 'nul\ufffdhere \\u0000 é 🚀',
      );
      // Without a readable @timestamp the event is filed under its ingest time.
      expect(stored?.timestamp).toBe(Date.parse('2026-11-27T10:00:01.000Z'));
    });

    it('keeps dead letters byte for byte, lists them per tenant and records replays', async () => {
      const events = t.store.events;
      const raw = new Uint8Array([0xff, 0xfe, 0x00, 0x3c, 0x31, 0x33, 0x3e, 0xc3, 0x28, 0x0a]);
      const ids = await events.addDeadLetters(tenantA, [
        {
          source: 'syslog-udp:514',
          reason: 'invalid UTF-8 at byte 0',
          code: 'invalid_utf8',
          raw,
          receivedAt: 1000,
        },
        {
          source: 'http',
          reason: 'not JSON',
          code: 'invalid_json',
          raw: new Uint8Array(),
          receivedAt: 2000,
        },
      ]);
      expect(ids).toHaveLength(2);
      const letter = await events.getDeadLetter(tenantA, ids[0]!);
      expect(letter).toMatchObject({
        tenantId: tenantA,
        source: 'syslog-udp:514',
        code: 'invalid_utf8',
        status: 'pending',
        receivedAt: 1000,
        replayedAt: null,
      });
      expect(Buffer.from(letter!.raw).equals(Buffer.from(raw))).toBe(true);
      expect(await events.getDeadLetter(tenantB, ids[0]!)).toBeUndefined();
      const listed = await events.listDeadLetters(tenantA, { limit: 1, offset: 0 });
      expect(listed.total).toBe(2);
      expect(listed.items.map((l) => l.id)).toEqual([ids[1]]);
      expect((await events.listDeadLetters(tenantB, { limit: 10, offset: 0 })).total).toBe(0);

      await events.markReplayed(tenantB, [ids[0]!], { status: 'replayed', at: 3000 });
      expect((await events.getDeadLetter(tenantA, ids[0]!))?.status).toBe('pending');
      await events.markReplayed(tenantA, [ids[0]!], {
        status: 'replayed',
        at: 3000,
        detail: 'event 1',
      });
      expect(await events.getDeadLetter(tenantA, ids[0]!)).toMatchObject({
        status: 'replayed',
        replayedAt: 3000,
        replayOutcome: 'event 1',
      });
      const pending = await events.listDeadLetters(tenantA, {
        limit: 10,
        offset: 0,
        status: 'pending',
      });
      expect(pending.items.map((l) => l.id)).toEqual([ids[1]]);
    });

    it('purges by age per tenant retention', async () => {
      const events = t.store.events;
      const now = Date.parse('2026-11-28T12:00:00Z');
      const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
      for (const tenant of [tenantA, tenantB]) {
        await events.appendBatch(tenant, {
          batchId: 'r',
          events: [1, 5, 40].map((d) => sampleEvent({ '@timestamp': at(d) })),
        });
      }
      expect(await events.retention(tenantA)).toBeNull();
      await events.setRetention(tenantA, 30);
      expect(await events.retention(tenantA)).toBe(30);
      await expect(events.setRetention(tenantA, 0)).rejects.toThrow(/at least 1/);
      expect(await events.purgeExpired(now)).toEqual([{ tenantId: tenantA, deleted: 1 }]);
      expect(await events.count(tenantA, {})).toBe(2);
      expect(await events.count(tenantB, {})).toBe(3);
      await events.setRetention(tenantA, 2);
      expect(await events.purgeExpired(now)).toEqual([{ tenantId: tenantA, deleted: 1 }]);
      await events.setRetention(tenantA, null);
      expect(await events.purgeExpired(now)).toEqual([]);
    });

    // issue 13 item 5: how each event arrived is stored beside it (not inside it), read back
    // with it, and searchable by kind; rows that name none read back as `unrecorded`.
    it("keeps each event's provenance beside it, in every partition, and searches by its kind", async () => {
      const events = t.store.events;
      const agent: EventProvenance = { kind: 'agent', agentId: 'agent-1', host: 'web01' };
      const token: EventProvenance = { kind: 'http', credential: 'token', id: 'tok-1' };
      // A forged record claiming a provenance of its own: it stays a field of the event.
      const forged = sampleEvent({ provenance: { kind: 'agent', agentId: 'agent-1' } });
      const days = [0, 3].map((d) => new Date(Date.parse('2026-11-27T10:00:00Z') + d * DAY));
      const { ids } = await events.appendBatch(tenantA, {
        batchId: 'provenance-1',
        events: [
          sampleEvent({ '@timestamp': days[0]!.toISOString() }),
          { ...forged, '@timestamp': days[1]!.toISOString() },
        ],
        provenance: [agent, token],
      });
      const plain = await events.appendBatch(tenantA, {
        batchId: 'plain',
        events: [sampleEvent()],
      });
      expect((await events.getEvent(tenantA, ids[0]!))?.provenance).toEqual(agent);
      expect((await events.getEvent(tenantA, ids[1]!))?.provenance).toEqual(token);
      expect((await events.getEvent(tenantA, plain.ids[0]!))?.provenance).toEqual({
        kind: 'unrecorded',
      });
      const byKind = await events.search(tenantA, {
        query: parseQuery('provenance.kind:agent'),
        limit: 10,
      });
      expect(byKind.events.map((e) => e.id)).toEqual([ids[0]]);
      expect(byKind.events[0]?.provenance).toEqual(agent);
      await expect(
        events.appendBatch(tenantA, {
          batchId: 'provenance-2',
          events: [sampleEvent(), sampleEvent()],
          provenance: [agent],
        }),
      ).rejects.toThrow(/provenance of every event or none/);
    });
  });
}
