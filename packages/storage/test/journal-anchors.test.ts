/**
 * issue 13 item 4: a journal whose tail was cut off together with the checkpoint that covered
 * it, or whose checkpoints were deleted, passed verification. These tests edit a real SQLite
 * file and a real PostgreSQL schema the way an attacker with database access would (SQL
 * deletes and updates, the service not running) and expect verification to fail, naming what
 * is missing — against the chained checkpoints, the witness file and the expected head.
 */
import type { Principal } from '@cordon/core';
import {
  AccessService,
  IncidentService,
  JournalService,
  LoginThrottle,
  checkpointMessage,
  systemClock,
} from '@cordon/core';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerKey, StoredJournalAnchors } from '../src/index.ts';
import {
  FileWitness,
  defaultWitnessPath,
  loadOrCreateServerKey,
  signatureVerifier,
  verifyStoredJournal,
} from '../src/index.ts';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const system: Principal = { kind: 'system', name: 'test' };
const MINUTE = 60_000;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`journal anchors on ${dialect}`, () => {
    let t: TestStore;
    let key: ServerKey;
    let witness: FileWitness;
    let witnessPath: string;
    let journal: JournalService;
    let incidents: IncidentService;
    let tenantId: string;
    const db = () => t.store.database.kysely;
    const verify = (anchors: StoredJournalAnchors = {}) =>
      verifyStoredJournal(t.store, tenantId, signatureVerifier(key.publicKeyPem), {
        witnessPath,
        coverage: { now: Date.now(), intervalMs: 10_000, graceMs: MINUTE },
        ...anchors,
      });
    const writeIncidents = async (n: number) => {
      for (let i = 0; i < n; i++)
        await incidents.create(system, tenantId, { title: `incident ${i}`, severity: 'low' });
    };

    beforeEach(async () => {
      t = await openTestStore(dialect);
      key = loadOrCreateServerKey(t.dataDir);
      witnessPath = defaultWitnessPath(t.dataDir);
      witness = await FileWitness.open(witnessPath);
      journal = new JournalService({
        store: t.store,
        clock: systemClock,
        signer: key,
        witnesses: [witness],
      });
      incidents = new IncidentService(t.store, systemClock);
      const access = new AccessService(t.store, systemClock, new LoginThrottle());
      tenantId = (await access.createTenant(system, 'Acme')).id;
      // Checkpoint 1 at entry 1, checkpoint 2 at entry 4, checkpoint 3 at entry 7.
      await journal.checkpoint(tenantId);
      await writeIncidents(3);
      await journal.checkpoint(tenantId);
      await writeIncidents(3);
      await journal.checkpoint(tenantId);
    });
    afterEach(async () => {
      await witness.close();
      await t.dispose();
    });

    it('passes a whole journal, checked against the witness, and keeps the witness private', async () => {
      const result = await verify({ expectHead: { seq: 7 } });
      expect(result).toMatchObject({ ok: true, entries: 7, checkpointsVerified: 3, lastSeq: 7 });
      expect(result.checkedAgainst).toEqual([
        `the witness ${witnessPath} (3 checkpoints)`,
        'the expected head 7',
      ]);
      expect(result.warnings).toEqual([]);
      expect(readFileSync(witnessPath, 'utf8').trim().split('\n')).toHaveLength(3);
      expect(statSync(witnessPath).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(witnessPath)).mode & 0o777).toBe(0o700);
    });

    it('fails on a tail deleted together with its checkpoint, naming what the witness saw', async () => {
      await sql`DELETE FROM journal_entries WHERE tenant_id = ${tenantId} AND seq > 4`.execute(
        db(),
      );
      await sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${tenantId} AND seq = 7`.execute(
        db(),
      );
      const result = await verify();
      expect(result).toMatchObject({ ok: false, failure: { seq: 5 } });
      expect(result.failure?.reason).toMatch(
        /the tail was cut: the witness \(line 3\) records checkpoint 3 \(entry 7\), signed at .*; the database's newest is checkpoint 2 \(entry 4\): checkpoint 3 and entries 5–7 are missing/,
      );
      const expected = await verify({ witnessPath: undefined, expectHead: { seq: 7 } });
      expect(expected.failure?.reason).toMatch(
        /entries 5–7 are missing: the expected head is entry 7, the database's is 4/,
      );
    });

    it('fails when the head expected by hash was rewritten', async () => {
      const [row] = await db()
        .selectFrom('journal_entries')
        .select('hash')
        .where('tenant_id', '=', tenantId)
        .where('seq', '=', 4)
        .execute();
      expect((await verify({ expectHead: { seq: 4, hash: row!.hash } })).ok).toBe(true);
      const other = await verify({ expectHead: { seq: 4, hash: 'ab'.repeat(32) } });
      expect(other.failure?.reason).toMatch(/entry 4 differs from the expected head/);
    });

    it('fails when every checkpoint was deleted, with or without the witness', async () => {
      await sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${tenantId}`.execute(db());
      const alone = await verify({ witnessPath: undefined });
      expect(alone).toMatchObject({ ok: false, failure: { seq: 1 } });
      expect(alone.failure?.reason).toMatch(
        /no signed checkpoint covers entries 1–7: the journal has no checkpoints/,
      );
      const witnessed = await verify();
      expect(witnessed.failure?.reason).toMatch(
        /the database holds no chained checkpoint: checkpoints 1–3 and entries 1–7 are missing/,
      );
    });

    it('fails on a gap in the checkpoint chain, naming the missing checkpoint', async () => {
      await sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${tenantId} AND seq = 4`.execute(
        db(),
      );
      const result = await verify({ witnessPath: undefined });
      expect(result).toMatchObject({ ok: false, failure: { seq: 2 } });
      expect(result.failure?.reason).toBe(
        'checkpoint 2 is missing: checkpoint 1 (entry 1) is followed by checkpoint 3 (entry 7)',
      );
    });

    it('fails on entries older than the checkpoint interval that no checkpoint covers', async () => {
      await sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${tenantId} AND seq = 7`.execute(
        db(),
      );
      // Within the interval the newest entries may still be waiting for their checkpoint.
      expect((await verify({ witnessPath: undefined })).ok).toBe(true);
      const later = await verify({
        witnessPath: undefined,
        coverage: { now: Date.now() + 5 * MINUTE, intervalMs: 10_000, graceMs: MINUTE },
      });
      expect(later).toMatchObject({ ok: false, failure: { seq: 5 } });
      expect(later.failure?.reason).toMatch(
        /no signed checkpoint covers entries 5–7: entry 5 was written at .*, more than 70 s before now/,
      );
    });

    it('fails when the journal went on after a cut: the database forks from the witness', async () => {
      await sql`DELETE FROM journal_entries WHERE tenant_id = ${tenantId} AND seq > 4`.execute(
        db(),
      );
      await sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${tenantId} AND seq = 7`.execute(
        db(),
      );
      await writeIncidents(1);
      await journal.checkpoint(tenantId);
      const result = await verify();
      expect(result.ok).toBe(false);
      expect(result.failure?.reason).toMatch(
        /checkpoint 3 \(entry 5\) in the database differs from the witness \(line 3: checkpoint 3 \(entry 7\)/,
      );
    });

    it('fails on a witness line whose signature does not verify, or that is not a checkpoint', async () => {
      const lines = readFileSync(witnessPath, 'utf8').trim().split('\n');
      const forged = { ...JSON.parse(lines[2]!), seq: 9, entries: 9 };
      appendFileSync(witnessPath, `${JSON.stringify(forged)}\n`);
      const result = await verify();
      expect(result.failure?.reason).toMatch(
        /witness line 4: the signature of checkpoint 3 \(entry 9\) does not verify/,
      );
      writeFileSync(witnessPath, `${lines.join('\n')}\n{"v":2,"tenantId":`);
      const torn = await verify();
      expect(torn.failure?.reason).toMatch(/witness line 4 is not a signed checkpoint: not JSON/);
    });

    it('accepts legacy checkpoints as the start of the chain, with a warning, and notices one removed', async () => {
      const access = new AccessService(t.store, systemClock, new LoginThrottle());
      tenantId = (await access.createTenant(system, 'Initech')).id;
      await writeIncidents(2);
      // A checkpoint as the server signed them before migration 0007: no chain columns.
      const head = await t.store.transaction(async (uow) => uow.forTenant(tenantId).journal.head());
      const legacy = { tenantId, seq: head!.seq, hash: head!.hash, at: Date.now(), chain: null };
      await db()
        .insertInto('journal_checkpoints')
        .values({
          tenant_id: tenantId,
          seq: legacy.seq,
          hash: legacy.hash,
          at: legacy.at,
          key_id: key.keyId,
          signature: key.sign(checkpointMessage(legacy)),
          number: null,
          entries: null,
          prev_checkpoint_hash: null,
        })
        .execute();
      await writeIncidents(1);
      await journal.checkpoint(tenantId);
      const result = await verify();
      expect(result).toMatchObject({ ok: true, entries: 4, checkpointsVerified: 2 });
      expect(result.warnings).toEqual([
        '1 checkpoint(s) predate chaining: each is verified, but one deleted among them could not be told',
      ]);
      await sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${tenantId} AND number IS NULL`.execute(
        db(),
      );
      const removed = await verify();
      expect(removed.failure?.reason).toMatch(
        /checkpoint 1 \(entry 4\) does not link to the start of the chain/,
      );
    });

    it('writes the witness where it is told, outside the data directory', async () => {
      const elsewhere = join(t.dataDir, '..', `witness-${process.pid}-${Date.now()}`, 'w.jsonl');
      const other = await FileWitness.open(elsewhere);
      const service = new JournalService({
        store: t.store,
        clock: systemClock,
        signer: key,
        witnesses: [other],
      });
      await writeIncidents(1);
      await service.checkpoint(tenantId);
      await other.close();
      const result = await verify({ witnessPath: elsewhere });
      expect(result.ok).toBe(true);
      // The other witness saw only checkpoint 4: it says so, and nothing fails.
      expect(result.warnings).toEqual([]);
      expect(result.checkedAgainst[0]).toContain('(1 checkpoints)');
    });
  });
}
