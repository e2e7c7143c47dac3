/**
 * The console's live stream (`GET …/tenants/:tenantId/live`) over a real socket: changes
 * arrive as server-sent events numbered by the tenant's journal, a reconnect with
 * Last-Event-ID gets every change it missed, and another tenant's caller is refused.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';

interface LiveEvent {
  readonly id: number;
  readonly kind: string;
  readonly topic: string;
  readonly incidentId: string | null;
}

/** Reads events from an open stream until `enough` says stop (the stream is then closed). */
async function readEvents(
  response: Response,
  enough: (events: readonly LiveEvent[]) => boolean,
): Promise<LiveEvent[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: LiveEvent[] = [];
  let buffer = '';
  while (!enough(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id && data) {
        const parsed = JSON.parse(data) as Omit<LiveEvent, 'id'>;
        events.push({ id: Number(id), ...parsed });
      }
    }
  }
  await reader.cancel();
  return events;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`live stream (${dialect})`, () => {
    let t: TestServer;
    let base: string;
    let tenantId: string;
    let lead: string;
    let stranger: string;
    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      const other = (await t.server.services.access.createTenant(system, 'Other')).id;
      lead = await t.token(tenantId, 'incident_lead');
      stranger = await t.token(other, 'incident_lead');
      base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => t.dispose());

    const live = (token: string, headers: Record<string, string> = {}, tenant = tenantId) =>
      fetch(`${base}/api/v1/tenants/${tenant}/live`, { headers: { ...bearer(token), ...headers } });
    const createIncident = (title: string) =>
      t.server.services.incidents.create(system, tenantId, { title, severity: 'high' });

    it('pushes each change with its journal sequence, and resumes after Last-Event-ID', async () => {
      const stream = await live(lead);
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const first = await createIncident('first');
      const [event] = await readEvents(stream, (e) => e.length >= 1);
      expect(event).toMatchObject({
        kind: 'incident.created',
        topic: 'incident',
        incidentId: first.id,
      });

      // While nobody listens, two more changes; the reconnect gets both, in order, nothing else.
      const second = await createIncident('second');
      await t.server.services.incidents.addNote(system, tenantId, second.id, 'seen by the lead');
      const resumed = await live(lead, { 'last-event-id': String(event!.id) });
      const missed = await readEvents(resumed, (e) => e.length >= 2);
      expect(missed.map((e) => [e.kind, e.incidentId])).toEqual([
        ['incident.created', second.id],
        ['incident.note_added', second.id],
      ]);
      expect(missed[0]!.id).toBeGreaterThan(event!.id);
      expect(missed[1]!.id).toBeGreaterThan(missed[0]!.id);
    });

    it("refuses another tenant's caller and a malformed Last-Event-ID", async () => {
      const refused = await live(stranger);
      expect([403, 404]).toContain(refused.status);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBeDefined();
      const bad = await live(lead, { 'last-event-id': 'x; drop' });
      expect(bad.status).toBe(400);
    });

    it('refuses a fifth open stream of one caller with 429, and takes it once one closes', async () => {
      const streams = await Promise.all([1, 2, 3, 4].map(() => live(lead)));
      expect(streams.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const fifth = await live(lead);
      expect(fifth.status).toBe(429);
      expect(((await fifth.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      expect(fifth.headers.get('retry-after')).toBe('5');
      // Another caller is not held back by this one's streams.
      const otherCaller = await live(await t.token(tenantId, 'analyst'));
      expect(otherCaller.status).toBe(200);
      await otherCaller.body?.cancel();
      await streams[0]?.body?.cancel();
      await expect
        .poll(async () => {
          const again = await live(lead);
          const status = again.status;
          streams.push(again);
          return status;
        })
        .toBe(200);
      for (const stream of streams) await stream.body?.cancel().catch(() => undefined);
    });
  });
}
