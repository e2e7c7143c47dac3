import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogTail } from '../index.ts';

const work = await mkdtemp(join(tmpdir(), 'cordon-tail-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const lines = async (tail: LogTail) => (await tail.poll()).map((e) => e.message);

describe('LogTail', () => {
  it('ships only new complete lines, follows truncation and rotation', async () => {
    const path = join(work, 'auth.log');
    await writeFile(path, 'old history\n');
    const tail = new LogTail({ paths: [path], hostname: 'h1' });
    expect(await lines(tail)).toEqual([]);
    await appendFile(path, 'first\nsecond\npart');
    expect(await lines(tail)).toEqual(['first', 'second']);
    await appendFile(path, 'ial\n');
    expect(await lines(tail)).toEqual(['partial']);
    await writeFile(path, 'after truncation\n');
    expect(await lines(tail)).toEqual(['after truncation']);
    await rename(path, `${path}.1`);
    await writeFile(path, 'rotated\n');
    expect(await lines(tail)).toEqual(['rotated']);
    const [event] = await (async () => {
      await appendFile(path, 'sshd[1]: Failed password for root\n');
      return tail.poll();
    })();
    expect(event).toMatchObject({
      host: { name: 'h1' },
      log: { file: { path } },
      log_source: { product: 'linux', service: 'auth' },
      event: { original: 'sshd[1]: Failed password for root', dataset: 'agent.log' },
    });
  });
});
