/**
 * issue 14: repeated re-hunts survive a restart — the next run time is in the database, so a
 * new server on the same data picks the check up where the stopped one left it.
 */
import { DIALECTS, dialectAvailable, postgresUrl } from '@cordon/storage/testing';
import type { DialectName } from '@cordon/storage';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../src/index.ts';
import { createServer, defaultServerConfig } from '../src/index.ts';
import { system } from './test-server.ts';

const justification = 'test set-up: facts recorded elsewhere';

function configFor(dialect: DialectName, dataDir: string): ServerConfig {
  return {
    ...defaultServerConfig,
    dataDir,
    port: 0,
    ...(dialect === 'postgres'
      ? {
          databaseUrl: postgresUrl(),
          databaseSchema: `s_${process.pid}_${Math.random().toString(36).slice(2, 10)}`,
        }
      : {}),
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`verification scheduler (${dialect})`, () => {
    it('runs a repeated re-hunt after a restart, from its persisted next run time', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cordon-scheduler-test-'));
      const config = configFor(dialect, dataDir);
      try {
        const first = await createServer({ config, logger: false });
        const tenantId = (await first.services.access.createTenant(system, 'Acme')).id;
        const { incidents } = first.services;
        const incident = await incidents.create(system, tenantId, {
          title: 'beaconing',
          severity: 'high',
        });
        await incidents.addObservable(system, tenantId, incident.id, {
          kind: 'domain',
          value: 'c2.example',
        });
        for (const to of [
          'identified',
          'contained',
          'analysed',
          'eradicated',
          'recovered',
        ] as const)
          await incidents.transition(system, tenantId, incident.id, {
            to,
            overrideJustification: justification,
          });
        const check = await first.recovery.verification.addCheck(system, tenantId, incident.id, {
          kind: 'rehunt',
          repeat: { everyMinutes: 30, forDays: 2 },
        });
        const due = check.schedule!.nextRunAt!;
        await first.close();

        const second = await createServer({ config, logger: false });
        try {
          const runs = await second.recovery.scheduler.tick(due + 1);
          expect(runs).toEqual([
            expect.objectContaining({
              checkId: check.id,
              status: 'passed',
              actor: 'system:verification-scheduler',
            }),
          ]);
          const [after] = await second.recovery.verification.checks(system, tenantId, incident.id);
          expect(after!.check.schedule?.nextRunAt).toBe(due + 30 * 60_000);
          expect(after!.lastRun?.id).toBe(runs[0]!.id);
          // Nothing else is due until then.
          expect(await second.recovery.scheduler.tick(due + 2)).toEqual([]);
          // Closed, the incident's schedule ends at its next tick instead of failing forever.
          await second.services.incidents.transition(system, tenantId, incident.id, {
            to: 'closed',
            closureReason: 'false_positive',
          });
          expect(await second.recovery.scheduler.tick(due + 30 * 60_000 + 1)).toEqual([]);
          const [ended] = await second.recovery.verification.checks(system, tenantId, incident.id);
          expect(ended!.check.schedule?.nextRunAt).toBeNull();
          const journal = await second.services.journal.list(
            system,
            tenantId,
            { incidentId: incident.id },
            500,
          );
          expect(journal.at(-1)).toMatchObject({
            kind: 'verification.run_skipped',
            payload: { scheduleEnded: true },
          });
        } finally {
          await second.close();
        }
      } finally {
        if (config.databaseUrl && config.databaseSchema) {
          const client = new pg.Client({ connectionString: config.databaseUrl });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`);
          await client.end();
        }
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 120_000);
  });
}
