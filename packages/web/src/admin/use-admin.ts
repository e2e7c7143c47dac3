/**
 * Administration through the API: a tenant's members and API tokens, creating users with a
 * role, tokens (the secret comes back once), revoking, and lifting a sign-in lock. The server
 * authorises each call (`access:manage`, platform admin for unlocking).
 */
import type { Static } from '@sinclair/typebox';
import type {
  AddMemberRequest,
  CreateTokenRequest,
  CreateTokenResponse,
  MemberView,
  TokenView,
  UnlockSignInResponse,
} from '@cordon/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '../api/api-client.ts';
import { queryKeys } from '../api/query-keys.ts';

export type Member = Static<typeof MemberView>;
export type NewMember = Static<typeof AddMemberRequest>;
export type ApiToken = Static<typeof TokenView>;
export type NewToken = Static<typeof CreateTokenRequest>;
export type CreatedToken = Static<typeof CreateTokenResponse>;
export type Unlocked = Static<typeof UnlockSignInResponse>;

const adminKey = (tenantId: string) => [...queryKeys.tenant(tenantId), 'admin'] as const;

export function useMembers(tenantId: string) {
  return useQuery({
    queryKey: [...adminKey(tenantId), 'members'],
    queryFn: () => api.get<Member[]>(tenantPath(tenantId, 'members')),
  });
}

export function useTokens(tenantId: string) {
  return useQuery({
    queryKey: [...adminKey(tenantId), 'tokens'],
    queryFn: () => api.get<ApiToken[]>(tenantPath(tenantId, 'tokens')),
  });
}

function useAdminMutation<In, Out>(tenantId: string, run: (input: In) => Promise<Out>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => client.invalidateQueries({ queryKey: adminKey(tenantId) }),
  });
}

export const useAddMember = (tenantId: string) =>
  useAdminMutation(tenantId, (m: NewMember) =>
    api.post<Member>(tenantPath(tenantId, 'members'), m),
  );

export const useCreateToken = (tenantId: string) =>
  useAdminMutation(tenantId, (t: NewToken) =>
    api.post<CreatedToken>(tenantPath(tenantId, 'tokens'), t),
  );

export const useRevokeToken = (tenantId: string) =>
  useAdminMutation(tenantId, (tokenId: string) =>
    api.delete<undefined>(tenantPath(tenantId, 'tokens', tokenId)),
  );

export const useUnlockSignIn = (tenantId: string) =>
  useAdminMutation(tenantId, (email: string) => api.post<Unlocked>('/auth/unlock', { email }));
