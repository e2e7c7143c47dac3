/**
 * The signed-in caller (`/auth/me`), sign-in and sign-out. The CSRF token that writes need is
 * taken from the sign-in answer, or from `/auth/me` after a reload.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../api/api-client.ts';
import type { Login, LoginResult, Me, Role } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';

/** The session query, shared by the hook and the route loader that starts it early. */
export const sessionQuery = queryOptions({
  queryKey: queryKeys.me,
  queryFn: async () => {
    const me = await api.get<Me>('/auth/me');
    setCsrfToken(me.csrfToken);
    return me;
  },
  staleTime: 60_000,
  retry: false,
});

export function useSession() {
  return useQuery(sessionQuery);
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (login: Login) => api.post<LoginResult>('/auth/login', login),
    onSuccess: async (result) => {
      setCsrfToken(result.csrfToken);
      client.clear();
      await client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<undefined>('/auth/logout'),
    onSettled: () => {
      setCsrfToken(undefined);
      client.clear();
    },
  });
}

/** The caller's role in a tenant (platform admins hold every tenant). */
export function roleIn(me: Me | undefined, tenantId: string | undefined): Role | undefined {
  if (!me || !tenantId) return undefined;
  if (me.user?.platformAdmin) return 'platform_admin';
  return me.memberships.find((m) => m.tenantId === tenantId)?.role;
}

const WRITERS: readonly Role[] = ['platform_admin', 'incident_lead', 'responder', 'analyst'];

/** Whether the role may change incidents and alerts (client viewers and ingest tokens may not). */
export function canWrite(role: Role | undefined): boolean {
  return role !== undefined && WRITERS.includes(role);
}

export function canOverrideGuard(role: Role | undefined): boolean {
  return role === 'incident_lead' || role === 'platform_admin';
}

export function canApproveContainment(role: Role | undefined): boolean {
  return role === 'incident_lead' || role === 'platform_admin';
}
