/**
 * The on-call rota over HTTP: shifts added and listed, an overlapping shift refused with the
 * shift it clashes with, "who to call" at a given moment (rota first, the MSSP on-call role
 * outside it, then the escalation order), a viewer may read but not change the rota.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const anna = { name: 'Anna', phone: '+31 6 1234 5678', email: null, chat: null };
const ben = { name: 'Ben', phone: null, email: 'ben@mssp.example', chat: null };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`on-call rota API (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let analyst: string;
    let viewer: string;
    const api = async (
      token: string,
      method: 'GET' | 'POST' | 'DELETE',
      path: string,
      payload?: object,
    ) => {
      const response = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${path}`,
        headers: bearer(token),
        ...(payload ? { payload } : {}),
      });
      return {
        status: response.statusCode,
        body: response.body ? response.json<Record<string, unknown>>() : {},
      };
    };

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      analyst = await t.token(tenantId, 'analyst');
      viewer = await t.token(tenantId, 'client_viewer');
    });
    afterAll(async () => t.dispose());

    it('keeps shifts, refuses overlaps, and answers who to call', async () => {
      const role = await api(analyst, 'POST', '/roles', {
        role: 'mssp_on_call',
        primary: ben,
        backup: anna,
        escalationRank: 1,
      });
      expect(role.status).toBe(200);
      const day = await api(analyst, 'POST', '/oncall', {
        level: 'primary',
        person: anna,
        startsAt: '2030-03-02T08:00:00Z',
        endsAt: '2030-03-02T20:00:00Z',
        note: 'day shift',
      });
      expect(day.status, JSON.stringify(day.body)).toBe(201);
      const clash = await api(analyst, 'POST', '/oncall', {
        level: 'primary',
        person: ben,
        startsAt: '2030-03-02T19:00:00Z',
        endsAt: '2030-03-03T08:00:00Z',
      });
      expect(clash.status).toBe(409);
      expect(clash.body).toMatchObject({
        error: { code: 'conflict', message: expect.stringMatching(/Anna .* overlaps/) as unknown },
      });
      const backwards = await api(analyst, 'POST', '/oncall', {
        level: 'secondary',
        person: ben,
        startsAt: '2030-03-03T08:00:00Z',
        endsAt: '2030-03-02T08:00:00Z',
      });
      expect(backwards.status).toBe(400);

      const during = await api(viewer, 'GET', '/oncall/now?at=2030-03-02T12:00:00Z');
      expect(during.status).toBe(200);
      expect(during.body).toMatchObject({
        primary: {
          person: anna,
          source: 'rota',
          shiftId: day.body['id'],
          until: '2030-03-02T20:00:00.000Z',
        },
        secondary: { person: anna, source: 'role' },
        escalation: [{ role: 'mssp_on_call' }],
      });
      const outside = await api(viewer, 'GET', '/oncall/now?at=2030-03-05T12:00:00Z');
      expect(outside.body).toMatchObject({
        primary: { person: ben, source: 'role', shiftId: null },
      });

      const rota = await api(
        viewer,
        'GET',
        '/oncall?from=2030-03-01T00:00:00Z&to=2030-03-08T00:00:00Z',
      );
      expect(rota.status).toBe(200);
      expect(rota.body).toEqual([
        expect.objectContaining({ id: day.body['id'], level: 'primary', note: 'day shift' }),
      ]);
      expect(
        (
          await api(viewer, 'POST', '/oncall', {
            level: 'primary',
            person: ben,
            startsAt: '2030-04-01T00:00:00Z',
            endsAt: '2030-04-01T01:00:00Z',
          })
        ).status,
      ).toBe(403);
      expect((await api(viewer, 'DELETE', `/oncall/${String(day.body['id'])}`)).status).toBe(403);
      expect((await api(analyst, 'DELETE', `/oncall/${String(day.body['id'])}`)).status).toBe(204);
      expect((await api(analyst, 'DELETE', `/oncall/${String(day.body['id'])}`)).status).toBe(404);
      const after = await api(viewer, 'GET', '/oncall/now?at=2030-03-02T12:00:00Z');
      expect(after.body).toMatchObject({ primary: { person: ben, source: 'role' } });
    });
  });
}
