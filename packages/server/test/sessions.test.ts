/** Browser sessions over a real socket: cookie flags, CSRF, sign-out, and the sign-in rate limit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
