/** Platform-level repositories: tenants, users, sessions and token lookup by hash. */
import type {
  ApiToken,
  ApiTokenRepository,
  Membership,
  Role,
  Session,
  SessionRepository,
  Tenant,
  TenantRepository,
  User,
  UserRepository,
  UserWithSecret,
} from '@cordon/core';
import type { Kysely } from 'kysely';
import type { CordonDatabase } from '../database/schema.ts';
import { tokenFromRow, userFromRow } from './row-mappers.ts';

export class KyselyTenantRepository implements TenantRepository {
  readonly #db: Kysely<CordonDatabase>;
  constructor(db: Kysely<CordonDatabase>) {
    this.#db = db;
  }
  async insert(tenant: Tenant): Promise<void> {
    await this.#db
      .insertInto('tenants')
      .values({ id: tenant.id, name: tenant.name, created_at: tenant.createdAt })
      .execute();
  }
  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.#db
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: row.created_at };
  }
  async findByName(name: string): Promise<Tenant | undefined> {
    const row = await this.#db
      .selectFrom('tenants')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: row.created_at };
  }
  async list(): Promise<Tenant[]> {
    const rows = await this.#db.selectFrom('tenants').selectAll().orderBy('name').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }
}

export class KyselyUserRepository implements UserRepository {
  readonly #db: Kysely<CordonDatabase>;
  constructor(db: Kysely<CordonDatabase>) {
    this.#db = db;
  }
  async insert(user: UserWithSecret): Promise<void> {
    await this.#db
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email,
        display_name: user.displayName,
        password_hash: user.passwordHash,
        platform_admin: user.platformAdmin ? 1 : 0,
        disabled: user.disabled ? 1 : 0,
        created_at: user.createdAt,
      })
      .execute();
  }
  async get(id: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && userFromRow(row);
  }
  async findByEmailWithSecret(email: string): Promise<UserWithSecret | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst();
    return row && { ...userFromRow(row), passwordHash: row.password_hash };
  }
  async memberships(userId: string): Promise<Membership[]> {
    const rows = await this.#db
      .selectFrom('memberships')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => ({ userId: r.user_id, tenantId: r.tenant_id, role: r.role as Role }));
  }
  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.#db
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', userId)
      .execute();
  }
  async countPlatformAdmins(): Promise<number> {
    const row = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('platform_admin', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

export class KyselySessionRepository implements SessionRepository {
  readonly #db: Kysely<CordonDatabase>;
  constructor(db: Kysely<CordonDatabase>) {
    this.#db = db;
  }
  async insert(session: Session): Promise<void> {
    await this.#db
      .insertInto('sessions')
      .values({
        id_hash: session.idHash,
        user_id: session.userId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        address: session.address,
      })
      .execute();
  }
  async get(idHash: string): Promise<Session | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return (
      row && {
        idHash: row.id_hash,
        userId: row.user_id,
        csrfToken: row.csrf_token,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        address: row.address,
      }
    );
  }
  async delete(idHash: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }
  async deleteExpired(now: number): Promise<number> {
    const result = await this.#db
      .deleteFrom('sessions')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

export class KyselyApiTokenRepository implements ApiTokenRepository {
  readonly #db: Kysely<CordonDatabase>;
  constructor(db: Kysely<CordonDatabase>) {
    this.#db = db;
  }
  async findByHash(tokenHash: string): Promise<ApiToken | undefined> {
    const row = await this.#db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && tokenFromRow(row);
  }
  async touch(id: string, at: number): Promise<void> {
    await this.#db
      .updateTable('api_tokens')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .execute();
  }
}
