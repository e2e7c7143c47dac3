/**
 * The one check that an id a request names — in a body or a query string, not only in the
 * path — belongs to the tenant the request acts in. Every repository behind a `TenantScope`
 * already filters by tenant, so looking an id up there answers "is it ours?"; a use case that
 * stores a reference (an incident linked to an alert, an asset in a segment, an action for an
 * incident) calls this inside its transaction before writing. A miss is `not_found`, the same
 * answer as for an id that exists nowhere, so that another tenant's ids cannot be probed.
 */
import { notFound } from '../errors/cordon-error.ts';
import type { TenantScope, UserRepository } from '../ports/store.ts';

/** Ids by kind; undefined and null entries (an optional field left out) are skipped. */
export interface TenantReferences {
  readonly incidentIds?: readonly (string | null | undefined)[];
  readonly alertIds?: readonly (string | null | undefined)[];
  readonly assetIds?: readonly (string | null | undefined)[];
  readonly segmentIds?: readonly (string | null | undefined)[];
  readonly agentIds?: readonly (string | null | undefined)[];
  /** Users who must have access to the tenant: a member, or a platform admin. */
  readonly userIds?: readonly (string | null | undefined)[];
}

type Lookup = (scope: TenantScope, id: string) => Promise<unknown>;

const lookups: { readonly [K in Exclude<keyof TenantReferences, 'userIds'>]: [string, Lookup] } = {
  incidentIds: ['incident', (scope, id) => scope.incidents.get(id)],
  alertIds: ['alert', (scope, id) => scope.detection.alerts.get(id)],
  assetIds: ['asset', (scope, id) => scope.preparation.assets.get(id)],
  segmentIds: ['segment', (scope, id) => scope.preparation.segments.get(id)],
  agentIds: ['agent', (scope, id) => scope.containment.agents.get(id)],
};

/** Throws `not_found` naming the first reference that is not the tenant's. */
export async function requireTenantReferences(
  scope: TenantScope,
  references: TenantReferences,
  users?: Pick<UserRepository, 'get'>,
): Promise<void> {
  for (const [field, [what, lookup]] of Object.entries(lookups) as [
    keyof typeof lookups,
    [string, Lookup],
  ][]) {
    for (const id of new Set(references[field] ?? [])) {
      if (id === null || id === undefined) continue;
      if ((await lookup(scope, id)) === undefined) throw notFound(`${what} ${id}`);
    }
  }
  const userIds = [...new Set(references.userIds ?? [])].filter((id) => typeof id === 'string');
  if (userIds.length === 0) return;
  const members = new Set((await scope.memberships.list()).map((m) => m.userId));
  for (const id of userIds) {
    if (members.has(id)) continue;
    if (users && (await users.get(id))?.platformAdmin === true) continue;
    throw notFound(`user ${id} with access to this tenant`);
  }
}
