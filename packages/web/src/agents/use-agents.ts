/**
 * Agents and containment through the API: the tenant's agents (live: the stream's `agent` and
 * `action` topics invalidate them; polled every 30 s as well, since "offline" is the absence of
 * a heartbeat, which no event announces), an agent's actions, isolate / release requests, the
 * break-glass release code, and the tenant's containment policy.
 */
import type { Static } from '@sinclair/typebox';
import type {
  AgentList,
  ContainmentPolicyBody,
  ContainmentPolicyView,
  ReleaseCodeView,
} from '@cordon/protocol';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '../api/api-client.ts';
import type { Action, Agent } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';

export type Policy = Static<typeof ContainmentPolicyView>;
export type PolicyInput = Static<typeof ContainmentPolicyBody>;
export type ContainmentRule = Policy['rules'][number];
export type ReleaseCode = Static<typeof ReleaseCodeView>;
export type AgentPage = Static<typeof AgentList>;

/** Agents per request, by hostname; more on asking. */
export const AGENT_PAGE = 200;

const HEARTBEAT_POLL_MS = 30_000;

export function useAgents(tenantId: string) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.agents(tenantId), 'list'],
    queryFn: ({ pageParam }) =>
      api.get<AgentPage>(tenantPath(tenantId, 'agents'), { limit: AGENT_PAGE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: HEARTBEAT_POLL_MS,
  });
}

/** One agent (the one open in the panel may be on a page not loaded yet). */
export function useAgent(tenantId: string, agentId: string | undefined) {
  return useQuery({
    queryKey: [...queryKeys.agents(tenantId), 'one', agentId],
    queryFn: () => api.get<Agent>(tenantPath(tenantId, 'agents', agentId ?? '')),
    enabled: agentId !== undefined,
    refetchInterval: HEARTBEAT_POLL_MS,
  });
}

export function useAgentActions(tenantId: string, agentId: string | undefined) {
  return useQuery({
    queryKey: [...queryKeys.actions(tenantId), 'agent', agentId],
    queryFn: () =>
      api.get<{ items: Action[] }>(tenantPath(tenantId, 'actions'), {
        agentId,
        limit: 50,
      }),
    enabled: agentId !== undefined,
  });
}

export function useRequestAction(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { agentId: string; kind: 'isolate' | 'release' }) =>
      api.post<Action>(tenantPath(tenantId, 'actions'), {
        host: input.agentId,
        action: { kind: input.kind },
      }),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.actions(tenantId) }),
  });
}

export function useIssueReleaseCode(tenantId: string) {
  return useMutation({
    mutationFn: (agentId: string) =>
      api.post<ReleaseCode>(tenantPath(tenantId, 'agents', agentId, 'release-codes'), {}),
  });
}

const policyKey = (tenantId: string) => [...queryKeys.tenant(tenantId), 'containment-policy'];

export function usePolicy(tenantId: string) {
  return useQuery({
    queryKey: policyKey(tenantId),
    queryFn: () => api.get<Policy>(tenantPath(tenantId, 'containment-policy')),
  });
}

export function useSavePolicy(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PolicyInput) =>
      api.put<Policy>(tenantPath(tenantId, 'containment-policy'), input),
    onSuccess: (policy) => client.setQueryData(policyKey(tenantId), policy),
  });
}
