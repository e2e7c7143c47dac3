/**
 * The containment API on both dialects, without agents connected: enrolment (one-time token,
 * REST enrol), the registry, roles (viewers read, responders contain, leads approve), the
 * approval gate that auto-containment puts on servers, denials, offline release codes that
 * the agent would accept, and the per-tenant policy — each change journalled.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { decodeBase64url, verifyReleaseCode } from '@cordon/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEd25519Raw } from '../src/index.ts';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const facts = {
  hostname: 'srv-db-01',
  os: { platform: 'linux', release: '6.1' },
  addresses: { v4: ['192.0.2.20'], v6: [] },
  agentVersion: '0.1.0',
  isolated: false,
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`containment API (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let lead: string;
    let responder: string;
    let viewer: string;
    let agentId: string;
    let serverPublicKey: string;
    const base = () => `/api/v1/tenants/${tenantId}`;
    const call = async (method: string, url: string, token?: string, payload?: object) => {
      const response = await t.server.app.inject({
        method: method as 'GET',
        url,
        headers: token === undefined ? {} : bearer(token),
        ...(payload === undefined ? {} : { payload }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
      return { status: response.statusCode, body: response.json<Record<string, any>>() };
    };

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      lead = await t.token(tenantId, 'incident_lead');
      responder = await t.token(tenantId, 'responder');
      viewer = await t.token(tenantId, 'client_viewer');
    });
    afterAll(async () => t.dispose());

    it('enrols an agent once per token, and lists it to viewers', async () => {
      expect((await call('POST', `${base()}/agents/enrolment-tokens`, responder, {})).status).toBe(
        403,
      );
      const issued = await call('POST', `${base()}/agents/enrolment-tokens`, lead, {
        ttlMinutes: 5,
      });
      expect(issued.status).toBe(201);
      expect(issued.body.certificateSha256).toBe(t.server.containment.tls().certificateSha256);
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
      const enrol = { token: issued.body.token, publicKey, facts };
      const enrolled = await call('POST', '/api/v1/agents/enrol', undefined, enrol);
      expect(enrolled.status).toBe(201);
      expect(enrolled.body.tenantId).toBe(tenantId);
      ({ agentId, serverPublicKey } = enrolled.body as {
        agentId: string;
        serverPublicKey: string;
      });
      expect((await call('POST', '/api/v1/agents/enrol', undefined, enrol)).status).toBe(401);
      const listed = await call('GET', `${base()}/agents`, viewer);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ agentId, hostname: 'srv-db-01', online: false, isolated: false }),
      ]);
      expect((await call('GET', `${base()}/agents/agent-0000000000000000`, viewer)).status).toBe(
        404,
      );
    });

    it('refuses bad requests with a clear error and nothing written', async () => {
      const before = (await call('GET', `${base()}/actions`, viewer)).body.items.length;
      const cases = [
        [{ host: 'srv-db-01', action: { kind: 'block', target: '999.1.1.1' } }, 400],
        [{ host: 'srv-db-01', action: { kind: 'format-disk' } }, 400],
        [{ host: 'nowhere', action: { kind: 'isolate' } }, 404],
        [
          {
            host: 'srv-db-01',
            action: { kind: 'isolate' },
            incidentId: '00000000-0000-4000-8000-000000000009',
          },
          404,
        ],
      ] as const;
      for (const [payload, status] of cases) {
        const answer = await call('POST', `${base()}/actions`, responder, payload);
        expect(answer.status, JSON.stringify(payload)).toBe(status);
        expect(answer.body.error.message).toEqual(expect.any(String));
      }
      expect((await call('POST', `${base()}/actions`, viewer, cases[0][0])).status).toBe(403);
      expect((await call('GET', `${base()}/actions`, viewer)).body.items).toHaveLength(before);
    });

    it('holds auto-containment of a server for a lead: responders cannot approve, leads approve or deny', async () => {
      const incident = await t.server.services.incidents.create(system, tenantId, {
        title: 'ransomware note on srv-db-01',
        severity: 'critical',
      });
      const raise = () =>
        t.server.containment.service.onIncidentRaised({
          tenantId,
          incident,
          opened: true,
          hosts: ['srv-db-01'],
          originIps: [],
          eventIds: [],
        });
      const [held] = await raise();
      expect(held).toMatchObject({ state: 'requested', requestedBy: 'policy:auto-containment' });
      // Raised again while one is pending: no second action.
      expect(await raise()).toEqual([]);
      const url = `${base()}/actions/${held!.id}`;
      expect((await call('POST', `${url}/approve`, responder, {})).status).toBe(403);
      const approved = await call('POST', `${url}/approve`, lead, {});
      expect(approved.body).toMatchObject({
        state: 'approved',
        approvedBy: expect.stringMatching(/^token:/),
      });
      expect((await call('POST', `${url}/approve`, lead, {})).status).toBe(409);

      const requested = await call('POST', `${base()}/actions`, responder, {
        host: agentId,
        action: { kind: 'block', target: '203.0.113.0/24' },
        incidentId: incident.id,
      });
      expect(requested.body.state).toBe('approved');
      const shown = await call('GET', url, viewer);
      expect(shown.body.transitions.map((x: { to: string }) => x.to)).toEqual([
        'requested',
        'approved',
      ]);
      const journal = await t.server.store.transaction(async (uow) =>
        uow.forTenant(tenantId).journal.list({ incidentId: incident.id }, 100),
      );
      expect(journal.filter((e) => e.kind.startsWith('action.')).map((e) => e.kind)).toEqual([
        'action.requested',
        'action.approved',
        'action.requested',
        'action.approved',
      ]);
    });

    it('lets a lead deny a held action, with the reason kept', async () => {
      const action = await t.server.containment.queue.request({
        tenantId,
        agentId,
        action: { kind: 'isolate' },
        requestedBy: 'policy:auto-containment',
        requiresApproval: true,
      });
      const denied = await call('POST', `${base()}/actions/${action.id}/deny`, lead, {
        reason: 'database is the only copy; take a snapshot first',
      });
      expect(denied.body).toMatchObject({
        state: 'failed',
        detail: 'denied: database is the only copy; take a snapshot first',
      });
    });

    it('issues offline release codes to leads only, that the agent would accept once', async () => {
      const url = `${base()}/agents/${agentId}/release-codes`;
      expect((await call('POST', url, responder, {})).status).toBe(403);
      const issued = await call('POST', url, lead, { ttlMinutes: 30 });
      expect(issued.status).toBe(201);
      const verdict = verifyReleaseCode(issued.body.code as string, {
        tenantId,
        agentId,
        serverPublicKey: decodeBase64url(serverPublicKey)!,
        verifySignature: verifyEd25519Raw,
        now: Date.now(),
        usedCodeIds: new Set(),
      });
      expect(verdict).toMatchObject({ ok: true, codeId: issued.body.codeId });
      const kept = await t.server.store.transaction(async (uow) =>
        uow.forTenant(tenantId).containment.releaseCodes.list(agentId),
      );
      expect(kept.map((c) => c.codeId)).toEqual([issued.body.codeId]);
      expect(JSON.stringify(kept)).not.toContain(issued.body.code as string);
    });

    it('keeps a per-tenant policy that leads set and everyone reads', async () => {
      const url = `${base()}/containment-policy`;
      expect((await call('GET', url, viewer)).body).toMatchObject({
        isDefault: true,
        rules: [
          { minSeverity: 'high', assetRole: 'workstation', response: 'isolate' },
          { minSeverity: 'high', assetRole: 'server', response: 'request-approval' },
        ],
      });
      const rules = [{ minSeverity: 'critical', assetRole: 'any', response: 'isolate' }];
      expect((await call('PUT', url, responder, { rules })).status).toBe(403);
      expect((await call('PUT', url, lead, { rules: [{ minSeverity: 'urgent' }] })).status).toBe(
        400,
      );
      const set = await call('PUT', url, lead, { rules });
      expect(set.body).toMatchObject({ isDefault: false, rules });
      expect((await call('GET', url, viewer)).body.rules).toEqual(rules);
    });

    // issue 13: an allow-list opening everything is refused by the API as by the agent; a
    // key rotation cannot be requested; `force` on disable-account is an incident lead's.
    it('refuses no-isolation allow-lists, requested key rotations and force from a non-lead', async () => {
      const before = (await call('GET', `${base()}/actions`, viewer)).body.items.length;
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
      const cases = [
        [responder, { kind: 'isolate', allow: ['0.0.0.0/0'] }, 400],
        [responder, { kind: 'isolate', allow: ['0.0.0.0/1', '128.0.0.0/1'] }, 400],
        [lead, { kind: 'isolate', allow: [{ network: '::/0', ports: [443] }] }, 400],
        [lead, { kind: 'rotate-server-key', publicKey }, 400],
        [responder, { kind: 'disable-account', user: 'svc-backup', force: true }, 403],
      ] as const;
      for (const [token, action, status] of cases) {
        const answer = await call('POST', `${base()}/actions`, token, { host: agentId, action });
        expect(answer.status, JSON.stringify(action)).toBe(status);
      }
      expect((await call('GET', `${base()}/actions`, viewer)).body.items).toHaveLength(before);
      const forced = await call('POST', `${base()}/actions`, lead, {
        host: agentId,
        action: { kind: 'disable-account', user: 'svc-backup', force: true },
      });
      expect(forced.status).toBe(201);
      expect(forced.body.action).toEqual({
        kind: 'disable-account',
        user: 'svc-backup',
        force: true,
      });
    });
  });
}
