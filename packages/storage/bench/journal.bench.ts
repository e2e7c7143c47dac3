/**
 * bench:journal — journal appends per second on SQLite (read head, hash, insert, move head,
 * commit: one transaction per entry, through the Store as the services use it) against, in the
 * same run, bare inserts of the same rows through node:sqlite (one prepared INSERT per
 * autocommitted row, same pragmas). Rounds alternate between the two so that machine noise
 * hits both alike; the median round of each is reported.
 */
import type { JournalEntry } from '@cordon/core';
import { canonicalJson } from '@cordon/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openStore } from '../src/index.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const PER_ROUND = Number(process.env['BENCH_ENTRIES'] ?? 5000);

const dir = mkdtempSync(join(tmpdir(), 'cordon-bench-journal-'));
const store = await openStore({ dataDir: join(dir, 'journal') });
const tenantId = '00000000-0000-4000-8000-000000000001';
await store.transaction(async (uow) =>
  uow.tenants.insert({ id: tenantId, name: 'bench', createdAt: Date.now() }),
);

const bare = new DatabaseSync(join(dir, 'bare.db'));
for (const pragma of ['journal_mode = WAL', 'synchronous = NORMAL', 'foreign_keys = ON'])
  bare.exec(`PRAGMA ${pragma}`);
bare.exec(`CREATE TABLE journal_entries (tenant_id text NOT NULL, seq bigint NOT NULL, at bigint NOT NULL, actor text NOT NULL,
  kind text NOT NULL, incident_id text, payload text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL, PRIMARY KEY (tenant_id, seq))`);
bare.exec('CREATE INDEX journal_entries_incident ON journal_entries (tenant_id, incident_id, seq)');
const insert = bare.prepare('INSERT INTO journal_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');

const payloadFor = (i: number) => ({
  from: 'identified',
  to: 'contained',
  note: `containment step ${i}`,
  host: `FIN-WS-${i % 100}`,
});

async function journalRound(): Promise<{ rate: number; entries: JournalEntry[] }> {
  const entries: JournalEntry[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) {
    entries.push(
      await store.transaction(async (uow) =>
        uow.forTenant(tenantId).journal.append({
          actor: 'user:bench@cordon.local',
          kind: 'incident.phase_changed',
          incidentId: 'inc-1',
          payload: payloadFor(i),
        }),
      ),
    );
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { rate: PER_ROUND / seconds, entries };
}

function bareRound(entries: readonly JournalEntry[]): number {
  const rows = entries.map(
    (e) =>
      [
        e.tenantId,
        e.seq,
        e.at,
        e.actor,
        e.kind,
        e.incidentId,
        canonicalJson(e.payload),
        e.prevHash,
        e.hash,
      ] as const,
  );
  const start = process.hrtime.bigint();
  for (const row of rows) insert.run(...row);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return rows.length / seconds;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

// Warm-up: JIT, statement caches, file growth.
bareRound((await journalRound()).entries);
bare.exec('DELETE FROM journal_entries');

const journalRates: number[] = [];
const bareRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const { rate, entries } = await journalRound();
  journalRates.push(rate);
  bareRates.push(bareRound(entries));
  console.log(
    `round ${round + 1}/${ROUNDS}: journal ${rate.toFixed(0)} entries/s, bare insert ${bareRates.at(-1)!.toFixed(0)} rows/s`,
  );
}

await store.close();
bare.close();
rmSync(dir, { recursive: true, force: true });

const journalPerS = median(journalRates);
const barePerS = median(bareRates);
console.log(
  `journal (hash + commit, SQLite): ${journalPerS.toFixed(0)} entries/s; bare node:sqlite insert: ${barePerS.toFixed(0)} rows/s; ratio ${(journalPerS / barePerS).toFixed(3)} (target ≥ 0.5)`,
);
console.log(
  JSON.stringify({
    bench: 'journal',
    entries_per_s: Math.round(journalPerS),
    baseline_bare_inserts_per_s: Math.round(barePerS),
    ratio: Number((journalPerS / barePerS).toFixed(3)),
    entries_per_round: PER_ROUND,
    rounds: ROUNDS,
  }),
);
