/**
 * The contained guard over the API on both dialects. It used to read no containment at all (a
 * hard-coded zero), so an incident moved to *contained* while its isolation was still waiting
 * for approval or had failed. Now an action in flight, a failed one with nothing applied in its
 * place, and a decision waiting for its failover each keep the incident from *contained*.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const facts = {
  hostname: 'ws-17',
  os: { platform: 'linux', release: '6.1' },
  addresses: { v4: ['192.0.2.47'], v6: [] },
  agentVersion: '0.1.0',
  isolated: false,
};
const NOTE = 'ws-17 isolated from the network; responders keep SSH from the SOC jump host.';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`the contained guard (${dialect})`, () => {
    let t: TestServer;
    let tenantId = '';
    let lead: Record<string, string>;
    const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
      const response = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${url}`,
        headers: lead,
        ...(payload === undefined ? {} : { payload }),
      });
      return { status: response.statusCode, body: response.json() };
    };

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      lead = bearer(await t.token(tenantId, 'incident_lead'));
      const issued = await api('POST', '/agents/enrolment-tokens', {});
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
      const enrolled = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enrol',
        payload: { token: issued.body.token, publicKey, facts },
      });
      expect(enrolled.statusCode).toBe(201);
    });
    afterAll(async () => t.dispose());

    it('refuses contained while an isolation is in flight, then while it stands failed', async () => {
      const incident = (
        await api('POST', '/incidents', { title: 'ws-17 beacon', severity: 'high' })
      ).body;
      const id: string = incident.id;
      const identified = await api('POST', `/incidents/${id}/transitions`, {
        to: 'identified',
        overrideJustification: 'identification is not under test here',
      });
      expect(identified.status).toBe(200);
      expect((await api('PATCH', `/incidents/${id}`, { containmentNote: NOTE })).status).toBe(200);
      const move = () => api('POST', `/incidents/${id}/transitions`, { to: 'contained' });

      // With nothing asked of an agent, the note is enough (the preview says so too).
      const preview = await api('GET', `/incidents/${id}/next-phase`);
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body).toMatchObject({ to: 'contained', check: 'allowed' });

      const requested = await api('POST', '/actions', {
        host: 'ws-17',
        action: { kind: 'isolate' },
        incidentId: id,
      });
      expect(requested.status, JSON.stringify(requested.body)).toBe(201);
      expect(['requested', 'approved']).toContain(requested.body.state);
      const inFlight = await move();
      expect(inFlight.status).toBe(422);
      expect(inFlight.body.error.details.unmet).toEqual([
        "1 containment action is not yet applied (requested, approved or sent): approve them, or wait for the agent's report",
      ]);

      if (requested.body.state === 'requested') {
        const denied = await api('POST', `/actions/${requested.body.id}/deny`, {
          reason: 'wrong host named in the ticket',
        });
        expect(denied.status, JSON.stringify(denied.body)).toBe(200);
        const failed = await move();
        expect(failed.status).toBe(422);
        expect(failed.body.error.details.unmet).toEqual([
          '1 containment action failed with nothing applied in its place: retry it, or record why not',
        ]);
      }

      // A lead may still override, in writing; the override is kept with what was unmet.
      const overridden = await api('POST', `/incidents/${id}/transitions`, {
        to: 'contained',
        overrideJustification: 'isolation done by the client at the switch port, see ticket 4411',
      });
      expect(overridden.status).toBe(200);
      expect(overridden.body.transition.unmetConditions).toHaveLength(1);
    });
  });
}
