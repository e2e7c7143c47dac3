/**
 * issue 16: notifications on both databases, over real sockets — a webhook to a local HTTP
 * server with its HMAC signature checked; retries with backoff, then the dead-letter list and a
 * replay; a metadata address refused before any connection; e-mail over SMTP to a local SMTP
 * server (smtp-server) addressed to the on-call rota's current person; a second delivery loop
 * over the same database (a restarted process) sending nothing twice.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { loadOrCreateSecretBox } from '@cordon/storage';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationService, systemClock } from '@cordon/core';
import { defaultNotificationConfig } from '../src/notifications/notification-config.ts';
import { NotificationDelivery } from '../src/notifications/notification-delivery.ts';
import type { TestServer } from './test-server.ts';
import { adminSession, bearer, startTestServer, system } from './test-server.ts';

interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}
interface Mail {
  readonly to: string[];
  readonly raw: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`notifications (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let admin: Record<string, string>;
    let lead: Record<string, string>;
    let hook: http.Server;
    let hookBase: string;
    let failing = true;
    const received: Received[] = [];
    const mails: Mail[] = [];
    let smtp: SMTPServer;

    beforeAll(async () => {
      hook = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          received.push({ path: req.url ?? '', headers: req.headers, body });
          res.statusCode = req.url === '/fail' && failing ? 500 : 204;
          res.end();
        });
      });
      await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
      hookBase = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onData(stream, session, callback) {
          let raw = '';
          stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
          stream.on('end', () => {
            mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const smtpPort = (smtp.server.address() as AddressInfo).port;
      t = await startTestServer(dialect, {
        notifications: {
          ...defaultNotificationConfig,
          smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
          smtpFrom: 'soc@mssp.example',
          allowCidrs: ['127.0.0.1/32'],
          maxAttempts: 3,
          baseDelayMs: 20,
          maxDelayMs: 40,
          // Passes are driven by the test.
          intervalMs: 3_600_000,
        },
      });
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      admin = await adminSession(t);
      lead = bearer(await t.token(tenantId, 'incident_lead'));
    });
    afterAll(async () => {
      await t?.dispose();
      await new Promise((resolve) => hook?.close(resolve));
      await new Promise((resolve) => smtp?.close(() => resolve(undefined)));
    });

    const api = async (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => {
      const r = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${url}`,
        headers,
        ...(payload ? { payload } : {}),
      });
      return {
        status: r.statusCode,
        body: r.body === '' ? {} : r.json<Record<string, unknown>>(),
      };
    };
    const channel = async (kind: 'webhook' | 'email', target?: string) => {
      const r = await api('POST', '/notifications/channels', admin, {
        kind,
        name: `${kind} ${target ?? ''}`,
        ...(target ? { target } : {}),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: string; secret: string | null };
    };
    const rule = async (body: object) => {
      const r = await api('POST', '/notifications/rules', admin, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    };
    const outbox = async (state?: string) =>
      (await api('GET', `/notifications/outbox${state ? `?state=${state}` : ''}`, lead)).body[
        'items'
      ] as {
        id: string;
        state: string;
        attempts: number;
        lastError: string | null;
        channelId: string;
      }[];
    const journalKinds = async () =>
      (await t.server.services.journal.list(system, tenantId, {}, 1000)).map((e) => e.kind);

    let incidentId: string;

    it('refuses webhook targets that are not http(s), and a lead cannot add channels', async () => {
      for (const target of [
        'ftp://example.com/x',
        'file:///etc/passwd',
        'http://user:pw@example.com/',
      ])
        expect(
          (
            await api('POST', '/notifications/channels', admin, {
              kind: 'webhook',
              name: 'x',
              target,
            })
          ).status,
        ).toBe(400);
      expect(
        (
          await api('POST', '/notifications/channels', lead, {
            kind: 'webhook',
            name: 'x',
            target: `${hookBase}/ok`,
          })
        ).status,
      ).toBe(403);
    });

    it('delivers a signed webhook when an incident opens, once', async () => {
      const ch = await channel('webhook', `${hookBase}/ok`);
      await rule({ channelId: ch.id, events: ['incident_opened'] });
      const created = await api('POST', '/incidents', lead, {
        title: 'Beacon on FIN-07',
        severity: 'high',
      });
      incidentId = created.body['id'] as string;
      await t.server.notifications.pass();
      const hits = received.filter((r) => r.path === '/ok');
      expect(hits).toHaveLength(1);
      const hit = hits[0]!;
      const timestamp = String(hit.headers['x-cordon-timestamp']);
      const expected = createHmac('sha256', ch.secret!)
        .update(`${timestamp}.${hit.body}`)
        .digest('hex');
      expect(hit.headers['x-cordon-signature']).toBe(`v1=${expected}`);
      const wrong = createHmac('sha256', 'another key')
        .update(`${timestamp}.${hit.body}`)
        .digest('hex');
      expect(hit.headers['x-cordon-signature']).not.toBe(`v1=${wrong}`);
      const body = JSON.parse(hit.body) as {
        event: string;
        incident: { title: string };
        journal: { kind: string };
      };
      expect(body).toMatchObject({
        event: 'incident_opened',
        incident: { title: 'Beacon on FIN-07' },
        journal: { kind: 'incident.created' },
      });
      expect(hit.headers['x-cordon-delivery']).toBe((body as unknown as { id: string }).id);
      await t.server.notifications.pass();
      expect(received.filter((r) => r.path === '/ok')).toHaveLength(1);
      expect(await journalKinds()).toContain('notification.delivered');
    });

    it('retries a failing webhook with backoff, then lists it as a dead letter and replays it', async () => {
      const ch = await channel('webhook', `${hookBase}/fail`);
      await rule({ channelId: ch.id, events: ['severity_raised'] });
      // Lowered: not routed; raised: routed.
      expect(
        (await api('PATCH', `/incidents/${incidentId}`, lead, { severity: 'medium' })).status,
      ).toBe(200);
      expect(
        (await api('PATCH', `/incidents/${incidentId}`, lead, { severity: 'critical' })).status,
      ).toBe(200);
      for (let i = 0; i < 3; i++) {
        await t.server.notifications.pass();
        await sleep(60);
      }
      const fails = received.filter((r) => r.path === '/fail');
      expect(fails).toHaveLength(3);
      expect(fails.every((f) => JSON.parse(f.body).payload.changes.severity === 'critical')).toBe(
        true,
      );
      const dead = await outbox('dead');
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ attempts: 3, lastError: 'HTTP 500', channelId: ch.id });
      expect(await journalKinds()).toContain('notification.dead_lettered');
      await t.server.notifications.pass();
      expect(received.filter((r) => r.path === '/fail')).toHaveLength(3);
      failing = false;
      expect((await api('POST', `/notifications/outbox/${dead[0]!.id}/replay`, lead)).status).toBe(
        403,
      );
      expect((await api('POST', `/notifications/outbox/${dead[0]!.id}/replay`, admin)).status).toBe(
        202,
      );
      expect((await api('POST', `/notifications/outbox/${dead[0]!.id}/replay`, admin)).status).toBe(
        409,
      );
      await t.server.notifications.pass();
      expect(received.filter((r) => r.path === '/fail')).toHaveLength(4);
      expect(await outbox('dead')).toHaveLength(0);
      expect(await journalKinds()).toContain('notification.replayed');
    });

    it('refuses a link-local metadata address before connecting', async () => {
      const ch = await channel('webhook', 'http://169.254.169.254/latest/meta-data/');
      await rule({
        channelId: ch.id,
        events: ['containment_failed'],
        kinds: ['incident.note_added'],
      });
      expect(
        (await api('POST', `/incidents/${incidentId}/notes`, lead, { body: 'note' })).status,
      ).toBe(201);
      await t.server.notifications.pass();
      const item = (await outbox()).find((o) => o.channelId === ch.id);
      expect(item?.lastError).toBe('destination address 169.254.169.254 is not allowed');
    });

    it('e-mails the on-call rota’s current person over SMTP', async () => {
      const now = Date.now();
      const shift = await api('POST', '/oncall', lead, {
        level: 'primary',
        person: { name: 'Olu Oncall', phone: null, email: 'olu@mssp.example', chat: null },
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      });
      expect(shift.status, JSON.stringify(shift.body)).toBe(201);
      const ch = await channel('email');
      await rule({ channelId: ch.id, events: ['incident_opened'], onCall: true });
      await api('POST', '/incidents', lead, {
        title: 'Ransom note on FS-01',
        severity: 'critical',
      });
      await t.server.notifications.pass();
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual(['olu@mssp.example']);
      expect(mails[0]!.raw).toMatch(
        /^Subject: \[Cordon\] incident opened: incident #2 Ransom note on FS-01\r?$/m,
      );
      expect(mails[0]!.raw).toMatch(/^From: soc@mssp\.example\r?$/m);
      expect(mails[0]!.raw).toMatch(/^X-Cordon-Delivery: [0-9a-f-]{36}\r?$/m);
      expect(mails[0]!.raw).toContain('Severity critical, phase detected');
    });

    it('sends nothing twice from a second delivery loop over the same database', async () => {
      const before = { hooks: received.length, mails: mails.length };
      const restarted = new NotificationDelivery({
        store: t.server.store,
        clock: systemClock,
        service: new NotificationService({
          store: t.server.store,
          clock: systemClock,
          secrets: loadOrCreateSecretBox(t.server.config.dataDir),
        }),
        config: t.server.config.notifications,
        warn: () => undefined,
      });
      await restarted.pass();
      await restarted.close();
      expect({ hooks: received.length, mails: mails.length }).toEqual(before);
      const delivered = await outbox('delivered');
      expect(new Set(delivered.map((d) => d.id)).size).toBe(delivered.length);
    });

    it('keeps webhook secrets sealed at rest and out of every answer, and still signs with them', async () => {
      const own = 'Own-Secret-of-the-receiver-0123456789';
      const created = await api('POST', '/notifications/channels', admin, {
        kind: 'webhook',
        name: 'own secret',
        target: `${hookBase}/own`,
        secret: own,
      });
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('secret');
      expect(created.body['secretSet']).toBe(true);
      const ownId = created.body['id'] as string;
      const made = await channel('webhook', `${hookBase}/made`);
      expect(made.secret).toMatch(/^[\w-]{43}$/);
      expect(
        (
          await api('POST', '/notifications/channels', admin, {
            kind: 'webhook',
            name: 'short',
            target: `${hookBase}/x`,
            secret: 'too short',
          })
        ).status,
      ).toBe(400);

      const db = t.server.store.database.kysely;
      const row = async (id: string) =>
        (
          await db
            .selectFrom('notification_channels')
            .select('secret')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).secret!;
      for (const [id, plain] of [
        [ownId, own],
        [made.id, made.secret!],
      ] as const) {
        const stored = await row(id);
        expect(stored).toMatch(/^v1\.[0-9a-f]{8}\./);
        expect(stored).not.toContain(plain);
        expect(
          Buffer.from(stored.split('.').at(-1)!, 'base64url').toString('latin1'),
        ).not.toContain(plain);
      }
      const listed = await api('GET', '/notifications/channels', admin);
      const text = JSON.stringify(listed.body);
      expect(text).not.toContain(own);
      expect(text).not.toContain(made.secret!);
      expect(text).not.toMatch(/"secret"/);
      for (const c of listed.body['items'] as { kind: string; secretSet: boolean }[])
        expect(c.secretSet).toBe(c.kind === 'webhook');
      const journalText = JSON.stringify(
        await t.server.services.journal.list(system, tenantId, {}, 1000),
      );
      expect(journalText).not.toContain(own);
      expect(journalText).not.toContain(made.secret!);

      // A sealed secret copied onto another channel does not open there.
      const box = loadOrCreateSecretBox(t.server.config.dataDir);
      const service = new NotificationService({
        store: t.server.store,
        clock: systemClock,
        secrets: box,
      });
      const channels = await service.channels(system, tenantId);
      const madeChannel = channels.find((c) => c.id === made.id)!;
      const ownChannel = channels.find((c) => c.id === ownId)!;
      expect(service.signingSecret(ownChannel)).toBe(own);
      expect(() =>
        service.signingSecret({ ...madeChannel, sealedSecret: ownChannel.sealedSecret }),
      ).toThrow('the sealed secret does not open: altered, or sealed for another record');

      await rule({ channelId: ownId, events: ['incident_opened'] });
      await api('POST', '/incidents', lead, { title: 'Sealed secret check', severity: 'low' });
      await t.server.notifications.pass();
      const hit = received.filter((r) => r.path === '/own').at(-1)!;
      const signed = (secret: string) =>
        `v1=${createHmac('sha256', secret)
          .update(`${String(hit.headers['x-cordon-timestamp'])}.${hit.body}`)
          .digest('hex')}`;
      expect(hit.headers['x-cordon-signature']).toBe(signed(own));

      // A row stored in plaintext by an earlier version is sealed at start-up and still signs.
      const legacy = 'legacy-plaintext-secret-0123456789abcdef';
      await db
        .updateTable('notification_channels')
        .set({ secret: legacy })
        .where('id', '=', ownId)
        .execute();
      expect(await service.sealStoredSecrets()).toBe(1);
      expect(await service.sealStoredSecrets()).toBe(0);
      expect(await row(ownId)).toMatch(/^v1\./);
      expect(await row(ownId)).not.toContain(legacy);
      await api('POST', '/incidents', lead, { title: 'Legacy secret check', severity: 'low' });
      await t.server.notifications.pass();
      const legacyHit = received.filter((r) => r.path === '/own').at(-1)!;
      expect(JSON.parse(legacyHit.body).incident.title).toBe('Legacy secret check');
      expect(legacyHit.headers['x-cordon-signature']).toBe(
        `v1=${createHmac('sha256', legacy)
          .update(`${String(legacyHit.headers['x-cordon-timestamp'])}.${legacyHit.body}`)
          .digest('hex')}`,
      );
    });

    it('disables, enables and removes a channel with its rules, journaled', async () => {
      const ch = await channel('webhook', `${hookBase}/toggle`);
      await rule({ channelId: ch.id, events: ['incident_opened'] });
      const hits = () => received.filter((r) => r.path === '/toggle').length;
      expect((await api('POST', `/notifications/channels/${ch.id}/disable`, lead)).status).toBe(
        403,
      );
      const disabled = await api('POST', `/notifications/channels/${ch.id}/disable`, admin);
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ id: ch.id, enabled: false, secretSet: true });
      expect(disabled.body).not.toHaveProperty('secret');
      await api('POST', '/incidents', lead, { title: 'While disabled', severity: 'low' });
      await t.server.notifications.pass();
      expect(hits()).toBe(0);
      expect(
        (await api('POST', `/notifications/channels/${ch.id}/enable`, admin)).body['enabled'],
      ).toBe(true);
      await api('POST', '/incidents', lead, { title: 'Enabled again', severity: 'low' });
      await t.server.notifications.pass();
      expect(hits()).toBe(1);
      expect(JSON.parse(received.filter((r) => r.path === '/toggle')[0]!.body).incident.title).toBe(
        'Enabled again',
      );

      expect((await api('DELETE', `/notifications/channels/${ch.id}`, lead)).status).toBe(403);
      expect((await api('DELETE', `/notifications/channels/${ch.id}`, admin)).status).toBe(204);
      expect((await api('DELETE', `/notifications/channels/${ch.id}`, admin)).status).toBe(404);
      expect((await api('POST', `/notifications/channels/${ch.id}/enable`, admin)).status).toBe(
        404,
      );
      const channels = (await api('GET', '/notifications/channels', admin)).body['items'] as {
        id: string;
      }[];
      expect(channels.map((c) => c.id)).not.toContain(ch.id);
      const rules = (await api('GET', '/notifications/rules', admin)).body['items'] as {
        channelId: string;
      }[];
      expect(rules.map((r) => r.channelId)).not.toContain(ch.id);
      await api('POST', '/incidents', lead, { title: 'After removal', severity: 'low' });
      await t.server.notifications.pass();
      expect(hits()).toBe(1);
      const entries = await t.server.services.journal.list(system, tenantId, {}, 1000);
      const mine = entries.filter((e) => (e.payload as { channelId?: string }).channelId === ch.id);
      expect(mine.map((e) => e.kind)).toEqual([
        'notification.channel_added',
        'notification.rule_added',
        'notification.channel_disabled',
        'notification.channel_enabled',
        'notification.delivered',
        'notification.channel_removed',
      ]);
      expect(mine.at(-1)!.payload).toMatchObject({ rulesRemoved: [expect.any(String)] });
    });
  });
}
