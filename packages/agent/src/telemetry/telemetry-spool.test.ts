import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TelemetrySpool } from '../index.ts';

const work = await mkdtemp(join(tmpdir(), 'cordon-spool-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('TelemetrySpool', () => {
  it('keeps batches until a cumulative ack, across a restart, never reusing a sequence number', async () => {
    const dir = join(work, 'a');
    const spool = await TelemetrySpool.open(dir);
    const first = await spool.append([{ message: 'one' }]);
    const second = await spool.append([{ message: 'two' }]);
    const third = await spool.append([{ message: 'three' }]);
    expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
    await spool.acknowledge(2);
    const reopened = await TelemetrySpool.open(dir);
    expect(await reopened.pending()).toEqual([{ seq: 3, events: [{ message: 'three' }] }]);
    await reopened.acknowledge(3);
    const again = await TelemetrySpool.open(dir);
    expect(await again.pending()).toEqual([]);
    expect((await again.append([{ message: 'four' }])).seq).toBe(4);
  });

  it('drops the oldest batches when over its byte bound, and counts them', async () => {
    const spool = await TelemetrySpool.open(join(work, 'b'), 2000);
    const event = { message: 'x'.repeat(400) };
    for (let i = 0; i < 20; i += 1) await spool.append([event]);
    const pending = await spool.pending();
    expect(pending.length).toBeLessThan(5);
    expect(pending.length).toBeGreaterThan(0);
    expect(spool.dropped).toBe(20 - pending.length);
    expect(pending.at(-1)?.seq).toBe(20);
  });
});
