/** Tenants are the client organisations; users, memberships and API tokens give access to them. */
import type { Role } from '../access/role.ts';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

/** The journal of platform-level events (platform admins created, …), beside the tenants' own. */
export const PLATFORM_JOURNAL = 'platform';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly platformAdmin: boolean;
  readonly disabled: boolean;
  readonly createdAt: number;
}

export interface UserWithSecret extends User {
  readonly passwordHash: string;
}

export interface Membership {
  readonly userId: string;
  readonly tenantId: string;
  readonly role: Role;
}

export interface ApiToken {
  readonly id: string;
  readonly tenantId: string;
  readonly role: Role;
  readonly name: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

export interface Session {
  readonly idHash: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly address: string;
}
