/**
 * Preparation on a real database, both dialects: the inventory import (5,000 rows with bad
 * ones, all-or-nothing, idempotent), export round trip, reconciliation against hosts that
 * telemetry saw, the readiness history and the on-call rota — each change with its journal
 * entry.
 */
import type { Clock, Principal } from '@cordon/core';
import {
  AccessService,
  AssetService,
  LoginThrottle,
  ReadinessService,
  ReconciliationService,
  ResponsePlanService,
} from '@cordon/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const system: Principal = { kind: 'system', name: 'test' };
const DAY = 86_400_000;

/** 5,000 asset rows; every 25th is bad in one of five ways. Returns the bad lines too. */
function inventory(): { csv: string; bad: Map<number, RegExp> } {
  const lines = ['name,kind,addresses,criticality,tags,segment,agent,status'];
  const bad = new Map<number, RegExp>();
  for (let i = 0; i < 5000; i++) {
    const line = i + 2;
    const n = String(i).padStart(4, '0');
    let row = `host-${n},${i % 2 ? 'workstation' : 'server'},10.1.${Math.floor(i / 250)}.${i % 250},${i % 10 ? 'medium' : 'critical'},"site-a;floor-${i % 3}",users,${i % 4 ? 'yes' : 'no'},up`;
    if (i % 25 === 7) {
      switch (((i / 25) % 5) | 0) {
        case 0:
          row = row.replace(/,10\.1\.\d+\.\d+,/, ',10.1.999.1,');
          bad.set(line, /address "10\.1\.999\.1" is not an IPv4 or IPv6 address/);
          break;
        case 1:
          row = row.replace(/,(server|workstation),/, ',toaster,');
          bad.set(line, /kind "toaster" is unknown/);
          break;
        case 2:
          row = row.replace(',users,', ',nowhere,');
          bad.set(line, /segment "nowhere" does not exist/);
          break;
        case 3:
          row = row.replace(/,(medium|critical),/, ',urgent,');
          bad.set(line, /criticality "urgent" is unknown/);
          break;
        default:
          row = `host-${String(i - 1).padStart(4, '0')}${row.slice(9)}`;
          bad.set(line, new RegExp(`already appears on line ${line - 1}`));
      }
    }
    lines.push(row);
  }
  return { csv: lines.join('\n') + '\n', bad };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`preparation on ${dialect}`, () => {
    let t: TestStore;
    let now = Date.UTC(2025, 5, 1);
    const clock: Clock = { now: () => now };
    let assets: AssetService;
    let reconciliation: ReconciliationService;
    let readiness: ReadinessService;
    let tenantId: string;
    const journalKinds = async () =>
      (
        await t.store.transaction(async (uow) => uow.forTenant(tenantId).journal.list({}, 10_000))
      ).map((e) => e.kind);

    beforeEach(async () => {
      now = Date.UTC(2025, 5, 1);
      t = await openTestStore(dialect, clock);
      const access = new AccessService(t.store, clock, new LoginThrottle());
      assets = new AssetService(t.store, clock);
      reconciliation = new ReconciliationService(t.store, clock);
      readiness = new ReadinessService(t.store, clock);
      tenantId = (await access.createTenant(system, 'Acme')).id;
      await assets.createSegment(system, tenantId, {
        name: 'users',
        cidr: '10.1.0.0/16',
        zone: 'user',
      });
    });
    afterEach(async () => t.dispose());

    it('imports 5,000 rows: good rows in, each bad row by line and reason; again changes nothing', async () => {
      const { csv, bad } = inventory();
      const dry = await assets.importInventory(system, tenantId, {
        text: csv,
        format: 'csv',
        dryRun: true,
      });
      expect(dry.refused.map((r) => r.line)).toEqual([...bad.keys()]);
      for (const r of dry.refused) expect(r.reason).toMatch(bad.get(r.line)!);
      expect(dry.created).toHaveLength(5000 - bad.size);
      expect(await assets.list(system, tenantId)).toHaveLength(0);

      const first = await assets.importInventory(system, tenantId, {
        text: csv,
        format: 'csv',
        dryRun: false,
      });
      expect(first.created).toHaveLength(5000 - bad.size);
      expect(first.refused).toEqual(dry.refused);
      const stored = await assets.list(system, tenantId);
      expect(stored).toHaveLength(5000 - bad.size);
      const h10 = stored.find((a) => a.name === 'host-0010')!;
      expect(h10).toMatchObject({
        kind: 'server',
        addresses: ['10.1.0.10'],
        criticality: 'critical',
        tags: ['floor-1', 'site-a'],
        agentInstalled: true,
        operationalStatus: 'up',
      });
      expect(h10.segmentId).not.toBeNull();

      const second = await assets.importInventory(system, tenantId, {
        text: csv,
        format: 'csv',
        dryRun: false,
      });
      expect(second).toMatchObject({ created: [], updated: [], unchanged: 5000 - bad.size });
      expect((await journalKinds()).filter((k) => k === 'assets.imported')).toHaveLength(1);

      // An export imported again changes nothing either (JSON and CSV).
      for (const format of ['csv', 'json'] as const) {
        const text = await assets.exportInventory(system, tenantId, format);
        const again = await assets.importInventory(system, tenantId, {
          text,
          format,
          dryRun: false,
        });
        expect(again).toMatchObject({
          created: [],
          updated: [],
          refused: [],
          unchanged: 5000 - bad.size,
        });
      }
    }, 120_000);

    it('applies all of an import or none of it', async () => {
      const before = await journalKinds();
      // The second row collides with the first by name only in case: unique (tenant, name_key)
      // makes the database refuse the batch, after the first rows were written.
      await assets.create(system, tenantId, { name: 'existing', kind: 'server' });
      const text = JSON.stringify([
        { name: 'new-1', kind: 'server' },
        { name: 'new-2', kind: 'server', addresses: ['not-an-ip'] },
      ]);
      const report = await assets.importInventory(system, tenantId, {
        text,
        format: 'json',
        dryRun: false,
      });
      expect(report.refused).toEqual([
        { line: 2, reason: 'address "not-an-ip" is not an IPv4 or IPv6 address' },
      ]);
      expect(report.created).toEqual(['new-1']);
      // A write failure inside the transaction rolls everything back, journal included.
      const failing = new AssetService(
        {
          transaction: (work) =>
            t.store.transaction(async (uow) => {
              const result = await work(uow);
              throw new Error(`disk full after ${JSON.stringify(result).length} bytes`);
            }),
          ping: () => t.store.ping(),
          close: () => Promise.resolve(),
        },
        clock,
      );
      await expect(
        failing.importInventory(system, tenantId, {
          text: JSON.stringify([{ name: 'new-3', kind: 'server' }]),
          format: 'json',
          dryRun: false,
        }),
      ).rejects.toThrow('disk full');
      expect((await assets.list(system, tenantId)).map((a) => a.name)).toEqual([
        'existing',
        'new-1',
      ]);
      expect((await journalKinds()).length).toBe(before.length + 2);
    });

    it('reports unreadable files and unknown columns as refusals, not crashes', async () => {
      const broken = await assets.importInventory(system, tenantId, {
        text: 'name,kind\n"unterminated,server\n',
        format: 'csv',
        dryRun: true,
      });
      expect(broken.refused[0]!.reason).toMatch(/not valid CSV/);
      const columns = await assets.importInventory(system, tenantId, {
        text: 'name,kind,colour\nweb01,server,red\n',
        format: 'csv',
        dryRun: true,
      });
      expect(columns.refused).toEqual([
        { line: 1, reason: expect.stringMatching(/unknown column\(s\) colour/) as string },
      ]);
      const json = await assets.importInventory(system, tenantId, {
        text: '{"x":1}',
        format: 'json',
        dryRun: true,
      });
      expect(json.refused[0]!.reason).toMatch(/expected a JSON array/);
    });

    it('reconciles telemetry-seen hosts: undocumented, stale and address conflicts, each resolvable', async () => {
      const web = await assets.create(system, tenantId, {
        name: 'web01',
        kind: 'server',
        addresses: ['10.1.0.10'],
      });
      const db = await assets.create(system, tenantId, {
        name: 'db01',
        kind: 'server',
        addresses: ['10.1.0.20'],
      });
      const old = await assets.create(system, tenantId, {
        name: 'old01',
        kind: 'server',
        addresses: ['10.1.0.30'],
      });
      await assets.create(system, tenantId, { name: 'crm', kind: 'application' });
      now += 40 * DAY;
      const seenAt = now - 3_600_000;
      await reconciliation.observeHost(tenantId, {
        hostname: 'WEB01.acme.local',
        ip: '10.1.0.10',
        seenAt,
      });
      await reconciliation.observeHost(tenantId, { hostname: 'db01', ip: '10.1.0.20', seenAt });
      await reconciliation.observeHost(tenantId, {
        hostname: 'db01',
        ip: '10.1.0.20',
        seenAt: seenAt + 1000,
      });
      await reconciliation.observeHost(tenantId, { hostname: 'laptop-7', ip: '10.1.5.5', seenAt });
      await reconciliation.observeHost(tenantId, {
        hostname: 'db01-replica',
        ip: '10.1.0.30',
        seenAt,
      });
      await reconciliation.observeHost(tenantId, { hostname: 'printer', ip: '10.1.9.9', seenAt });

      const findings = await reconciliation.findings(system, tenantId);
      const summary = findings.map((f) =>
        f.kind === 'stale' ? `stale ${f.asset.name}` : `${f.kind} ${f.observedHost.hostname}`,
      );
      expect(summary.sort()).toEqual([
        'address_conflict db01-replica',
        'stale old01',
        'undocumented laptop-7',
        'undocumented printer',
      ]);
      expect((await assets.get(system, tenantId, web.id)).lastSeenAt).toBe(seenAt);
      expect((await assets.get(system, tenantId, db.id)).lastSeenAt).toBe(seenAt + 1000);

      const id = (prefix: string, name: string) =>
        findings.find(
          (f) => f.kind !== 'stale' && f.kind === prefix && f.observedHost.hostname === name,
        )!.id;
      const adopted = await reconciliation.resolve(system, tenantId, {
        findingId: id('undocumented', 'laptop-7'),
        action: 'adopt',
        kind: 'workstation',
      });
      expect(adopted.asset).toMatchObject({
        name: 'laptop-7',
        kind: 'workstation',
        addresses: ['10.1.5.5'],
      });
      await reconciliation.resolve(system, tenantId, {
        findingId: id('undocumented', 'printer'),
        action: 'retire',
      });
      const merged = await reconciliation.resolve(system, tenantId, {
        findingId: id('address_conflict', 'db01-replica'),
        action: 'merge',
        assetId: db.id,
      });
      expect(merged.asset).toMatchObject({ name: 'db01', tags: ['alias:db01-replica'] });
      expect((await assets.get(system, tenantId, db.id)).addresses).toEqual([
        '10.1.0.20',
        '10.1.0.30',
      ]);
      expect((await assets.get(system, tenantId, old.id)).addresses).toEqual([]);
      await expect(
        reconciliation.resolve(system, tenantId, { findingId: `stale:${old.id}`, action: 'adopt' }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      await reconciliation.resolve(system, tenantId, {
        findingId: `stale:${old.id}`,
        action: 'retire',
      });

      expect(await reconciliation.findings(system, tenantId)).toEqual([]);
      // The merge made the alias stick: the replica's next sighting counts for db01.
      await reconciliation.observeHost(tenantId, {
        hostname: 'db01-replica',
        ip: '10.1.0.30',
        seenAt: now,
      });
      expect((await assets.get(system, tenantId, db.id)).lastSeenAt).toBe(now);
      expect(await reconciliation.findings(system, tenantId)).toEqual([]);
      const kinds = await journalKinds();
      expect(kinds.filter((k) => k === 'host.first_seen')).toHaveLength(5);
      expect(kinds.filter((k) => k === 'reconciliation.resolved')).toHaveLength(4);
      await expect(
        reconciliation.resolve(system, tenantId, {
          findingId: `stale:${old.id}`,
          action: 'retire',
        }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });

    it('keeps the readiness history, newest first', async () => {
      const empty = await readiness.record(system, tenantId);
      expect(empty.report.score).toBe(0);
      await assets.create(system, tenantId, {
        name: 'web01',
        kind: 'server',
        agentInstalled: true,
        criticality: 'critical',
      });
      await reconciliation.observeHost(tenantId, {
        hostname: 'web01',
        ip: '10.1.0.10',
        seenAt: now,
      });
      now += 1000;
      const later = await readiness.record(system, tenantId);
      expect(later.report.score).toBeGreaterThan(0);
      const history = await readiness.history(system, tenantId);
      expect(history.map((s) => s.score)).toEqual([later.report.score, 0]);
      expect(history[0]!.checks).toEqual(later.report.checks);
      expect((await journalKinds()).filter((k) => k === 'readiness.recorded')).toHaveLength(2);
    });

    it('keeps an on-call rota: no overlap per level, who to call now, the role as fallback', async () => {
      const plan = new ResponsePlanService(t.store, clock);
      const H = 3_600_000;
      const anna = { name: 'Anna', phone: '+31 6 1234 5678', email: null, chat: null };
      const ben = { name: 'Ben', phone: null, email: 'ben@mssp.example', chat: null };
      const cleo = { name: 'Cleo', phone: null, email: null, chat: '@cleo' };
      await plan.assignRole(system, tenantId, {
        role: 'mssp_on_call',
        primary: cleo,
        backup: null,
        escalationRank: 2,
      });
      await plan.assignRole(system, tenantId, {
        role: 'incident_lead',
        primary: ben,
        backup: anna,
        escalationRank: 1,
      });
      const day1 = await plan.addShift(system, tenantId, {
        level: 'primary',
        person: anna,
        startsAt: now,
        endsAt: now + 12 * H,
      });
      await plan.addShift(system, tenantId, {
        level: 'primary',
        person: ben,
        startsAt: now + 12 * H,
        endsAt: now + 24 * H,
        note: 'night',
      });
      await plan.addShift(system, tenantId, {
        level: 'secondary',
        person: ben,
        startsAt: now,
        endsAt: now + 12 * H,
      });
      await expect(
        plan.addShift(system, tenantId, {
          level: 'primary',
          person: cleo,
          startsAt: now + 11 * H,
          endsAt: now + 13 * H,
        }),
      ).rejects.toMatchObject({ code: 'conflict', message: /primary shift of Anna .* overlaps/ });
      await expect(
        plan.addShift(system, tenantId, {
          level: 'primary',
          person: cleo,
          startsAt: now + 30 * H,
          endsAt: now + 29 * H,
        }),
      ).rejects.toMatchObject({ code: 'invalid_input', message: /end after it starts/ });
      await expect(
        plan.addShift(system, tenantId, {
          level: 'secondary',
          person: { name: 'Nobody', phone: null, email: null, chat: null },
          startsAt: now + 30 * H,
          endsAt: now + 31 * H,
        }),
      ).rejects.toMatchObject({ code: 'invalid_input', message: /Nobody needs a way/ });

      const morning = await plan.onCallNow(system, tenantId, now + H);
      expect(morning.primary).toMatchObject({ person: anna, source: 'rota', shiftId: day1.id });
      expect(morning.secondary).toMatchObject({ person: ben, source: 'rota' });
      expect(morning.escalation.map((r) => r.role)).toEqual(['incident_lead', 'mssp_on_call']);
      // The end of a shift is exclusive: at noon the night shift answers.
      const noon = await plan.onCallNow(system, tenantId, now + 12 * H);
      expect(noon.primary).toMatchObject({ person: ben, source: 'rota' });
      expect(noon.secondary).toBeNull();
      // Outside the rota the MSSP on-call role stands in.
      const later = await plan.onCallNow(system, tenantId, now + 48 * H);
      expect(later.primary).toMatchObject({ person: cleo, source: 'role', shiftId: null });

      expect((await plan.rota(system, tenantId, now, now + 24 * H)).length).toBe(3);
      expect((await plan.rota(system, tenantId, now + 12 * H, now + 24 * H)).length).toBe(1);
      await plan.removeShift(system, tenantId, day1.id);
      expect((await plan.onCallNow(system, tenantId, now + H)).primary?.source).toBe('role');
      await expect(plan.removeShift(system, tenantId, day1.id)).rejects.toMatchObject({
        code: 'not_found',
      });
      const kinds = await journalKinds();
      expect(kinds.filter((k) => k === 'oncall.shift_added')).toHaveLength(3);
      expect(kinds).toContain('oncall.shift_removed');
    });
  });
}
