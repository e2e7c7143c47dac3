/**
 * `cordon notify channel add|disable|enable|remove` on a real SQLite data directory: the secret
 * is printed once and stored sealed under the data directory's key (the database row holds no
 * plaintext), and each change is journaled.
 */
import { openStore } from '@cordon/storage';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'cordon-notify-cli-'));
const dataDir = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli([...args, '--data-dir', dataDir], {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {},
  });
  return { code, out, err };
}

describe('cordon notify channel', () => {
  it('adds a webhook with a sealed secret, disables, enables and removes it, journaled', async () => {
    const tenant = JSON.parse((await run(['tenant', 'create', 'Acme', '--json'])).out) as {
      id: string;
    };
    const added = await run([
      'notify',
      'channel',
      'add',
      '--tenant',
      tenant.id,
      '--name',
      'pager',
      '--webhook',
      'https://pager.example/hook',
    ]);
    expect(added.err).toBe('');
    const [id, secretLine] = added.out.trim().split('\n');
    const secret = secretLine!.replace(/^secret /, '');
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(statSync(join(dataDir, 'keys', 'secrets-aes256gcm.key')).mode & 0o777).toBe(0o600);

    for (const action of ['disable', 'enable', 'remove'])
      expect((await run(['notify', 'channel', action, id!, '--tenant', tenant.id])).out).toBe(
        `${action === 'remove' ? 'removed' : `${action}d`} ${id}\n`,
      );
    const missing = await run(['notify', 'channel', 'enable', id!, '--tenant', tenant.id]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('channel');

    const store = await openStore({ dataDir });
    try {
      const kinds = await store.transaction(async (uow) =>
        (await uow.forTenant(tenant.id).journal.list({}, 100)).map((e) => e.kind),
      );
      expect(kinds.filter((k) => k.startsWith('notification.'))).toEqual([
        'notification.channel_added',
        'notification.channel_disabled',
        'notification.channel_enabled',
        'notification.channel_removed',
      ]);
    } finally {
      await store.close();
    }
  });

  it('never stores the secret in plaintext', async () => {
    const tenant = JSON.parse((await run(['tenant', 'create', 'Beta', '--json'])).out) as {
      id: string;
    };
    const added = await run([
      'notify',
      'channel',
      'add',
      '--tenant',
      tenant.id,
      '--name',
      'hook',
      '--webhook',
      'https://hooks.example/in',
    ]);
    const [id, secretLine] = added.out.trim().split('\n');
    const secret = secretLine!.replace(/^secret /, '');
    const store = await openStore({ dataDir });
    try {
      const row = await store.database.kysely
        .selectFrom('notification_channels')
        .select('secret')
        .where('id', '=', id!)
        .executeTakeFirstOrThrow();
      expect(row.secret).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
      expect(row.secret).not.toContain(secret);
    } finally {
      await store.close();
    }
  });
});
