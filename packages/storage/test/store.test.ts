import type { Principal } from '@cordon/core';
import {
  AccessService,
  IncidentService,
  JournalService,
  LoginThrottle,
  systemClock,
} from '@cordon/core';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateServerKey, signatureVerifier, verifyStoredJournal } from '../src/index.ts';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const system: Principal = { kind: 'system', name: 'test' };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`store on ${dialect}`, () => {
    let t: TestStore;
    let access: AccessService;
    let incidents: IncidentService;
    beforeEach(async () => {
      t = await openTestStore(dialect);
      access = new AccessService(t.store, systemClock, new LoginThrottle());
      incidents = new IncidentService(t.store, systemClock);
    });
    afterEach(async () => t.dispose());

    it('keeps each tenant’s incidents out of the other tenant’s reach', async () => {
      const a = await access.createTenant(system, 'Acme');
      const b = await access.createTenant(system, 'Globex');
      const incident = await incidents.create(system, a.id, {
        title: 'Phishing',
        severity: 'high',
      });
      expect(incident.number).toBe(1);
      await expect(incidents.get(system, b.id, incident.id)).rejects.toMatchObject({
        code: 'not_found',
      });
      const tokenB = await access.createToken(system, { tenantId: b.id, role: 'analyst' });
      const principalB = await access.authenticateToken(tokenB.token);
      expect(principalB).toMatchObject({ kind: 'token', tenantId: b.id });
      await expect(incidents.get(principalB!, a.id, incident.id)).rejects.toMatchObject({
        code: 'forbidden',
      });
      const listB = await incidents.list(system, b.id, {}, { limit: 10, offset: 0 });
      expect(listB.total).toBe(0);
    });

    it('rolls back the change and its journal entry together', async () => {
      const a = await access.createTenant(system, 'Acme');
      const before = await t.store.transaction(async (uow) => uow.forTenant(a.id).journal.head());
      await expect(
        t.store.transaction(async (uow) => {
          await uow.forTenant(a.id).journal.append({ actor: 'test', kind: 'x' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const after = await t.store.transaction(async (uow) => uow.forTenant(a.id).journal.head());
      expect(after).toEqual(before);
    });

    it('appends concurrently without breaking the chain', async () => {
      const a = await access.createTenant(system, 'Acme');
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          t.store.transaction(async (uow) =>
            uow.forTenant(a.id).journal.append({ actor: 'test', kind: 'n', payload: { i } }),
          ),
        ),
      );
      const key = loadOrCreateServerKey(t.dataDir);
      await new JournalService({ store: t.store, clock: systemClock, signer: key }).checkpoint(
        a.id,
      );
      const result = await verifyStoredJournal(t.store, a.id, signatureVerifier(key.publicKeyPem));
      expect(result).toMatchObject({ ok: true, entries: 41 });
    });

    describe('journal tampering', () => {
      let tenantId: string;
      let verify: () => ReturnType<typeof verifyStoredJournal>;
      beforeEach(async () => {
        const tenant = await access.createTenant(system, 'Acme');
        tenantId = tenant.id;
        for (let i = 0; i < 9; i++)
          await incidents.create(system, tenantId, { title: `incident ${i}`, severity: 'low' });
        const key = loadOrCreateServerKey(t.dataDir);
        await new JournalService({ store: t.store, clock: systemClock, signer: key }).checkpoint(
          tenantId,
        );
        verify = () => verifyStoredJournal(t.store, tenantId, signatureVerifier(key.publicKeyPem));
        expect(await verify()).toMatchObject({ ok: true, entries: 10, checkpointsVerified: 1 });
      });
      const db = () => t.store.database.kysely;

      it('names a changed entry', async () => {
        await sql`UPDATE journal_entries SET payload = ${'{"title":"nothing happened"}'} WHERE tenant_id = ${tenantId} AND seq = 4`.execute(
          db(),
        );
        expect(await verify()).toMatchObject({ ok: false, failure: { seq: 4 } });
      });

      it('names a deleted entry', async () => {
        await sql`DELETE FROM journal_entries WHERE tenant_id = ${tenantId} AND seq = 6`.execute(
          db(),
        );
        const result = await verify();
        expect(result).toMatchObject({ ok: false, failure: { seq: 6 } });
        expect(result.failure?.reason).toContain('missing');
      });

      it('names the last entry when the tail is cut off', async () => {
        await sql`DELETE FROM journal_entries WHERE tenant_id = ${tenantId} AND seq = 10`.execute(
          db(),
        );
        const result = await verify();
        expect(result).toMatchObject({ ok: false, failure: { seq: 10 } });
        expect(result.failure?.reason).toContain('signed checkpoint');
      });

      it('names reordered entries', async () => {
        await sql`UPDATE journal_entries SET seq = 1000 WHERE tenant_id = ${tenantId} AND seq = 3`.execute(
          db(),
        );
        await sql`UPDATE journal_entries SET seq = 3 WHERE tenant_id = ${tenantId} AND seq = 5`.execute(
          db(),
        );
        await sql`UPDATE journal_entries SET seq = 5 WHERE tenant_id = ${tenantId} AND seq = 1000`.execute(
          db(),
        );
        expect(await verify()).toMatchObject({ ok: false, failure: { seq: 3 } });
      });

      it('names an inserted entry', async () => {
        await sql`UPDATE journal_entries SET seq = seq + 100 WHERE tenant_id = ${tenantId} AND seq >= 7`.execute(
          db(),
        );
        await sql`UPDATE journal_entries SET seq = seq - 99 WHERE tenant_id = ${tenantId} AND seq >= 107`.execute(
          db(),
        );
        await sql`INSERT INTO journal_entries (tenant_id, seq, at, actor, kind, incident_id, payload, prev_hash, hash)
                  SELECT tenant_id, 7, at, 'user:mallory', 'incident.closed', NULL, '{}', hash, hash FROM journal_entries WHERE tenant_id = ${tenantId} AND seq = 6`.execute(
          db(),
        );
        expect(await verify()).toMatchObject({ ok: false, failure: { seq: 7 } });
      });

      it('refuses a checkpoint signed by another key', async () => {
        const other = loadOrCreateServerKey(`${t.dataDir}/other`);
        const result = await verifyStoredJournal(
          t.store,
          tenantId,
          signatureVerifier(other.publicKeyPem),
        );
        expect(result).toMatchObject({ ok: false, failure: { seq: 10 } });
      });
    });
  });
}
