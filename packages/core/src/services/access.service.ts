/**
 * Tenants, users, memberships, API tokens and sign-in. Secrets are returned once, at
 * creation, and stored only as hashes. Sign-in is rate-limited per account and per address
 * by a `LoginThrottle` (kept in memory: one server process owns sign-ins; a cluster would put
 * it in the shared store).
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize, requirePlatformAdmin } from '../access/principal.ts';
import type { Role } from '../access/role.ts';
import {
  MIN_PASSWORD_LENGTH,
  UNMATCHABLE_PASSWORD_HASH,
  hashPassword,
  needsRehash,
  newSecret,
  sha256Hex,
  verifyPassword,
} from '../access/secrets.ts';
import type { LoginThrottle } from '../access/login-throttle.ts';
import { signInAddressKey } from '../access/sign-in-address.ts';
import { CordonError, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store } from '../ports/store.ts';
import type { ApiToken, Session, Tenant, User } from '../tenants/tenant.ts';
import { PLATFORM_JOURNAL } from '../tenants/tenant.ts';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** last_used_at is refreshed at most this often, so reads do not turn into writes. */
const TOKEN_TOUCH_INTERVAL_MS = 60_000;
const TOKEN_PREFIX = 'cdn_';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class AccessService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #throttle: LoginThrottle;

  constructor(store: Store, clock: Clock, throttle: LoginThrottle) {
    this.#store = store;
    this.#clock = clock;
    this.#throttle = throttle;
  }

  async createTenant(principal: Principal, name: string): Promise<Tenant> {
    requirePlatformAdmin(principal);
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200) {
      throw new CordonError('invalid_input', 'a tenant name is 1 to 200 characters');
    }
    return this.#store.transaction(async (uow) => {
      if (await uow.tenants.findByName(trimmed)) {
        throw new CordonError('conflict', `a tenant named '${trimmed}' already exists`);
      }
      const tenant: Tenant = { id: newId(), name: trimmed, createdAt: this.#clock.now() };
      await uow.tenants.insert(tenant);
      await uow.forTenant(tenant.id).journal.append({
        actor: actorOf(principal),
        kind: 'tenant.created',
        payload: { name: tenant.name },
      });
      return tenant;
    });
  }

  async listTenants(principal: Principal): Promise<Tenant[]> {
    return this.#store.transaction(async (uow) => {
      const all = await uow.tenants.list();
      return all.filter((t) => {
        try {
          authorize(principal, t.id, 'tenant:read');
          return true;
        } catch {
          return false;
        }
      });
    });
  }

  async getTenant(principal: Principal, tenantId: string): Promise<Tenant> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const tenant = await uow.tenants.get(tenantId);
      if (!tenant) throw notFound('tenant');
      return tenant;
    });
  }

  /** Resolves a tenant given by id or by name (for the command line). */
  async resolveTenant(idOrName: string): Promise<Tenant> {
    return this.#store.transaction(async (uow) => {
      const tenant = (await uow.tenants.get(idOrName)) ?? (await uow.tenants.findByName(idOrName));
      if (!tenant) throw notFound(`tenant '${idOrName}'`);
      return tenant;
    });
  }

  /**
   * Creates a user, or grants an existing user a role in a tenant. With role platform_admin
   * and no tenant, creates a platform administrator.
   */
  async createUser(
    principal: Principal,
    input: { email: string; password: string; role: Role; tenantId?: string; displayName?: string },
  ): Promise<{ user: User; created: boolean }> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL.test(email))
      throw new CordonError('invalid_input', `'${input.email}' is not an email address`);
    if (input.role === 'platform_admin') {
      requirePlatformAdmin(principal);
    } else {
      if (!input.tenantId)
        throw new CordonError('invalid_input', `role ${input.role} needs a tenant`);
      authorize(principal, input.tenantId, 'access:manage');
    }
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw new CordonError(
        'invalid_input',
        `a password has at least ${MIN_PASSWORD_LENGTH} characters`,
      );
    }
    const passwordHash = await hashPassword(input.password);
    return this.#store.transaction(async (uow) => {
      const journal = input.tenantId ? uow.forTenant(input.tenantId).journal : uow.platformJournal;
      if (input.tenantId && !(await uow.tenants.get(input.tenantId))) throw notFound('tenant');
      const existing = await uow.users.findByEmailWithSecret(email);
      const now = this.#clock.now();
      let user: User;
      if (existing) {
        user = existing;
      } else {
        user = {
          id: newId(),
          email,
          displayName: input.displayName ?? email,
          platformAdmin: input.role === 'platform_admin',
          disabled: false,
          createdAt: now,
        };
        await uow.users.insert({ ...user, passwordHash });
        await journal.append({
          actor: actorOf(principal),
          kind: 'user.created',
          payload: { userId: user.id, email, platformAdmin: user.platformAdmin },
        });
      }
      if (input.tenantId && input.role !== 'platform_admin') {
        await uow.forTenant(input.tenantId).memberships.upsert(user.id, input.role);
        await journal.append({
          actor: actorOf(principal),
          kind: 'user.role_granted',
          payload: { userId: user.id, email, role: input.role },
        });
      } else if (existing && !existing.platformAdmin) {
        throw new CordonError('conflict', `user ${email} exists and is not a platform admin`);
      }
      return { user, created: !existing };
    });
  }

  async listMembers(
    principal: Principal,
    tenantId: string,
  ): Promise<{ userId: string; email: string; displayName: string; role: Role }[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) =>
      (await uow.forTenant(tenantId).memberships.list()).map((m) => ({
        userId: m.userId,
        email: m.email,
        displayName: m.displayName,
        role: m.role,
      })),
    );
  }

  async createToken(
    principal: Principal,
    input: { tenantId: string; role: Role; name?: string },
  ): Promise<{ token: string; record: ApiToken }> {
    authorize(principal, input.tenantId, 'access:manage');
    if (input.role === 'platform_admin') {
      throw new CordonError(
        'invalid_input',
        'API tokens are scoped to one tenant: platform_admin is not a token role',
      );
    }
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(input.tenantId))) throw notFound('tenant');
      const id = newId();
      const secret = newSecret();
      const record: ApiToken = {
        id,
        tenantId: input.tenantId,
        role: input.role,
        name: input.name ?? `${input.role} token`,
        createdBy: actorOf(principal),
        createdAt: this.#clock.now(),
        lastUsedAt: null,
        revokedAt: null,
      };
      const scope = uow.forTenant(input.tenantId);
      await scope.tokens.insert(record, sha256Hex(secret));
      await scope.journal.append({
        actor: record.createdBy,
        kind: 'token.created',
        payload: { tokenId: id, role: record.role, name: record.name },
      });
      return { token: `${TOKEN_PREFIX}${secret}`, record };
    });
  }

  async listTokens(principal: Principal, tenantId: string): Promise<ApiToken[]> {
    authorize(principal, tenantId, 'access:manage');
    return this.#store.transaction(async (uow) => uow.forTenant(tenantId).tokens.list());
  }

  async revokeToken(principal: Principal, tenantId: string, tokenId: string): Promise<void> {
    authorize(principal, tenantId, 'access:manage');
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.tokens.get(tokenId))) throw notFound('token');
      if (await scope.tokens.revoke(tokenId, this.#clock.now())) {
        await scope.journal.append({
          actor: actorOf(principal),
          kind: 'token.revoked',
          payload: { tokenId },
        });
      }
    });
  }

  /** The principal behind a bearer token, or undefined for an unknown or revoked token. */
  async authenticateToken(presented: string): Promise<Principal | undefined> {
    if (!presented.startsWith(TOKEN_PREFIX)) return undefined;
    const hash = sha256Hex(presented.slice(TOKEN_PREFIX.length));
    return this.#store.transaction(async (uow) => {
      const token = await uow.apiTokens.findByHash(hash);
      if (!token || token.revokedAt !== null) return undefined;
      const now = this.#clock.now();
      if (token.lastUsedAt === null || now - token.lastUsedAt > TOKEN_TOUCH_INTERVAL_MS) {
        await uow.apiTokens.touch(token.id, now);
      }
      return { kind: 'token', tokenId: token.id, tenantId: token.tenantId, role: token.role };
    });
  }

  /** Signs in with email and password; returns the session secret (for the cookie) and CSRF token. */
  async login(
    email: string,
    password: string,
    address: string,
  ): Promise<{ sessionSecret: string; session: Session; user: User }> {
    const account = email.trim().toLowerCase();
    const now = this.#clock.now();
    // Counted here, before any await: parallel guesses see each other's attempts.
    const admission = this.#throttle.admit(account, signInAddressKey(address), now);
    if (admission.kind === 'refused') {
      throw new CordonError(
        'rate_limited',
        `too many sign-in attempts; try again in ${Math.ceil(admission.retryAfterMs / 1000)} s`,
        { details: { retryAfterMs: admission.retryAfterMs } },
      );
    }
    if (admission.delayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, admission.delayMs));
    const user = await this.#store.transaction(async (uow) =>
      uow.users.findByEmailWithSecret(account),
    );
    // Hash even for unknown accounts so that timing does not reveal which emails exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? UNMATCHABLE_PASSWORD_HASH);
    if (!user || !ok || user.disabled) {
      await this.#store.transaction(async (uow) =>
        uow.platformJournal.append({
          actor: `address:${address}`,
          kind: 'auth.login_failed',
          payload: { email: account },
        }),
      );
      throw new CordonError('unauthenticated', 'wrong email or password');
    }
    this.#throttle.succeeded(admission.reservation);
    // A hash made with older (cheaper) parameters is replaced while the password is at hand.
    const upgradedHash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
    const sessionSecret = newSecret();
    const session: Session = {
      idHash: sha256Hex(sessionSecret),
      userId: user.id,
      csrfToken: newSecret(),
      createdAt: now,
      expiresAt: now + SESSION_TTL_MS,
      address,
    };
    await this.#store.transaction(async (uow) => {
      await uow.sessions.insert(session);
      if (upgradedHash !== undefined) await uow.users.setPassword(user.id, upgradedHash);
      await uow.platformJournal.append({
        actor: `user:${user.email}`,
        kind: 'auth.login',
        payload: { address },
      });
    });
    const { passwordHash: _omit, ...publicUser } = user;
    return { sessionSecret, session, user: publicUser };
  }

  /**
   * Lifts every sign-in lock and slowdown on an account, whatever the address; journaled on
   * the platform journal. Only a platform admin may: it undoes a protection.
   */
  async unlockSignIn(
    principal: Principal,
    email: string,
  ): Promise<{ email: string; wasRestricted: boolean }> {
    requirePlatformAdmin(principal);
    const account = email.trim().toLowerCase();
    const wasRestricted = this.#throttle.isRestricted(account, this.#clock.now());
    this.#throttle.unlock(account);
    await this.#store.transaction(async (uow) =>
      uow.platformJournal.append({
        actor: actorOf(principal),
        kind: 'auth.unlocked',
        payload: { email: account, wasRestricted },
      }),
    );
    return { email: account, wasRestricted };
  }

  async logout(sessionSecret: string): Promise<void> {
    await this.#store.transaction(async (uow) => uow.sessions.delete(sha256Hex(sessionSecret)));
  }

  /** The principal and CSRF token of a live session. */
  async authenticateSession(
    sessionSecret: string,
  ): Promise<{ principal: Principal; csrfToken: string } | undefined> {
    const now = this.#clock.now();
    return this.#store.transaction(async (uow) => {
      const session = await uow.sessions.get(sha256Hex(sessionSecret));
      if (!session || session.expiresAt <= now) return undefined;
      const user = await uow.users.get(session.userId);
      if (!user || user.disabled) return undefined;
      const memberships = await uow.users.memberships(user.id);
      return {
        csrfToken: session.csrfToken,
        principal: {
          kind: 'user',
          userId: user.id,
          email: user.email,
          platformAdmin: user.platformAdmin,
          memberships: new Map(memberships.map((m) => [m.tenantId, m.role])),
        },
      };
    });
  }

  /** Makes the first platform admin when there is none; returns undefined when one exists. */
  async bootstrapAdmin(email: string, password: string): Promise<User | undefined> {
    const exists = await this.#store.transaction(
      async (uow) => (await uow.users.countPlatformAdmins()) > 0,
    );
    if (exists) return undefined;
    const { user } = await this.createUser(
      { kind: 'system', name: 'bootstrap' },
      { email, password, role: 'platform_admin', displayName: 'Platform admin' },
    );
    return user;
  }
}

export { PLATFORM_JOURNAL };
