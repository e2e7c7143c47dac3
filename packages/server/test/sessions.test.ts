/** Browser sessions over a real socket: cookie flags, CSRF, sign-out, and the sign-in rate limit. */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustedProxies } from '../src/index.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer, system } from './test-server.ts';

describe('browser sessions', () => {
  let t: TestServer;
  let base: string;
  let tenantId: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
    await t.server.services.access.createUser(system, {
      email: 'lead@mssp.example',
      password: 'a long enough password',
      role: 'incident_lead',
      tenantId,
    });
    base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t.dispose());

  const login = (email: string, password: string) =>
    fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('signs in with an HttpOnly SameSite=Strict cookie and demands the CSRF token on writes', async () => {
    const response = await login('Lead@MSSP.example', 'a long enough password');
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^cordon_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    const cookie = setCookie.split(';')[0]!;

    const me = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({
      kind: 'user',
      memberships: [{ tenantId, role: 'incident_lead' }],
    });

    const body = JSON.stringify({ title: 'Suspicious login', severity: 'medium' });
    const url = `${base}/api/v1/tenants/${tenantId}/incidents`;
    const withoutCsrf = await fetch(url, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body,
    });
    expect(withoutCsrf.status).toBe(403);
    const wrongCsrf = await fetch(url, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': 'x'.repeat(43) },
      body,
    });
    expect(wrongCsrf.status).toBe(403);
    const withCsrf = await fetch(url, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body,
    });
    expect(withCsrf.status).toBe(201);

    const logout = await fetch(`${base}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(logout.status).toBe(204);
    expect((await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('locks an account after five failures, with Retry-After, even for the right password', async () => {
    for (let i = 0; i < 5; i++)
      expect((await login('lead@mssp.example', `wrong password ${i}`)).status).toBe(401);
    const locked = await login('lead@mssp.example', 'a long enough password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // An unknown account answers like a wrong password: no account enumeration.
    const unknown = await login('nobody@mssp.example', 'whatever it is');
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('wrong email or password');
  });
});

// issue 13 item 8: a failure was counted only after scrypt finished, so 25 parallel wrong
// passwords all got 401 before the first 429.
describe('sign-in throttling counts an attempt when it is checked', () => {
  let t: TestServer;
  let base: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    const tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
    await t.server.services.access.createUser(system, {
      email: 'lead@mssp.example',
      password: 'a long enough password',
      role: 'incident_lead',
      tenantId,
    });
    base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t.dispose());

  it('answers 25 parallel wrong passwords with five 401 and twenty 429', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 25 }, async (_, i) => {
        const response = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'lead@mssp.example', password: `wrong password ${i}` }),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });
});

/** A sign-in over a real socket from a chosen loopback address, with extra headers. */
function loginFrom(
  base: string,
  options: { email: string; password: string; from?: string; headers?: Record<string, string> },
): Promise<{ status: number; body: string }> {
  const url = new URL(`${base}/api/v1/auth/login`);
  const payload = JSON.stringify({ email: options.email, password: options.password });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: options.from ?? '127.0.0.1',
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

// issue 13, found by reading: anyone could lock out admin@cordon.local (the lock was per
// account), and behind a reverse proxy the per-address limit was one global limit.
describe('sign-in lockout is per account and address, and a platform admin can lift it', () => {
  let t: TestServer;
  let base: string;
  const password = 'a long enough password';
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    await t.server.services.access.createUser(system, {
      email: 'admin@cordon.local',
      password,
      role: 'platform_admin',
    });
    base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t.dispose());

  it('locks out the guessing address only; the owner signs in from another', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await loginFrom(base, {
        email: 'admin@cordon.local',
        password: `guess ${i}`,
        from: '127.0.0.66',
      });
      expect(r.status).toBe(401);
    }
    const attacker = await loginFrom(base, {
      email: 'admin@cordon.local',
      password,
      from: '127.0.0.66',
    });
    expect(attacker.status).toBe(429);
    const owner = await loginFrom(base, { email: 'admin@cordon.local', password });
    expect(owner.status).toBe(200);
  });

  it('ignores X-Forwarded-For from peers that are not trusted proxies', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await loginFrom(base, {
        email: 'admin@cordon.local',
        password: `guess ${i}`,
        from: '127.0.0.67',
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
      });
      expect(r.status).toBe(401);
    }
    const forged = await loginFrom(base, {
      email: 'admin@cordon.local',
      password,
      from: '127.0.0.67',
      headers: { 'x-forwarded-for': '203.0.113.99' },
    });
    expect(forged.status).toBe(429);
  });

  it('lets only a platform admin unlock an account, and journals it', async () => {
    const signIn = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@cordon.local', password }),
    });
    const session = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
    const leadToken = await t.token(tenantId, 'incident_lead');
    const unlock = (headers: Record<string, string>) =>
      fetch(`${base}/api/v1/auth/unlock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email: 'Admin@Cordon.local' }),
      });
    expect((await unlock({ authorization: `Bearer ${leadToken}` })).status).toBe(403);
    const done = await unlock({ cookie: session, 'x-csrf-token': csrfToken });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ email: 'admin@cordon.local', wasRestricted: true });
    const again = await loginFrom(base, {
      email: 'admin@cordon.local',
      password,
      from: '127.0.0.66',
    });
    expect(again.status).toBe(200);
    const entries = await t.server.store.transaction(async (uow) =>
      uow.platformJournal.list({}, 1000),
    );
    expect(JSON.stringify(entries)).toContain('auth.unlocked');
  });
});

describe('trusted proxies (CORDON_TRUSTED_PROXIES)', () => {
  let t: TestServer;
  let base: string;
  const password = 'a long enough password';
  beforeAll(async () => {
    t = await startTestServer('sqlite', { trustedProxies: ['127.0.0.1'] });
    await t.server.services.access.createUser(system, {
      email: 'admin@cordon.local',
      password,
      role: 'platform_admin',
    });
    base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t.dispose());

  it('keys the limits on the client named by a trusted proxy', async () => {
    const via = (client: string, pw: string) =>
      loginFrom(base, {
        email: 'admin@cordon.local',
        password: pw,
        headers: { 'x-forwarded-for': client },
      });
    for (let i = 0; i < 5; i++) expect((await via('203.0.113.5', `guess ${i}`)).status).toBe(401);
    expect((await via('203.0.113.5', password)).status).toBe(429);
    // Another client behind the same proxy is not locked out.
    expect((await via('203.0.113.6', password)).status).toBe(200);
  });

  it('refuses a setting that would trust every peer', () => {
    expect(() => parseTrustedProxies(['true'])).toThrow(/not an address/);
    expect(() => parseTrustedProxies(['10.0.0.0/33'])).toThrow(/not an address/);
    expect(parseTrustedProxies([' 10.0.0.0/8 ', '::1', 'loopback'])).toEqual([
      '10.0.0.0/8',
      '::1',
      'loopback',
    ]);
  });
});
