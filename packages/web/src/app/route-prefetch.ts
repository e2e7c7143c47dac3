/**
 * Route loaders that start a screen's first requests at navigation, not after render: without
 * them the page waited for its bundle, then the session, then the frame around the screen,
 * and only then asked for the screen's data (the incident page asked for its next phase only
 * once the incident had arrived) — a chain of round trips `bench:console` showed. Each loader
 * only starts the queries (the hooks on the screen share them through the query client, with
 * the same options) and returns at once, so navigation never waits on data. Where the caller
 * is signed out, the answers are errors the screens refetch after sign-in.
 */
import type { LoaderFunctionArgs } from 'react-router';
import { queryClient } from '../api/query-client.ts';
import { alertFiltersFrom } from '../alerts/alert-filters.ts';
import { alertsQuery } from '../alerts/use-alerts.ts';
import { sessionQuery } from '../auth/use-session.ts';
import { incidentPartQuery, incidentQuery, nextPhaseQuery } from '../incidents/use-incidents.ts';
import { overviewQuery } from '../overview/use-overview.ts';
import { tenantsQuery } from '../tenants/use-tenants.ts';

const prefetch = queryClient.prefetchQuery.bind(queryClient);

/** The frame: who the caller is, and the tenants of the switcher. */
export const sessionLoader = () => {
  void prefetch(sessionQuery);
  void prefetch(tenantsQuery);
  return null;
};

export const overviewLoader = () => {
  void prefetch(overviewQuery);
  return null;
};

export const alertQueueLoader = ({ params, request }: LoaderFunctionArgs) => {
  const filters = alertFiltersFrom(new URL(request.url).searchParams);
  void prefetch(alertsQuery(params['tenantId'] ?? '', filters));
  return null;
};

export const incidentLoader = ({ params }: LoaderFunctionArgs) => {
  const tenantId = params['tenantId'] ?? '';
  const incidentId = params['incidentId'] ?? '';
  void prefetch(incidentQuery(tenantId, incidentId));
  void prefetch(nextPhaseQuery(tenantId, incidentId));
  void prefetch(incidentPartQuery<string[]>(tenantId, incidentId, 'alerts'));
  return null;
};
