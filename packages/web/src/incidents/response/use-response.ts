/**
 * The response workflow's queries and writes for one incident. Every key starts with the
 * incident's key, so a live incident change (and every write here) refreshes them all;
 * containment decisions also refresh the tenant's actions.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '../../api/api-client.ts';
import { queryKeys } from '../../api/query-keys.ts';
import type { Action } from '../../api/api-types.ts';
import type {
  ChangeRecords,
  Closure,
  ContainmentOptions,
  Decision,
  Eradication,
  Identification,
  IdentificationCorrection,
  NewDecision,
  Playbook,
  PlaybookRun,
  PlaybookSuggestion,
  ProcessTree,
  ReleasePlan,
  Restore,
  Timeline,
  VerificationCheck,
} from './response-types.ts';

type Query = Readonly<Record<string, string | number | undefined>>;

function useIncidentGet<T>(tenantId: string, incidentId: string, part: string, query?: Query) {
  return useQuery({
    queryKey: [...queryKeys.incident(tenantId, incidentId), part, query ?? {}],
    queryFn: () =>
      api.get<T>(tenantPath(tenantId, 'incidents', incidentId, ...part.split('/')), query),
  });
}

export const useIdentification = (t: string, i: string) =>
  useIncidentGet<Identification>(t, i, 'identification');
export const useContainmentOptions = (t: string, i: string) =>
  useIncidentGet<ContainmentOptions>(t, i, 'containment-options');
export const useDecisions = (t: string, i: string) =>
  useIncidentGet<{ items: Decision[] }>(t, i, 'containment-decisions');
export const usePlaybookSuggestions = (t: string, i: string) =>
  useIncidentGet<{ items: PlaybookSuggestion[] }>(t, i, 'playbook-suggestions');
export const usePlaybookRuns = (t: string, i: string) =>
  useIncidentGet<{ items: PlaybookRun[] }>(t, i, 'playbook-runs');
export const useEradication = (t: string, i: string) =>
  useIncidentGet<Eradication>(t, i, 'eradication');
export const useChanges = (t: string, i: string) => useIncidentGet<ChangeRecords>(t, i, 'changes');
export const useRestores = (t: string, i: string) => useIncidentGet<Restore[]>(t, i, 'restores');
export const useReleasePlan = (t: string, i: string) =>
  useIncidentGet<ReleasePlan>(t, i, 'release');
export const useChecks = (t: string, i: string) =>
  useIncidentGet<VerificationCheck[]>(t, i, 'verification/checks');
export const useClosure = (t: string, i: string) => useIncidentGet<Closure>(t, i, 'closure');
export const useTimeline = (t: string, i: string, query: Query) =>
  useIncidentGet<Timeline>(t, i, 'timeline', query);
export const useProcessTree = (t: string, i: string, query: Query) =>
  useIncidentGet<ProcessTree>(t, i, 'process-tree', query);

export function usePlaybooks(tenantId: string) {
  return useQuery({
    queryKey: [...queryKeys.tenant(tenantId), 'playbooks'],
    queryFn: () => api.get<{ items: Playbook[] }>(tenantPath(tenantId, 'playbooks')),
  });
}

/** A write that refreshes everything the incident page shows. */
function useResponseWrite<In, Out>(
  tenantId: string,
  incidentId: string,
  write: (input: In) => Promise<Out>,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.incident(tenantId, incidentId) });
      await client.invalidateQueries({ queryKey: queryKeys.actions(tenantId) });
      await client.invalidateQueries({ queryKey: queryKeys.journal(tenantId) });
    },
  });
}

export function useCorrectIdentification(tenantId: string, incidentId: string) {
  return useResponseWrite(tenantId, incidentId, (correction: IdentificationCorrection) =>
    api.post<Identification>(
      tenantPath(tenantId, 'incidents', incidentId, 'identification', 'corrections'),
      correction,
    ),
  );
}

export function useDecide(tenantId: string, incidentId: string) {
  return useResponseWrite(tenantId, incidentId, (decision: NewDecision) =>
    api.post<Decision>(
      tenantPath(tenantId, 'incidents', incidentId, 'containment-decisions'),
      decision,
    ),
  );
}

export function useFailoverOutcome(tenantId: string, incidentId: string) {
  return useResponseWrite(
    tenantId,
    incidentId,
    (input: { decisionId: string; outcome: 'confirmed' | 'failed'; note?: string }) =>
      api.post<Decision>(
        tenantPath(
          tenantId,
          'incidents',
          incidentId,
          'containment-decisions',
          input.decisionId,
          'failover',
        ),
        { outcome: input.outcome, ...(input.note ? { note: input.note } : {}) },
      ),
  );
}

export function useApproveAction(tenantId: string, incidentId: string) {
  return useResponseWrite(tenantId, incidentId, (actionId: string) =>
    api.post<Action>(tenantPath(tenantId, 'actions', actionId, 'approve')),
  );
}

export function useStartRun(tenantId: string, incidentId: string) {
  return useResponseWrite(tenantId, incidentId, (playbookId: string) =>
    api.post<PlaybookRun>(tenantPath(tenantId, 'incidents', incidentId, 'playbook-runs'), {
      playbookId,
    }),
  );
}

export function useCompleteStep(tenantId: string, incidentId: string) {
  return useResponseWrite(tenantId, incidentId, (input: { runId: string; step: string }) =>
    api.post<PlaybookRun>(tenantPath(tenantId, 'playbook-runs', input.runId, 'steps', 'complete'), {
      step: input.step,
    }),
  );
}

export function useDecideStep(tenantId: string, incidentId: string) {
  return useResponseWrite(
    tenantId,
    incidentId,
    (input: { runId: string; step: string; decision: 'approved' | 'declined' }) =>
      api.post<PlaybookRun>(tenantPath(tenantId, 'playbook-runs', input.runId, 'steps', 'decide'), {
        step: input.step,
        decision: input.decision,
      }),
  );
}
