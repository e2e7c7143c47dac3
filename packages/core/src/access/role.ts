/**
 * Roles and what each may do. Platform admins are the MSSP's administrators and act on every
 * tenant; the other roles are granted per tenant (a membership, or an API token's scope).
 */
export const ROLES = [
  'platform_admin',
  'incident_lead',
  'responder',
  'analyst',
  'client_viewer',
  /** Sources and shippers: may send telemetry to the tenant and nothing else. */
  'ingest',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'tenant:read',
  'incident:write',
  'incident:override_guard',
  'containment:run',
  'containment:approve',
  'evidence:write',
  'evidence:read',
  'journal:read',
  'access:manage',
  'events:ingest',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const grants: { readonly [R in Role]: readonly Permission[] } = {
  platform_admin: PERMISSIONS,
  incident_lead: [
    'tenant:read',
    'incident:write',
    'incident:override_guard',
    'containment:run',
    'containment:approve',
    'evidence:write',
    'evidence:read',
    'journal:read',
    'events:ingest',
  ],
  responder: [
    'tenant:read',
    'incident:write',
    'containment:run',
    'evidence:write',
    'evidence:read',
    'journal:read',
    'events:ingest',
  ],
  analyst: [
    'tenant:read',
    'incident:write',
    'evidence:write',
    'evidence:read',
    'journal:read',
    'events:ingest',
  ],
  client_viewer: ['tenant:read', 'evidence:read', 'journal:read'],
  ingest: ['events:ingest'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleGrants(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}
