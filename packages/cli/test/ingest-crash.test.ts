/**
 * Nothing acknowledged is lost, nothing is stored twice: the real `cordon serve` (launcher in a
 * child process, SQLite file) takes bulk batches at full speed from four concurrent senders,
 * is killed with SIGKILL mid-stream, restarted on the same data directory, and every batch
 * not acknowledged is sent again with the same batch id. Every event is then in the store
 * exactly once — those acknowledged before the kill included.
 */
import { openStore } from '@cordon/storage';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const launcher = resolve(import.meta.dirname, '../bin/cordon.js');
const BATCHES = 80;
const LINES = 500;

const batchBody = (batch: number): string =>
  Array.from(
    { length: LINES },
    (_, line) =>
      `Oct 11 22:14:15 crash-host CRON[${batch * LINES + line + 1}]: (root) CMD (batch ${batch} line ${line})\n`,
  ).join('');

function cordon(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  return new Promise((done, fail) =>
    execFile(process.execPath, [launcher, ...args], { env }, (error, stdout, stderr) =>
      error ? fail(new Error(`${args.join(' ')}: ${stderr}`)) : done(stdout),
    ),
  );
}

async function startServe(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [launcher, 'serve', '--port', '0', '--agent-port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Cordon is running at (\S+)/.exec(out);
      if (match?.[1]) done(match[1]);
    });
    child.once('exit', (code) => fail(new Error(`cordon serve exited (${code}): ${out}`)));
  });
  child.stderr.resume();
  return { child, url };
}

async function send(url: string, token: string, batch: number): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v1/ingest`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'text/plain',
        'idempotency-key': `crash-test:${batch}`,
      },
      body: batchBody(batch),
    });
    if (!response.ok) return false;
    const receipt = (await response.json()) as { accepted: number };
    return receipt.accepted === LINES;
  } catch {
    return false;
  }
}

describe('crash during ingestion (sqlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cordon-crash-test-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CORDON_DATA_DIR: dataDir,
    CORDON_LOG_LEVEL: 'warn',
    // Crash safety at full speed from one tenant, not that tenant's share of ingest: lifted.
    CORDON_TENANT_INGEST_RECORDS_PER_SECOND: '1000000000',
    CORDON_TENANT_INGEST_RECORD_BURST: '1000000000',
  };
  delete env['CORDON_DATABASE_URL'];
  let running: ChildProcess | undefined;
  afterAll(() => {
    running?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged batch exactly once across kill -9 and re-sends', async () => {
    await cordon(env, 'tenant', 'create', 'acme');
    const { token } = JSON.parse(
      await cordon(env, 'token', 'create', '--tenant', 'acme', '--role', 'ingest', '--json'),
    ) as { token: string };

    const first = await startServe(env);
    running = first.child;
    const acknowledged = new Set<number>();
    let next = 0;
    let killed = false;
    const exited = new Promise<void>((done) => first.child.once('exit', () => done()));
    // Four senders at full speed; the server is killed once a quarter of the batches are in.
    const sender = async (): Promise<void> => {
      while (!killed && next < BATCHES) {
        const batch = next++;
        if (await send(first.url, token, batch)) acknowledged.add(batch);
        if (!killed && acknowledged.size >= BATCHES / 4) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    await exited;
    const beforeKill = [...acknowledged];
    expect(beforeKill.length).toBeGreaterThanOrEqual(BATCHES / 4);
    expect(beforeKill.length).toBeLessThan(BATCHES);

    const second = await startServe(env);
    running = second.child;
    const duplicates: number[] = [];
    for (let batch = 0; batch < BATCHES; batch += 1) {
      if (acknowledged.has(batch)) continue;
      const response = await fetch(`${second.url}/api/v1/ingest`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/plain',
          'idempotency-key': `crash-test:${batch}`,
        },
        body: batchBody(batch),
      });
      expect(response.status).toBe(200);
      const receipt = (await response.json()) as { accepted: number; duplicate: boolean };
      expect(receipt.accepted).toBe(LINES);
      // Batches in flight at the kill may have been stored without their answer arriving.
      if (receipt.duplicate) duplicates.push(batch);
      acknowledged.add(batch);
    }
    // One acknowledged before the kill, sent again: answered as a duplicate, not stored again.
    const again = await send(second.url, token, beforeKill[0]!);
    expect(again).toBe(true);
    const stopped = new Promise<void>((done) => second.child.once('exit', () => done()));
    second.child.kill('SIGTERM');
    await stopped;
    running = undefined;

    const store = await openStore({ url: undefined, dataDir, schema: undefined });
    try {
      const [tenant] = await store.transaction(async (uow) => uow.tenants.list());
      const pids = new Map<number, number>();
      for (let offset = 0; ; offset += 1000) {
        const page = await store.events.search(tenant!.id, { limit: 1000, offset, sort: 'asc' });
        for (const { event } of page.events) {
          const pid = (event as { process?: { pid?: number } }).process?.pid ?? -1;
          pids.set(pid, (pids.get(pid) ?? 0) + 1);
        }
        if (page.events.length < 1000) break;
      }
      expect(pids.size).toBe(BATCHES * LINES);
      expect([...pids.values()].every((n) => n === 1)).toBe(true);
      expect(Math.min(...pids.keys())).toBe(1);
      expect(Math.max(...pids.keys())).toBe(BATCHES * LINES);
    } finally {
      await store.close();
    }
    console.log(
      `crash test: ${beforeKill.length} batches acknowledged before SIGKILL, ${duplicates.length} in flight were already durable`,
    );
  }, 180_000);
});
