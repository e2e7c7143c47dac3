/**
 * The agent end to end in the lab: the agent process runs in a host namespace, a test gateway
 * in the bridge namespace (TLS, pinned), and this test signs commands with the server key.
 * Covers enrolment, heartbeats, isolation over signed commands with commands still
 * round-tripping while isolated, every kind of refused command, at-least-once telemetry
 * across a dropped connection, `kill -9` while isolated, offline release codes and pinning.
 */
/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- gateway frames are untyped JSON, checked by assertions */
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { X509Certificate, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReleaseCode,
  decodeBase64url,
  encodeBase64url,
  formatEnrolmentToken,
  signCommand,
  verifyCommandResult,
} from '@cordon/protocol';
import type { CommandAction, CommandBody, SignedCommand } from '@cordon/protocol';
import { verifyEd25519 } from '@cordon/agent';
import { Lab, runAttack } from '../src/index.ts';
import type { LabHostLayout } from '../src/index.ts';
import { privilegedTestsUnavailable, uniqueName } from './host-support.ts';

const skip = privilegedTestsUnavailable(['nft', 'ip', 'openssl']);
const GATEWAY = fileURLToPath(new URL('./fixtures/test-gateway.ts', import.meta.url));
const AGENT = fileURLToPath(new URL('../../agent/bin/cordon-agent.ts', import.meta.url));
const PORT = 9443;
const C2_PORT = 4444;
const SSH_PORT = 22;
const TENANT = 'tenant-lab';
const AGENT_ID = 'agent-h1';

interface GatewayEvent {
  event: string;
  message?: any;
}

