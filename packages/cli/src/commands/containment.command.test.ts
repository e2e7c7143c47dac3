/**
 * `cordon action …` and `cordon agent token|list` against a real server listening on a port
 * (SQLite in a temporary directory), with an agent enrolled over REST but not connected: the
 * requests, the approval gate, refusals with their exit codes.
 */
import type { CordonServer } from '@cordon/server';
import { createServer, defaultServerConfig } from '@cordon/server';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';

const system = { kind: 'system', name: 'test' } as const;

let server: CordonServer;
let dir: string;
let env: Record<string, string>;
let tenantId: string;
let agentId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-action-cli-'));
  server = await createServer({
    config: { ...defaultServerConfig, dataDir: dir, port: 0 },
    logger: false,
  });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  tenantId = (await server.services.access.createTenant(system, 'Acme')).id;
  const { token } = await server.services.access.createToken(system, {
    tenantId,
    role: 'incident_lead',
  });
  env = { CORDON_SERVER: address, CORDON_TOKEN: token };
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], environment: Record<string, string> = env) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(args, { stdout, stderr, stdin: new PassThrough(), env: environment });
  return { code, out, err };
}

describe('cordon action and cordon agent (API client)', () => {
  it('issues an enrolment token that enrols once, and lists the agent', async () => {
    const issued = await run(['agent', 'token', '--json']);
    expect(issued.code).toBe(0);
    const { token } = JSON.parse(issued.out) as { token: string };
    const response = await fetch(`${env['CORDON_SERVER']}/api/v1/agents/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token,
        publicKey: generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x,
        facts: {
          hostname: 'ws-7',
          os: { platform: 'linux', release: '6.1' },
          addresses: { v4: ['192.0.2.7'], v6: [] },
          agentVersion: '0.1.0',
          isolated: false,
        },
      }),
    });
    expect(response.status).toBe(201);
    agentId = ((await response.json()) as { agentId: string }).agentId;
    const listed = await run(['agent', 'list']);
    expect(listed.out).toMatch(new RegExp(`${agentId}\\s+ws-7\\s+offline`));
  });

  it('requests actions by host name or address, tied to an incident', async () => {
    const incident = await server.services.incidents.create(system, tenantId, {
      title: 'beacon from ws-7',
      severity: 'high',
    });
    const isolate = await run([
      'action',
      'isolate',
      '--host',
      'ws-7',
      '--incident',
      incident.id,
      '--allow',
      '192.0.2.50/32:22',
      '--json',
    ]);
    expect(isolate, isolate.err).toMatchObject({ code: 0 });
    expect(JSON.parse(isolate.out)).toMatchObject({
      agentId,
      incidentId: incident.id,
      state: 'approved',
      action: { kind: 'isolate', allow: [{ network: '192.0.2.50', ports: [22] }] },
    });
    const block = await run(['action', 'block', '--host', '192.0.2.7', '--target', '203.0.113.9']);
    expect(block).toMatchObject({ code: 0 });
    expect(block.out).toMatch(/^block on 192\.0\.2\.7 \(agent-[0-9a-f]+\): approved/);
    const listed = await run(['action', 'list', '--incident', incident.id, '--json']);
    expect(
      (JSON.parse(listed.out) as { action: { kind: string } }[]).map((a) => a.action.kind),
    ).toEqual(['isolate']);
  });

  it("passes --force on disable-account (the token here is an incident lead's)", async () => {
    const forced = await run([
      'action',
      'disable-account',
      '--host',
      'ws-7',
      '--user',
      'svc-backup',
      '--force',
      '--json',
    ]);
    expect(forced, forced.err).toMatchObject({ code: 0 });
    expect(JSON.parse(forced.out)).toMatchObject({
      action: { kind: 'disable-account', user: 'svc-backup', force: true },
    });
    const plain = await run([
      'action',
      'disable-account',
      '--host',
      'ws-7',
      '--user',
      'bob',
      '--json',
    ]);
    expect(JSON.parse(plain.out).action).toEqual({ kind: 'disable-account', user: 'bob' });
  });

  // issue 13 item 7: identity changes an agent reports wait for a lead; the CLI decides them.
  it('lists pending identity changes and lets a lead approve one', async () => {
    const agent = await server.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.agents.get(agentId),
    );
    const changeId = '00000000-0000-4000-8000-0000000000d7';
    await server.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.identityChanges.insert({
        id: changeId,
        tenantId,
        agentId,
        from: agent!.identity,
        to: { hostname: 'ws-7b', addresses: { v4: ['192.0.2.8'], v6: [] } },
        state: 'pending',
        reportedAt: Date.now(),
        decidedBy: null,
        decidedAt: null,
        reason: null,
      }),
    );
    const listed = await run(['agent', 'identity', 'list']);
    expect(listed.out).toMatch(
      new RegExp(`${changeId}\\s+pending\\s+${agentId}\\s+ws-7 \\[192\\.0\\.2\\.7\\] → ws-7b`),
    );
    expect((await run(['agent', 'identity', 'approve'])).code).not.toBe(0);
    const approved = await run(['agent', 'identity', 'approve', changeId]);
    expect(approved, approved.err).toMatchObject({ code: 0 });
    expect(approved.out).toMatch(/approved: .* answers to ws-7b \[192\.0\.2\.8\]/);
    const again = await run(['agent', 'identity', 'deny', changeId, '--reason', 'late']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/conflict/);
    expect((await run(['agent', 'identity', 'list'])).out).toBe('');
    // Back, so the other tests keep finding the agent as ws-7.
    await server.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.agents.setIdentity(agentId, agent!.identity),
    );
  });

  it('approves and denies held actions', async () => {
    const held = () =>
      server.containment.queue.request({
        tenantId,
        agentId,
        action: { kind: 'isolate' },
        requestedBy: 'policy:auto-containment',
        requiresApproval: true,
      });
    const [a, b] = [await held(), await held()];
    expect((await run(['action', 'approve', a.id])).out).toMatch(/isolate on agent-\w+: approved/);
    const denied = await run(['action', 'deny', b.id, '--reason', 'production database']);
    expect(denied.out).toMatch(/failed — denied: production database/);
    expect((await run(['action', 'approve', b.id])).code).toBe(1);
  });

  it('refuses bad input with a clear message and the right exit code', async () => {
    expect(await run(['action', 'isolate', '--host', 'nowhere'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/no enrolled agent answers to host "nowhere"/),
    });
    expect(await run(['action', 'block', '--host', 'ws-7'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--target is required/),
    });
    expect(await run(['action', 'kill', '--host', 'ws-7', '--pid', 'x'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/invalid_input/),
    });
    expect(await run(['action', 'isolate', '--host', 'ws-7'], {})).toMatchObject({
      code: 2,
      err: expect.stringMatching(/CORDON_TOKEN/),
    });
  });
});
