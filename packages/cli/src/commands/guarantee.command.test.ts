/**
 * `cordon guarantee entry add|correct|statement` and `cordon notify outbox` against a real
 * server on a port, through the shared API command helper: answers for people and with
 * `--json`, exit code 1 with the server's refusal, 2 for a bad command line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliTestServer } from '../../test/cli-test-server.ts';
import { startCliTestServer, system } from '../../test/cli-test-server.ts';

let t: CliTestServer;
let dir: string;
let incidentId: string;
const run = (args: string[]) => t.run(args);

beforeAll(async () => {
  t = await startCliTestServer();
  dir = t.dir;
  incidentId = (
    await t.server.services.incidents.create(system, t.tenantId, {
      title: 'Ransomware on fs01',
      severity: 'critical',
    })
  ).id;
});
afterAll(async () => t?.dispose());

const entry = (extra: string[]) => [
  'guarantee',
  'entry',
  'add',
  '--incident',
  incidentId,
  '--responder',
  'Lee',
  '--role',
  'incident_lead',
  '--service',
  'response_hours',
  '--phase',
  'contained',
  '--activity',
  'containment calls',
  '--at',
  '2026-12-01T10:00:00Z',
  ...extra,
];

describe('cordon guarantee and notify through the shared API command helper', () => {
  it('records, corrects and states ledger entries', async () => {
    const added = await run(entry(['--minutes', '90', '--hourly-minor', '20000']));
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    const entryId = added.out.trim();
    expect(entryId).toMatch(/^[0-9a-f-]{36}$/);
    const json = await run(entry(['--amount-minor', '50000', '--json']));
    expect(JSON.parse(json.out)).toMatchObject({ kind: 'cost', amountMinor: 50000 });

    const replacement = join(dir, 'replacement.json');
    writeFileSync(
      replacement,
      JSON.stringify({
        kind: 'time',
        responder: 'Lee',
        role: 'incident_lead',
        service: 'response_hours',
        phase: 'contained',
        activity: 'containment calls',
        minutes: 60,
        hourlyMinor: 20000,
        occurredAt: '2026-12-01T10:00:00Z',
      }),
    );
    const correct = (extra: string[]) =>
      run(['guarantee', 'correct', '--incident', incidentId, '--entry', entryId, ...extra]);
    const corrected = await correct(['--reason', 'it was one hour', '--replacement', replacement]);
    expect(corrected.code, corrected.err).toBe(0);
    expect(corrected.out).toMatch(/^reversal [0-9a-f-]{36}, replacement [0-9a-f-]{36}\n$/);
    const again = await correct(['--reason', 'twice']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^error: .+ \(conflict\)\n$/);

    const statement = await run(['guarantee', 'statement', '--incident', incidentId]);
    expect(statement.code).toBe(0);
    // 500.00 of cost and 200.00 of the replacement's hour; the reversed 300.00 counts for nothing.
    expect(statement.out.trim().split('\n').at(-1)).toBe(
      'total 700.00 : covered 0.00, billable 700.00',
    );
    expect(statement.out).toContain(
      '    no_contract 500.00: no guarantee contract in force at opening',
    );
    const parsed = JSON.parse(
      (await run(['guarantee', 'statement', '--incident', incidentId, '--json'])).out,
    );
    // The reversal and the replacement share a moment; their order is the ids'.
    expect(parsed.lines.map((l: { kind: string }) => l.kind).sort()).toEqual([
      'cost',
      'reversal',
      'time',
      'time',
    ]);
    expect(parsed.totals).toEqual({ amountMinor: 70000, coveredMinor: 0, billableMinor: 70000 });
  });

  it('refuses bad command lines with 2 and the server’s refusals with 1', async () => {
    expect((await run(['guarantee', 'statement'])).code).toBe(2);
    expect((await run(entry([]))).code).toBe(2);
    const unknown = await run([
      'guarantee',
      'statement',
      '--incident',
      '00000000-0000-4000-8000-00000000dead',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^error: .+ \(not_found\)\n$/);
    expect((await run(['notify', 'outbox', '--state', 'lost'])).code).toBe(2);
  });

  it('lists the outbox, for people and as JSON', async () => {
    const people = await run(['notify', 'outbox', '--state', 'dead']);
    expect(people.code, people.err).toBe(0);
    expect(people.out).toBe('');
    expect(JSON.parse((await run(['notify', 'outbox', '--json'])).out)).toEqual({ items: [] });
  });
});