describe.skipIf(skip !== undefined)('agent runtime in the lab', () => {
  let lab: Lab;
  let host: LabHostLayout;
  let work: string;
  let gateway: ChildProcess;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  const events: GatewayEvent[] = [];
  const serverKey = generateKeyPairSync('ed25519');
  const serverPublicKey = serverKey.publicKey.export({ format: 'jwk' }).x!;
  /** The key the agent currently trusts; replaced by the rotation test. */
  let signingKey = serverKey.privateKey;
  let agentPublicKey: Uint8Array;
  let configPath: string;

  const signWithServer = (message: Uint8Array) => new Uint8Array(sign(null, message, signingKey));

  function command(action: CommandAction, overrides: Partial<CommandBody> = {}): SignedCommand {
    const now = Date.now();
    return signCommand(
      {
        version: 1,
        tenantId: TENANT,
        agentId: AGENT_ID,
        commandId: `cmd-${randomBytes(6).toString('hex')}`,
        nonce: randomBytes(12).toString('hex'),
        issuedAt: now,
        expiresAt: now + 60_000,
        action,
        ...overrides,
      },
      signWithServer,
    );
  }

  function toGateway(request: Record<string, unknown>): void {
    gateway.stdin!.write(`${JSON.stringify(request)}\n`);
  }

  async function waitFor<T>(
    find: () => T | undefined,
    what: string,
    timeoutMs = 15_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; agent log:\n${agentLog.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const messages = (kind: string, from = 0) =>
    events
      .slice(from)
      .filter((e) => e.event === 'message' && e.message.kind === kind)
      .map((e) => e.message);

  /** Sends a command through the gateway and resolves with the agent's verified result body. */
  async function roundTrip(envelope: unknown, commandId?: string) {
    const from = events.length;
    toGateway({ op: 'send', frame: { kind: 'command', command: envelope } });
    const result = await waitFor(
      () =>
        messages('result', from).find(
          (m) => commandId === undefined || m.result.body.commandId === commandId,
        ),
      `result of ${commandId ?? 'command'}`,
    );
    const verified = verifyCommandResult(result.result, {
      agentPublicKey,
      verifySignature: verifyEd25519,
    });
    expect(verified.ok).toBe(true);
    return result.result.body;
  }

  async function startAgent(): Promise<void> {
    const child = await lab.spawnNode(host.namespace, AGENT, ['run', '--config', configPath]);
    child.stderr!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
    agent = child;
  }

  async function killAgent(): Promise<void> {
    if (agent === undefined || agent.exitCode !== null || agent.signalCode !== null) return;
    const exited = new Promise((resolve) => agent!.once('exit', resolve));
    agent.kill('SIGKILL');
    await exited;
  }

  async function isCut(): Promise<boolean> {
    const outcome = await lab.probe(lab.attacker.namespace, host.ipv4, SSH_PORT, 500);
    return outcome !== 'connected';
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cordon-agent-lab-'));
    lab = await Lab.up({ name: uniqueName('ag'), hosts: 1, stateDir: work });
    host = lab.hosts[0]!;
    const certPath = join(work, 'server.crt');
    const keyPath = join(work, 'server.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=cordon-lab',
        '-days',
        '1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    const fingerprint = new X509Certificate(await readFile(certPath)).fingerprint256;
    const tokenSecret = encodeBase64url(randomBytes(24));
    gateway = await lab.spawnNode(lab.layout.bridgeNamespace, GATEWAY, [
      JSON.stringify({
        address: '::',
        port: PORT,
        certPath,
        keyPath,
        tenantId: TENANT,
        agentId: AGENT_ID,
        serverPublicKey,
        tokenSecret,
      }),
    ]);
    let buffered = '';
    gateway.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') events.push(JSON.parse(line));
    });
    await waitFor(() => events.find((e) => e.event === 'ready'), 'gateway ready');
    await lab.listen(lab.attacker.namespace, '::', C2_PORT);
    await lab.listen(host.namespace, '::', SSH_PORT);
    await writeFile(join(work, 'auth.log'), '');
    configPath = join(work, 'agent.json');
    await writeFile(
      configPath,
      JSON.stringify({
        serverUrl: `wss://${lab.layout.gatewayIpv4}:${PORT}/agents`,
        enrolmentToken: formatEnrolmentToken(decodeBase64url(tokenSecret)!, fingerprint),
        stateDir: join(work, 'agent-state'),
        isolation: { allow: [], forbiddenTarget: { address: lab.attacker.ipv4, port: C2_PORT } },
        telemetry: {
          logFiles: [join(work, 'auth.log')],
          processes: true,
          connections: true,
          pollIntervalMs: 200,
        },
        heartbeatIntervalMs: 500,
      }),
    );
    await startAgent();
  });

  afterAll(async () => {
    await killAgent();
    await lab?.down();
    await rm(work, { recursive: true, force: true });
  });

  it('enrols over the pinned TLS connection and sends heartbeats with host facts', async () => {
    const enrol = await waitFor(() => messages('enrol')[0], 'enrol');
    agentPublicKey = decodeBase64url(enrol.publicKey)!;
    const heartbeat = await waitFor(() => messages('heartbeat')[0], 'heartbeat');
    expect(heartbeat.facts.addresses.v4).toContain(host.ipv4);
    expect(heartbeat.facts.addresses.v6).toContain(host.ipv6);
    expect(heartbeat.facts).toMatchObject({
      agentVersion: '0.1.0',
      isolated: false,
      os: { platform: 'linux' },
    });
    const keyMode = (await stat(join(work, 'agent-state', 'agent.key'))).mode & 0o777;
    expect(keyMode).toBe(0o600);
    const enrolment = JSON.parse(
      await readFile(join(work, 'agent-state', 'enrolment.json'), 'utf8'),
    );
    expect(enrolment).toEqual({ tenantId: TENANT, agentId: AGENT_ID, serverPublicKey });
  });

  it('ships the scripted attack as telemetry: brute force lines, reverse shell, C2 connection', async () => {
    const from = events.length;
    const attack = await runAttack(lab, {
      host,
      authLogPath: join(work, 'auth.log'),
      c2Port: 5555,
      attempts: 6,
    });
    const shipped = () => messages('telemetry', from).flatMap((m) => m.events);
    await waitFor(
      () =>
        shipped().filter((e: any) =>
          /Failed password .* from 198\.18\.0\.200/.test(e.message ?? ''),
        ).length >= 6
          ? true
          : undefined,
      'brute force lines',
    );
    const shell = await waitFor(
      () =>
        shipped().find(
          (e: any) =>
            e.event?.action === 'process-started' &&
            e.process.command_line.includes(`/dev/tcp/${lab.attacker.ipv4}/5555`),
        ),
      'reverse shell process start',
    );
    expect(shell.fields.CommandLine).toContain(attack.reverseShellCommand);
    expect(shell.log_source).toEqual({ product: 'linux', category: 'process_creation' });
    const beacon = await waitFor(
      () =>
        shipped().find(
          (e: any) => e.destination?.ip === lab.attacker.ipv4 && e.destination.port === 5555,
        ),
      'C2 connection',
    );
    expect(beacon).toMatchObject({
      network: { transport: 'tcp' },
      log_source: { category: 'network_connection' },
    });
  });

  it('isolates on a signed command, keeps round-tripping commands while isolated, releases', async () => {
    const isolate = command({ kind: 'isolate' });
    const applied = await roundTrip(isolate, isolate.body.commandId);
    expect(applied).toMatchObject({ status: 'applied', tenantId: TENANT, agentId: AGENT_ID });
    expect(await isCut()).toBe(true);
    expect(await lab.probe(host.namespace, lab.attacker.ipv6, C2_PORT, 500)).not.toBe('connected');
    const ping = command({ kind: 'ping' });
    expect(await roundTrip(ping, ping.body.commandId)).toMatchObject({
      status: 'applied',
      detail: 'pong',
    });
    const release = command({ kind: 'release' });
    expect((await roundTrip(release, release.body.commandId)).status).toBe('applied');
    expect(await isCut()).toBe(false);
  });

  it('rolls back and reports why when an allow-list would leave the forbidden target reachable', async () => {
    const leaky = command({ kind: 'isolate', allow: [{ network: lab.attacker.ipv4 }] });
    const body = await roundTrip(leaky, leaky.body.commandId);
    expect(body.status).toBe('rolled-back');
    expect(body.detail).toMatch(/forbidden target 198\.18\.0\.200:4444 still answers/);
    expect(await isCut()).toBe(false);
  });

  it('rejects and reports forged, replayed, expired, cross-tenant, misaddressed and unsigned commands', async () => {
    const other = generateKeyPairSync('ed25519');
    const forged = signCommand(
      command({ kind: 'isolate' }).body,
      (m) => new Uint8Array(sign(null, m, other.privateKey)),
    );
    const ping = command({ kind: 'ping' });
    await roundTrip(ping, ping.body.commandId);
    const now = Date.now();
    const cases: [unknown, string][] = [
      [forged, 'bad-signature'],
      [ping, 'replayed-nonce'],
      [
        command({ kind: 'isolate' }, { issuedAt: now - 120_000, expiresAt: now - 60_000 }),
        'expired',
      ],
      [command({ kind: 'isolate' }, { tenantId: 'tenant-other' }), 'wrong-tenant'],
      [command({ kind: 'isolate' }, { agentId: 'agent-other' }), 'wrong-agent'],
      [
        command({ kind: 'isolate' }, { issuedAt: now + 600_000, expiresAt: now + 660_000 }),
        'not-yet-valid',
      ],
      [{ body: command({ kind: 'isolate' }).body }, 'unsigned'],
      [
        {
          body: { ...command({ kind: 'isolate' }).body, action: { kind: 'wipe' } },
          signature: 'x',
        },
        'malformed',
      ],
    ];
    for (const [envelope, reason] of cases) {
      const body = await roundTrip(envelope);
      expect(body, reason).toMatchObject({ status: 'rejected', rejectionReason: reason });
    }
    expect(await isCut()).toBe(false);
  });

  // issue 13 item 3: a server holding the pinned certificate sent an enrolled agent `enrolled`
  // with another key, then a command signed with it; the agent applied it, saved the key, and
  // refused the real server from then on.
  it('keeps its server key when a peer with the pinned certificate sends enrolled with another key', async () => {
    const enrolmentFile = join(work, 'agent-state', 'enrolment.json');
    const before = await readFile(enrolmentFile, 'utf8');
    const impostor = generateKeyPairSync('ed25519');
    const impostorKey = impostor.publicKey.export({ format: 'jwk' }).x!;
    const logFrom = agentLog.length;
    toGateway({
      op: 'send',
      frame: {
        kind: 'enrolled',
        tenantId: TENANT,
        agentId: AGENT_ID,
        serverPublicKey: impostorKey,
      },
    });
    const forged = signCommand(
      command({ kind: 'isolate' }).body,
      (m) => new Uint8Array(sign(null, m, impostor.privateKey)),
    );
    expect(await roundTrip(forged, forged.body.commandId)).toMatchObject({
      status: 'rejected',
      rejectionReason: 'bad-signature',
    });
    expect(agentLog.slice(logFrom)).toMatch(/refused an enrolled message/);
    // Nor does a repeated challenge or welcome on an authenticated connection change anything.
    const helloCount = messages('hello').length;
    toGateway({ op: 'send', frame: { kind: 'challenge', nonce: 'again' } });
    toGateway({ op: 'send', frame: { kind: 'welcome', serverTime: Date.now() } });
    await waitFor(
      () => (/ignored an unexpected welcome/.test(agentLog.slice(logFrom)) ? true : undefined),
      'unexpected welcome ignored',
    );
    expect(agentLog.slice(logFrom)).toMatch(/ignored an unexpected challenge/);
    expect(messages('hello')).toHaveLength(helloCount);
    expect(await readFile(enrolmentFile, 'utf8')).toBe(before);
    expect(await isCut()).toBe(false);
    const ping = command({ kind: 'ping' });
    expect(await roundTrip(ping, ping.body.commandId)).toMatchObject({ status: 'applied' });
  });

  it('rotates the server key only by a command signed with the current key', async () => {
    const enrolmentFile = join(work, 'agent-state', 'enrolment.json');
    const storedKey = async () => JSON.parse(await readFile(enrolmentFile, 'utf8')).serverPublicKey;
    const next = generateKeyPairSync('ed25519');
    const nextKey = next.publicKey.export({ format: 'jwk' }).x!;
    const other = generateKeyPairSync('ed25519');
    const signWith = (key: typeof other.privateKey) => (m: Uint8Array) =>
      new Uint8Array(sign(null, m, key));
    // A rotation signed with any key but the current one is refused, even one naming itself.
    for (const key of [other.privateKey, next.privateKey]) {
      const bogus = signCommand(
        command({ kind: 'rotate-server-key', publicKey: nextKey }).body,
        signWith(key),
      );
      expect(await roundTrip(bogus, bogus.body.commandId)).toMatchObject({
        status: 'rejected',
        rejectionReason: 'bad-signature',
      });
    }
    expect(await storedKey()).toBe(serverPublicKey);
    const rotate = command({ kind: 'rotate-server-key', publicKey: nextKey });
    expect(await roundTrip(rotate, rotate.body.commandId)).toMatchObject({ status: 'applied' });
    expect(await storedKey()).toBe(nextKey);
    // From now on the old key is refused and the new one accepted.
    const old = command({ kind: 'ping' });
    expect(await roundTrip(old, old.body.commandId)).toMatchObject({
      status: 'rejected',
      rejectionReason: 'bad-signature',
    });
    signingKey = next.privateKey;
    const ping = command({ kind: 'ping' });
    expect(await roundTrip(ping, ping.body.commandId)).toMatchObject({ status: 'applied' });
  });

  it('delivers telemetry at least once across a dropped connection', async () => {
    toGateway({ op: 'ack', enabled: false });
    const line = `Nov 28 04:00:00 h1 sshd[4242]: Failed password for root from ${lab.attacker.ipv4} port 50022 ssh2 ${randomBytes(4).toString('hex')}`;
    const from = events.length;
    await appendFile(join(work, 'auth.log'), `${line}\n`);
    const carrying = (start: number) => () =>
      messages('telemetry', start).find((m) =>
        m.events.some((e: { message?: string }) => e.message === line),
      );
    const first = await waitFor(carrying(from), 'telemetry batch with the log line');
    const event = first.events.find((e: { message?: string }) => e.message === line);
    expect(event).toMatchObject({
      event: { original: line },
      log_source: { product: 'linux', service: 'auth' },
    });
    toGateway({ op: 'ack', enabled: true });
    const beforeDrop = events.length;
    toGateway({ op: 'drop' });
    await waitFor(() => messages('hello', beforeDrop)[0], 'reconnect with a signed hello');
    const again = await waitFor(carrying(beforeDrop), 'the same batch resent');
    expect(again.seq).toBe(first.seq);
    const spool = join(work, 'agent-state', 'spool');
    let spoolDrained = false;
    for (let i = 0; i < 100 && !spoolDrained; i += 1) {
      const files = (await readdir(spool)).filter((f) => f.startsWith('batch-'));
      const seqs = files.map((f) => Number(f.slice(6, 22)));
      spoolDrained = !seqs.includes(first.seq);
      if (!spoolDrained) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(spoolDrained).toBe(true);
  });

  it('stays isolated when the agent is killed with SIGKILL, reconciles on restart, and releases', async () => {
    const isolate = command({ kind: 'isolate' });
    expect((await roundTrip(isolate, isolate.body.commandId)).status).toBe('applied');
    await killAgent();
    expect(await isCut()).toBe(true);
    await lab.exec(host.namespace, ['nft', 'flush', 'ruleset']); // and even if the rules were lost
    expect(await isCut()).toBe(false);
    const from = events.length;
    await startAgent();
    await waitFor(() => messages('hello', from)[0], 'hello after restart');
    const heartbeat = await waitFor(
      () => messages('heartbeat', from)[0],
      'heartbeat after restart',
    );
    expect(heartbeat.facts.isolated).toBe(true);
    expect(await isCut()).toBe(true);
    // Nonces survive the restart: the isolate command from before the crash cannot be replayed.
    expect(await roundTrip(isolate)).toMatchObject({
      status: 'rejected',
      rejectionReason: 'replayed-nonce',
    });
    const release = command({ kind: 'release' });
    expect((await roundTrip(release, release.body.commandId)).status).toBe('applied');
    expect(await isCut()).toBe(false);
  });

  it('accepts an offline release code once, for this agent only', async () => {
    const isolate = command({ kind: 'isolate' });
    expect((await roundTrip(isolate, isolate.body.commandId)).status).toBe('applied');
    await killAgent();
    const claims = {
      tenantId: TENANT,
      agentId: AGENT_ID,
      codeId: randomBytes(8).toString('hex'),
      expiresAt: Date.now() + 3600_000,
    };
    const code = createReleaseCode(claims, signWithServer);
    const foreign = createReleaseCode({ ...claims, agentId: 'agent-other' }, signWithServer);
    const release = (text: string) =>
      lab
        .exec(host.namespace, [
          process.execPath,
          AGENT,
          'release',
          '--config',
          configPath,
          '--code',
          text,
        ])
        .then(
          (r) => JSON.parse(r.stdout),
          (error: { stdout: string }) => JSON.parse(error.stdout),
        );
    expect(await release(foreign)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await isCut()).toBe(true);
    expect(await release(code)).toMatchObject({ ok: true, codeId: claims.codeId });
    expect(await isCut()).toBe(false);
    expect(await release(code)).toEqual({ ok: false, reason: 'already-used' });
  });

  it('sends nothing to a server whose certificate does not match the pin', async () => {
    await killAgent();
    const badConfig = join(work, 'bad-pin.json');
    const config = JSON.parse(await readFile(configPath, 'utf8'));
    await writeFile(
      badConfig,
      JSON.stringify({
        ...config,
        serverCertificateSha256: 'ab'.repeat(32),
        stateDir: join(work, 'bad-state'),
      }),
    );
    const from = events.length;
    const child = await lab.spawnNode(host.namespace, AGENT, ['run', '--config', badConfig]);
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitFor(
      () => (/does not match the pinned one/.test(log) ? true : undefined),
      'pin mismatch logged',
    );
    expect(events.slice(from).filter((e) => e.event === 'message')).toEqual([]);
    child.kill('SIGKILL');
  });
});
