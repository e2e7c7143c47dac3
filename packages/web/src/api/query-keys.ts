/**
 * Query keys, one place: live updates invalidate by these prefixes, so a screen's key must
 * start with the topic it shows (`['tenant', id, 'alerts', …]`).
 */
export const queryKeys = {
  me: ['me'] as const,
  tenants: ['tenants'] as const,
  overview: ['overview'] as const,
  tenant: (tenantId: string) => ['tenant', tenantId] as const,
  alerts: (tenantId: string) => ['tenant', tenantId, 'alerts'] as const,
  incidents: (tenantId: string) => ['tenant', tenantId, 'incidents'] as const,
  incident: (tenantId: string, incidentId: string) =>
    ['tenant', tenantId, 'incidents', incidentId] as const,
  actions: (tenantId: string) => ['tenant', tenantId, 'actions'] as const,
  agents: (tenantId: string) => ['tenant', tenantId, 'agents'] as const,
  journal: (tenantId: string) => ['tenant', tenantId, 'journal'] as const,
  detection: (tenantId: string) => ['tenant', tenantId, 'detection'] as const,
};
