/**
 * The eradicated guard over the API on both dialects: every eradication step — the incident's
 * tasks in phase `eradicated` and its removal actions — must be done or waived with a reason.
 * Waiving is an incident lead's decision, in writing, journalled; the eradication view shows
 * each step's state and what the guard still needs.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const facts = {
  hostname: 'web-02',
  os: { platform: 'linux', release: '6.1' },
  addresses: { v4: ['192.0.2.31'], v6: [] },
  agentVersion: '0.1.0',
  isolated: false,
};
const REASON = 'Host is rebuilt from the golden image on Monday; the unit goes with it.';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`the eradicated guard (${dialect})`, () => {
    let t: TestServer;
    let tenantId = '';
    let lead: Record<string, string>;
    let responder: Record<string, string>;
    let viewer: Record<string, string>;
    const api = async (
      method: 'GET' | 'POST' | 'PATCH',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => {
      const response = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${url}`,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      return { status: response.statusCode, body: response.json() };
    };

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      lead = bearer(await t.token(tenantId, 'incident_lead'));
      responder = bearer(await t.token(tenantId, 'responder'));
      viewer = bearer(await t.token(tenantId, 'client_viewer'));
      const issued = await api('POST', '/agents/enrolment-tokens', lead, {});
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
      const enrolled = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enrol',
        payload: { token: issued.body.token, publicKey, facts },
      });
      expect(enrolled.statusCode).toBe(201);
    });
    afterAll(async () => t.dispose());

    it('needs every task and removal action done or waived, and journals each waiver', async () => {
      const incident = (
        await api('POST', '/incidents', lead, {
          title: 'backdoor unit on web-02',
          severity: 'high',
        })
      ).body;
      const id: string = incident.id;
      for (const to of ['identified', 'contained', 'analysed']) {
        const moved = await api('POST', `/incidents/${id}/transitions`, lead, {
          to,
          overrideJustification: 'facts are recorded in the ticket; not under test here',
        });
        expect(moved.status, to).toBe(200);
      }
      const move = () => api('POST', `/incidents/${id}/transitions`, lead, { to: 'eradicated' });
      expect((await move()).body.error.details.unmet).toEqual(['no eradication tasks recorded']);

      const reset = (
        await api('POST', `/incidents/${id}/tasks`, responder, {
          phase: 'eradicated',
          title: 'Reset the svc-web password (AD, not managed by Cordon)',
        })
      ).body;
      const image = (
        await api('POST', `/incidents/${id}/tasks`, responder, {
          phase: 'eradicated',
          title: 'Re-image web-02',
        })
      ).body;
      // The agent is not connected: the action stays queued.
      const removal = await api('POST', '/actions', responder, {
        host: 'web-02',
        incidentId: id,
        action: {
          kind: 'remove-persistence',
          target: { kind: 'systemd-unit', path: '/etc/systemd/system/dbus-updater.service' },
        },
      });
      expect(removal.status).toBe(201);
      // A containment action is no eradication step.
      const block = await api('POST', '/actions', responder, {
        host: 'web-02',
        incidentId: id,
        action: { kind: 'block', target: '203.0.113.9' },
      });
      expect(block.status).toBe(201);

      expect((await move()).body.error.details.unmet).toEqual([
        '2 of 2 eradication tasks not done',
        '1 eradication actions not yet applied',
      ]);
      expect(
        (await api('PATCH', `/incidents/${id}/tasks/${reset.id}`, responder, { status: 'done' }))
          .status,
      ).toBe(200);

      // Waiving a task: a lead's call, with a written reason.
      const waiveTask = (headers: Record<string, string>, payload: object) =>
        api('PATCH', `/incidents/${id}/tasks/${image.id}`, headers, payload);
      expect((await waiveTask(responder, { status: 'waived', reason: REASON })).status).toBe(403);
      expect((await waiveTask(lead, { status: 'waived' })).body.error.code).toBe('invalid_input');
      expect((await waiveTask(lead, { status: 'waived', reason: 'because' })).status).toBe(400);
      expect((await waiveTask(lead, { status: 'done', reason: REASON })).status).toBe(400);
      const waived = await waiveTask(lead, { status: 'waived', reason: `  ${REASON} ` });
      expect(waived.status).toBe(200);
      expect(waived.body).toMatchObject({
        status: 'waived',
        waiverReason: REASON,
        completedBy: expect.stringMatching(/^token:/),
      });
      const listed = (await api('GET', `/incidents/${id}/tasks`, viewer)).body;
      expect(listed.find((task: { id: string }) => task.id === image.id).waiverReason).toBe(REASON);

      expect((await move()).body.error.details.unmet).toEqual([
        '1 eradication actions not yet applied',
      ]);

      // Waiving an action.
      const waiveAction = (actionId: string, headers: Record<string, string>, reason = REASON) =>
        api('POST', `/incidents/${id}/actions/${actionId}/waive`, headers, { reason });
      expect((await waiveAction(removal.body.id, responder)).status).toBe(403);
      expect((await waiveAction(removal.body.id, lead, 'short')).status).toBe(400);
      expect((await waiveAction(block.body.id, lead)).status).toBe(400);
      expect((await waiveAction('00000000-0000-4000-8000-000000000042', lead)).status).toBe(404);
      const other = (await api('POST', '/incidents', lead, { title: 'another', severity: 'low' }))
        .body;
      expect(
        (
          await api('POST', `/incidents/${other.id}/actions/${removal.body.id}/waive`, lead, {
            reason: REASON,
          })
        ).status,
      ).toBe(404);
      const actionWaiver = await waiveAction(removal.body.id, lead);
      expect(actionWaiver.status).toBe(201);
      expect(actionWaiver.body).toMatchObject({ actionId: removal.body.id, reason: REASON });
      expect((await waiveAction(removal.body.id, lead)).status).toBe(409);

      const view = (await api('GET', `/incidents/${id}/eradication`, viewer)).body;
      expect(view.unmet).toEqual([]);
      expect(
        view.steps.map((step: { kind: string; id: string; state: string }) => [
          step.kind,
          step.id,
          step.state,
        ]),
      ).toEqual([
        ['task', reset.id, 'done'],
        ['task', image.id, 'waived'],
        ['action', removal.body.id, 'waived'],
      ]);
      expect(view.waivers).toEqual([expect.objectContaining({ actionId: removal.body.id })]);

      expect((await move()).status).toBe(200);
      const journal = (await api('GET', `/journal?incidentId=${id}&limit=1000`, viewer)).body as {
        kind: string;
        payload: Record<string, unknown>;
      }[];
      expect(
        journal.find((e) => e.kind === 'incident.task_status_changed' && e.payload.to === 'waived')
          ?.payload,
      ).toMatchObject({ taskId: image.id, reason: REASON });
      expect(journal.find((e) => e.kind === 'eradication.action_waived')?.payload).toMatchObject({
        actionId: removal.body.id,
        kind: 'remove-persistence',
        reason: REASON,
      });
      expect(journal.at(-1)).toMatchObject({
        kind: 'incident.phase_changed',
        payload: { to: 'eradicated' },
      });
    });
  });
}
