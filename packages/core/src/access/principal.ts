/**
 * Who is acting: a signed-in user (with a role per tenant) or an API token (one tenant, one
 * role), or the system itself (pipelines, CLI admin commands). `authorize` is the single
 * place where tenant access is decided.
 */
import { CordonError } from '../errors/cordon-error.ts';
import type { Permission, Role } from './role.ts';
import { roleGrants } from './role.ts';

export type Principal =
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly email: string;
      readonly platformAdmin: boolean;
      /** tenant id → role */
      readonly memberships: ReadonlyMap<string, Role>;
    }
  | {
      readonly kind: 'token';
      readonly tokenId: string;
      readonly tenantId: string;
      readonly role: Role;
    }
  | { readonly kind: 'system'; readonly name: string };

/** The role a principal holds in a tenant, or undefined when it has no access at all. */
export function roleIn(principal: Principal, tenantId: string): Role | undefined {
  switch (principal.kind) {
    case 'user':
      return principal.platformAdmin ? 'platform_admin' : principal.memberships.get(tenantId);
    case 'token':
      return principal.tenantId === tenantId ? principal.role : undefined;
    case 'system':
      return 'platform_admin';
  }
}

export function can(principal: Principal, tenantId: string, permission: Permission): boolean {
  const role = roleIn(principal, tenantId);
  return role !== undefined && roleGrants(role, permission);
}

/**
 * Throws `not_found` for a tenant the principal cannot see at all (so that tenant ids cannot
 * be probed), and `forbidden` when it can see the tenant but lacks the permission.
 */
export function authorize(principal: Principal, tenantId: string, permission: Permission): Role {
  const role = roleIn(principal, tenantId);
  if (role === undefined) throw new CordonError('forbidden', 'no access to this tenant');
  if (!roleGrants(role, permission)) {
    throw new CordonError('forbidden', `role ${role} may not ${permission.replace(':', ' ')}`);
  }
  return role;
}

export function isPlatformAdmin(principal: Principal): boolean {
  return principal.kind === 'system' || (principal.kind === 'user' && principal.platformAdmin);
}

export function requirePlatformAdmin(principal: Principal): void {
  if (!isPlatformAdmin(principal)) {
    throw new CordonError('forbidden', 'only a platform admin may do this');
  }
}

/** The actor string recorded in journal entries. */
export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.email}`;
    case 'token':
      return `token:${principal.tokenId}`;
    case 'system':
      return `system:${principal.name}`;
  }
}
