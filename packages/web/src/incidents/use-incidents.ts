/** Incidents: a server-side page with its total and filters, one incident and what hangs off it. */
import {
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, tenantPath } from '../api/api-client.ts';
import type {
  Action,
  Evidence,
  Incident,
  IncidentChanges,
  IncidentJournal,
  NextPhase,
  Note,
  Observable,
  Page,
  Phase,
  Severity,
  Task,
  Transition,
  TransitionInput,
  TransitionResult,
} from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';

export const INCIDENT_PAGE = 100;

export interface IncidentFilters {
  readonly phase: Phase | undefined;
  readonly severity: Severity | undefined;
  readonly page: number;
}

export function useIncidents(tenantId: string, filters: IncidentFilters) {
  return useQuery({
    queryKey: [...queryKeys.incidents(tenantId), 'list', filters],
    queryFn: () =>
      api.get<Page<Incident>>(tenantPath(tenantId, 'incidents'), {
        phase: filters.phase,
        severity: filters.severity,
        limit: INCIDENT_PAGE,
        offset: (filters.page - 1) * INCIDENT_PAGE,
      }),
    placeholderData: keepPreviousData,
  });
}

function sub<T>(tenantId: string, incidentId: string, part: string, fetch: () => Promise<T>) {
  return {
    queryKey: [...queryKeys.incident(tenantId, incidentId), part],
    queryFn: fetch,
  };
}

/** The incident's record; with `nextPhaseQuery` and the linked alerts, what its page shows first. */
export const incidentQuery = (tenantId: string, incidentId: string) =>
  queryOptions({
    queryKey: [...queryKeys.incident(tenantId, incidentId), 'record'],
    queryFn: () => api.get<Incident>(tenantPath(tenantId, 'incidents', incidentId)),
  });

export function useIncident(tenantId: string, incidentId: string) {
  return useQuery(incidentQuery(tenantId, incidentId));
}

export const nextPhaseQuery = (tenantId: string, incidentId: string) =>
  queryOptions(
    sub(tenantId, incidentId, 'next-phase', () =>
      api.get<NextPhase>(tenantPath(tenantId, 'incidents', incidentId, 'next-phase')),
    ),
  );

export function useNextPhase(tenantId: string, incidentId: string) {
  return useQuery(nextPhaseQuery(tenantId, incidentId));
}

type IncidentPart = 'notes' | 'observables' | 'tasks' | 'transitions' | 'alerts';

export const incidentPartQuery = <T>(tenantId: string, incidentId: string, part: IncidentPart) =>
  queryOptions(
    sub(tenantId, incidentId, part, () =>
      api.get<T>(tenantPath(tenantId, 'incidents', incidentId, part)),
    ),
  );

export function useIncidentPart<T>(tenantId: string, incidentId: string, part: IncidentPart) {
  return useQuery(incidentPartQuery<T>(tenantId, incidentId, part));
}

export const useNotes = (t: string, i: string) => useIncidentPart<Note[]>(t, i, 'notes');
export const useObservables = (t: string, i: string) =>
  useIncidentPart<Observable[]>(t, i, 'observables');
export const useTasks = (t: string, i: string) => useIncidentPart<Task[]>(t, i, 'tasks');
export const useTransitions = (t: string, i: string) =>
  useIncidentPart<Transition[]>(t, i, 'transitions');
/** Ids of the alerts linked to the incident. */
export const useLinkedAlerts = (t: string, i: string) => useIncidentPart<string[]>(t, i, 'alerts');

export function useIncidentActions(tenantId: string, incidentId: string) {
  return useQuery({
    queryKey: [...queryKeys.actions(tenantId), { incidentId }],
    queryFn: () =>
      api.get<{ items: Action[] }>(tenantPath(tenantId, 'actions'), { incidentId, limit: 200 }),
  });
}

export function useIncidentEvidence(tenantId: string, incidentId: string) {
  return useQuery(
    sub(tenantId, incidentId, 'evidence', () =>
      api.get<Page<Evidence>>(tenantPath(tenantId, 'evidence'), { incidentId, limit: 200 }),
    ),
  );
}

export const JOURNAL_PAGE = 100;

/** The incident's entries a page at a time, each page with the chain status behind it. */
export function useIncidentJournal(tenantId: string, incidentId: string) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.journal(tenantId), { incidentId }],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      api.get<IncidentJournal>(tenantPath(tenantId, 'incidents', incidentId, 'journal'), {
        limit: JOURNAL_PAGE,
        ...(pageParam === undefined ? {} : { afterSeq: pageParam }),
      }),
    getNextPageParam: (last) => last.nextAfterSeq ?? undefined,
  });
}

/** Every write on the incident page refreshes the incident and its parts. */
function useIncidentWrite<In, Out>(
  tenantId: string,
  incidentId: string,
  write: (input: In) => Promise<Out>,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.incident(tenantId, incidentId) });
      await client.invalidateQueries({ queryKey: [...queryKeys.incidents(tenantId), 'list'] });
      await client.invalidateQueries({ queryKey: queryKeys.journal(tenantId) });
      await client.invalidateQueries({ queryKey: queryKeys.actions(tenantId) });
    },
  });
}

export function useUpdateIncident(tenantId: string, incidentId: string) {
  return useIncidentWrite(tenantId, incidentId, (changes: IncidentChanges) =>
    api.patch<Incident>(tenantPath(tenantId, 'incidents', incidentId), changes),
  );
}

export function useTransition(tenantId: string, incidentId: string) {
  return useIncidentWrite(tenantId, incidentId, (input: TransitionInput) =>
    api.post<TransitionResult>(tenantPath(tenantId, 'incidents', incidentId, 'transitions'), input),
  );
}

export function useAddNote(tenantId: string, incidentId: string) {
  return useIncidentWrite(tenantId, incidentId, (body: string) =>
    api.post<Note>(tenantPath(tenantId, 'incidents', incidentId, 'notes'), { body }),
  );
}

export function useAddObservable(tenantId: string, incidentId: string) {
  return useIncidentWrite(
    tenantId,
    incidentId,
    (input: { kind: Observable['kind']; value: string }) =>
      api.post<Observable>(tenantPath(tenantId, 'incidents', incidentId, 'observables'), input),
  );
}

export function useAddTask(tenantId: string, incidentId: string) {
  return useIncidentWrite(tenantId, incidentId, (input: { phase: Phase; title: string }) =>
    api.post<Task>(tenantPath(tenantId, 'incidents', incidentId, 'tasks'), input),
  );
}

export function useSetTaskStatus(tenantId: string, incidentId: string) {
  return useIncidentWrite(
    tenantId,
    incidentId,
    (input: { taskId: string; status: Task['status'] }) =>
      api.patch<Task>(tenantPath(tenantId, 'incidents', incidentId, 'tasks', input.taskId), {
        status: input.status,
      }),
  );
}

export function useDecideAction(tenantId: string, incidentId: string) {
  return useIncidentWrite(
    tenantId,
    incidentId,
    (
      input:
        | { actionId: string; decision: 'approve' }
        | { actionId: string; decision: 'deny'; reason: string },
    ) =>
      input.decision === 'approve'
        ? api.post<Action>(tenantPath(tenantId, 'actions', input.actionId, 'approve'))
        : api.post<Action>(tenantPath(tenantId, 'actions', input.actionId, 'deny'), {
            reason: input.reason,
          }),
  );
}
