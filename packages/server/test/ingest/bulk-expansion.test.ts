/**
 * issue 13 item 2: 48 KB of gzip expanding to 32 MiB of short NDJSON records (4 million), sent
 * with an ingest-only token, hung the server for minutes and killed it out of memory: every
 * record of the body was built before the queue's limit was looked at. The server runs in its
 * own process here, so that the test can watch it from outside: `/healthz` must answer within
 * 2 s throughout, the process's resident memory must not grow by more than 256 MiB, and the
 * answer must be the records-per-request cap (413) saying what was stored.
 *
 * The bound: the server's queue is set to 20,000 events (≈ 30 MB parsed), plus one batch in
 * the making, the garbage V8 lets accumulate before a major collection, and SQLite's page
 * cache (64 MiB) filling as 100,000 events are written, and the detection worker's heap as it
 * matches those events (measured 157–200 MiB in all; 200 MiB was hit once under a full CI
 * run, so the bound leaves room). On the code before the fix the body
 * was built whole: gigabytes, and an event loop blocked for minutes.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RECORDS = 4 * 1024 * 1024;
const MAX_GROWTH_BYTES = 256 * 1024 * 1024;
const QUEUE_EVENTS = 20_000;
const HEALTH_TIMEOUT_MS = 2_000;

function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

describe('issue 13 item 2: a small gzip body expanding to millions of records', () => {
  let child: ChildProcess;
  let url: string;
  let token: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'cordon-bulk-expansion-'));
  beforeAll(async () => {
    child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'fixtures', 'bulk-server.ts'), dataDir, String(QUEUE_EVENTS)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = await new Promise<string[]>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
      createInterface({ input: child.stdout! }).once('line', (first) => resolve([first]));
    });
    ({ url, token } = JSON.parse(line!) as { url: string; token: string });
  }, 60_000);
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (body: Buffer, headers: Record<string, string>) =>
    fetch(`${url}/api/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...headers },
      body,
    });

  it('stays responsive, keeps its memory bounded and answers 413 with what it stored', async () => {
    // Warm up (first request, first batch written), then measure from there.
    const warm = await post(Buffer.from('{"warm":1}\n'), {
      'content-type': 'application/x-ndjson',
    });
    expect(warm.status).toBe(200);
    const pid = child.pid!;
    const baseline = residentBytes(pid);
    const body = gzipSync(Buffer.from('{"a":0}\n'.repeat(RECORDS)), { level: 9 });
    expect(body.byteLength).toBeLessThan(64 * 1024);

    let peak = baseline;
    let slowest = 0;
    let violation: string | undefined;
    let settled = false;
    const answer = post(body, {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      'idempotency-key': 'expansion-1',
    }).finally(() => (settled = true));
    const watch = (async () => {
      const deadline = Date.now() + 150_000;
      while (!settled && violation === undefined && Date.now() < deadline) {
        const started = Date.now();
        try {
          const health = await fetch(`${url}/healthz`, {
            signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
          });
          if (!health.ok) violation = `/healthz answered ${health.status}`;
        } catch (error) {
          violation = `/healthz did not answer within ${HEALTH_TIMEOUT_MS} ms (${(error as Error).message})`;
        }
        slowest = Math.max(slowest, Date.now() - started);
        peak = Math.max(peak, residentBytes(pid));
        if (peak - baseline > MAX_GROWTH_BYTES) {
          violation = `resident memory grew by ${Math.round((peak - baseline) / 2 ** 20)} MiB`;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      if (!settled && violation === undefined) violation = 'no answer within 150 s';
    })();
    await Promise.race([answer.catch(() => undefined), watch]);
    await watch;
    expect(violation).toBeUndefined();
    const response = await answer;
    const json = (await response.json()) as {
      error: { code: string; message: string; details: Record<string, unknown> };
    };
    expect(response.status).toBe(413);
    expect(json.error.code).toBe('payload_too_large');
    expect(json.error.message).toMatch(/more than 100000 records/);
    expect(json.error.details).toEqual({
      batchId: 'expansion-1',
      maxRecordsPerRequest: 100_000,
      stored: { records: 100_000, accepted: 100_000, deadLettered: 0 },
    });
    console.info(
      `gzip ${body.byteLength} B → ${RECORDS} records: resident +${Math.round((peak - baseline) / 2 ** 20)} MiB at most, slowest /healthz ${slowest} ms`,
    );
    // Still serving after it.
    expect(
      (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) })).ok,
    ).toBe(true);
  }, 200_000);
});
