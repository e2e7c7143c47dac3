/**
 * The incident journal route on both dialects: a page of the incident's entries (only its
 * own, in order, paged by `afterSeq`), and the chain status behind it — intact to a signed
 * checkpoint, intact to the head but not signed yet, broken at the entry that was changed or
 * removed. A client viewer reads it; another tenant's caller and an unknown incident get
 * nothing; a page over 200 is refused by the schema.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';

interface JournalPage {
  items: { seq: number; incidentId: string | null; kind: string; hash: string }[];
  nextAfterSeq: number | null;
  chain: { kind: string; [key: string]: unknown };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`incident journal (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let otherTenant: string;
    let incidentId: string;
    let viewer: string;
    beforeEach(async () => {
      // Checkpoints only when the test signs them.
      t = await startTestServer(dialect, { checkpointIntervalMs: 3_600_000 });
      const { access, incidents } = t.server.services;
      tenantId = (await access.createTenant(system, 'Acme')).id;
      otherTenant = (await access.createTenant(system, 'Other')).id;
      const incident = await incidents.create(system, tenantId, {
        title: 'Web shell',
        severity: 'high',
      });
      incidentId = incident.id;
      const unrelated = await incidents.create(system, tenantId, {
        title: 'Unrelated',
        severity: 'low',
      });
      for (let i = 0; i < 5; i++) {
        await incidents.addNote(system, tenantId, incidentId, `note ${i}`);
        await incidents.addNote(system, tenantId, unrelated.id, `other ${i}`);
      }
      viewer = await t.token(tenantId, 'client_viewer');
    }, 60_000);
    afterEach(async () => t?.dispose());

    const page = async (query = '', token = viewer, incident = incidentId, tenant = tenantId) => {
      const response = await t.server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenant}/incidents/${incident}/journal${query}`,
        headers: bearer(token),
      });
      return { status: response.statusCode, body: response.json<JournalPage>() };
    };
    const db = () => t.server.store.database.kysely;

    it("pages the incident's own entries in order and says none is signed yet", async () => {
      const first = await page('?limit=4');
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(4);
      expect(first.body.items.every((e) => e.incidentId === incidentId)).toBe(true);
      const seqs = first.body.items.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(first.body.nextAfterSeq).toBe(seqs.at(-1));
      expect(first.body.chain).toMatchObject({
        kind: 'uncovered',
        fromSeq: seqs[0],
        coveredToSeq: null,
      });
      const rest = await page(`?limit=4&afterSeq=${first.body.nextAfterSeq}`);
      expect(rest.body.items.length).toBeGreaterThan(0);
      expect(rest.body.items[0]!.seq).toBeGreaterThan(seqs.at(-1)!);
      expect(rest.body.nextAfterSeq).toBeNull();
      // opened + 5 notes, whatever else the opening journals
      expect(first.body.items.length + rest.body.items.length).toBeGreaterThanOrEqual(6);
    });

    it('verifies the chain to the signed checkpoint, then marks newer entries uncovered', async () => {
      const checkpoint = await t.server.services.journal.checkpoint(tenantId);
      expect(checkpoint).toBeDefined();
      const signed = await page();
      expect(signed.body.chain).toMatchObject({
        kind: 'verified',
        toSeq: checkpoint!.seq,
        checkpointNumber: 1,
        checkpointAt: new Date(checkpoint!.at).toISOString(),
      });
      await t.server.services.incidents.addNote(
        system,
        tenantId,
        incidentId,
        'after the checkpoint',
      );
      const newer = await page();
      expect(newer.body.chain).toMatchObject({ kind: 'uncovered', coveredToSeq: checkpoint!.seq });
      // The first page still ends before the checkpoint: verified.
      expect((await page('?limit=2')).body.chain).toMatchObject({ kind: 'verified' });
    });

    it('names the entry whose content was changed', async () => {
      await t.server.services.journal.checkpoint(tenantId);
      const changed = (await page()).body.items[2]!.seq;
      await sql`UPDATE journal_entries SET actor = ${'someone else'} WHERE tenant_id = ${tenantId} AND seq = ${changed}`.execute(
        db(),
      );
      const status = (await page()).body.chain;
      expect(status).toMatchObject({ kind: 'broken', seq: changed });
      expect(String(status['reason'])).toContain('altered');
    });

    it("names a removed entry, one of another incident's inside the stretch too", async () => {
      await t.server.services.journal.checkpoint(tenantId);
      const entries = (await page()).body.items;
      // The entry after the incident's second belongs to the other incident (notes alternate).
      const between = entries[1]!.seq + 1;
      expect(entries.some((e) => e.seq === between)).toBe(false);
      await sql`DELETE FROM journal_entries WHERE tenant_id = ${tenantId} AND seq = ${between}`.execute(
        db(),
      );
      const status = (await page()).body.chain;
      expect(status).toMatchObject({ kind: 'broken', seq: between });
      expect(String(status['reason'])).toContain('missing');
    });

    it('keeps other tenants and unknown incidents out, and bounds the page', async () => {
      const outsider = await t.token(otherTenant, 'incident_lead');
      expect((await page('', outsider)).status).toBe(403);
      expect((await page('', outsider, incidentId, otherTenant)).status).toBe(404);
      expect((await page('', viewer, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await page('?limit=5000')).status).toBe(400);
      expect((await page('?limit=999')).body.items.length).toBeLessThanOrEqual(200);
    });
  });
}
