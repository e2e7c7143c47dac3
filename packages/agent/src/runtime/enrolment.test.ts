/**
 * issue 13 item 3: the agent accepted a new server key after enrolment. The stored key is
 * written once and never overwritten by enrolment; an unreadable file is not "unenrolled".
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolmentPath, loadEnrolment, replaceServerKey, saveEnrolment } from './enrolment.ts';

const KEY_A = 'A'.repeat(43);
const KEY_B = `${'B'.repeat(42)}A`;
const enrolment = { tenantId: 'tenant-a', agentId: 'agent-1', serverPublicKey: KEY_A };

describe('enrolment: the server key is written once', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-enrolment-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a second enrolment and leaves the file as it was', async () => {
    await saveEnrolment(dir, enrolment);
    const before = await readFile(enrolmentPath(dir), 'utf8');
    await expect(saveEnrolment(dir, { ...enrolment, serverPublicKey: KEY_B })).rejects.toThrow(
      /already enrolled/,
    );
    expect(await readFile(enrolmentPath(dir), 'utf8')).toBe(before);
    expect(await loadEnrolment(dir)).toEqual(enrolment);
  });

  it('replaces the key only from the current one', async () => {
    await saveEnrolment(dir, enrolment);
    await expect(
      replaceServerKey(dir, { ...enrolment, serverPublicKey: KEY_B }, KEY_B),
    ).rejects.toThrow(/current key/);
    expect(await replaceServerKey(dir, enrolment, KEY_B)).toEqual({
      ...enrolment,
      serverPublicKey: KEY_B,
    });
    expect((await loadEnrolment(dir))?.serverPublicKey).toBe(KEY_B);
  });

  it('treats a corrupt or malformed file as an error, not as "not enrolled"', async () => {
    expect(await loadEnrolment(dir)).toBeUndefined();
    for (const text of ['{', '{}', JSON.stringify({ ...enrolment, serverPublicKey: 'short' })]) {
      await writeFile(enrolmentPath(dir), text);
      await expect(loadEnrolment(dir), text).rejects.toThrow(/enrolment|not JSON/);
    }
  });
});
