import { execFileSync, spawn } from 'node:child_process';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accountSafeguards, disableAccount, enableAccount, readPasswd } from '../index.ts';

function available(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  try {
    execFileSync('sh', ['-c', 'command -v useradd && command -v usermod && command -v pkill'], {
      stdio: 'ignore',
    });
  } catch {
    return 'needs useradd, usermod and pkill';
  }
  return undefined;
}
const skip = available();
if (skip !== undefined) {
  if (process.env.CI === 'true') throw new Error(`CI=true but account tests cannot run: ${skip}`);
  console.warn(`skipping account lock tests: ${skip}`);
}

const user = `cordont${process.pid.toString(36)}`;

describe.skipIf(skip !== undefined)('disableAccount', () => {
  afterAll(() => {
    try {
      execFileSync('pkill', ['-KILL', '-u', user], { stdio: 'ignore' });
    } catch {
      // no processes left
    }
    try {
      execFileSync('userdel', [user], { stdio: 'ignore' });
    } catch {
      // not created
    }
  });

  it('locks and expires the account and ends its processes; enable reverses the lock', async () => {
    execFileSync('useradd', ['--no-create-home', '--shell', '/bin/sh', user]);
    execFileSync('usermod', ['--password', '$6$salt$hash', user]);
    const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    const session = spawn('sleep', ['300'], { uid });
    const ended = new Promise((resolve) => session.once('exit', (_c, signal) => resolve(signal)));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const report = await disableAccount(user);
    expect(report).toEqual({ user, uid, sessionsEnded: true });
    expect(await ended).toBe('SIGKILL');
    const shadow = (await readFile('/etc/shadow', 'utf8'))
      .split('\n')
      .find((l) => l.startsWith(`${user}:`))!;
    const fields = shadow.split(':');
    expect(fields[1]).toMatch(/^!/);
    expect(fields[7]).toBe('1');

    await enableAccount(user);
    const after = (await readFile('/etc/shadow', 'utf8'))
      .split('\n')
      .find((l) => l.startsWith(`${user}:`))!;
    expect(after.split(':')[1]).toBe('$6$salt$hash');
    expect(after.split(':')[7]).toBe('');
  });

  it('refuses root, unknown accounts and names that are not account names', async () => {
    await expect(disableAccount('root')).rejects.toThrow(/uid 0/);
    await expect(disableAccount('root', { force: true })).rejects.toThrow(/uid 0/);
    await expect(disableAccount('nosuchuser-xyz')).rejects.toThrow(/no local account/);
    await expect(disableAccount('-e 0 root')).rejects.toThrow(/not an account name/);
    await expect(disableAccount('a;reboot')).rejects.toThrow(/not an account name/);
  });

  // issue 13: disabling an account refused only uid 0; system accounts and the accounts the
  // agent or its services run as must be refused unless an incident lead forces it.
  it("refuses system accounts and the agent's own unless forced", async () => {
    const system = (await readPasswd()).find((e) => e.uid > 0 && e.uid < 1000);
    if (system !== undefined) {
      await expect(disableAccount(system.name)).rejects.toThrow(/system account.*incident lead/);
    }
    const nobody = (await readPasswd()).find((e) => e.name === 'nobody');
    if (nobody !== undefined) await expect(disableAccount('nobody')).rejects.toThrow(/nobody/);

    const owner = `${user}s`;
    const dir = await mkdtemp(join(tmpdir(), 'cordon-account-'));
    try {
      execFileSync('useradd', ['--no-create-home', '--shell', '/bin/sh', owner]);
      const uid = Number(execFileSync('id', ['-u', owner]).toString().trim());
      const config = join(dir, 'agent.json');
      await writeFile(config, '{}');
      await chown(config, uid, 0);
      const safeguards = await accountSafeguards({ ownedPaths: [config] });
      await expect(disableAccount(owner, { safeguards })).rejects.toThrow(
        /agent or its services need it.*incident lead/,
      );
      const loginDefs = join(dir, 'login.defs');
      await writeFile(loginDefs, '# test\nUID_MIN\t\t 60000\n');
      const strict = await accountSafeguards({ ownedPaths: [], loginDefsPath: loginDefs });
      await expect(disableAccount(owner, { safeguards: strict })).rejects.toThrow(
        /below UID_MIN 60000/,
      );
      const forced = await disableAccount(owner, { safeguards, force: true });
      expect(forced).toMatchObject({ user: owner, uid });
      const shadow = (await readFile('/etc/shadow', 'utf8'))
        .split('\n')
        .find((l) => l.startsWith(`${owner}:`))!;
      expect(shadow.split(':')[7]).toBe('1');
      await enableAccount(owner);
    } finally {
      try {
        execFileSync('userdel', [owner], { stdio: 'ignore' });
      } catch {
        // not created
      }
      await rm(dir, { recursive: true, force: true });
    }
  });
});
