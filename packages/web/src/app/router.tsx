/**
 * Every screen's address. Filters live in the query string (bookmark and share a view); each
 * screen is its own chunk, loaded when first visited, while its loader starts its first
 * requests (`route-prefetch.ts`).
 */
import { Navigate, createBrowserRouter } from 'react-router';
import { RequireSession } from '../auth/require-session.tsx';
import { SignInScreen } from '../auth/sign-in-screen.tsx';
import { AppLayout } from './app-layout.tsx';
import { NotFoundScreen } from './not-found-screen.tsx';
import {
  alertQueueLoader,
  incidentLoader,
  overviewLoader,
  sessionLoader,
} from './route-prefetch.ts';

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInScreen /> },
  {
    path: '/',
    loader: sessionLoader,
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="/overview" replace /> },
      {
        path: 'overview',
        loader: overviewLoader,
        lazy: async () => ({
          Component: (await import('../overview/overview-screen.tsx')).OverviewScreen,
        }),
      },
      {
        path: 't/:tenantId',
        children: [
          { index: true, element: <Navigate to="incidents" replace /> },
          {
            path: 'alerts',
            loader: alertQueueLoader,
            lazy: async () => ({
              Component: (await import('../alerts/alert-queue-screen.tsx')).AlertQueueScreen,
            }),
          },
          {
            path: 'incidents',
            lazy: async () => ({
              Component: (await import('../incidents/incident-list-screen.tsx')).IncidentListScreen,
            }),
          },
          {
            path: 'preparation',
            lazy: async () => ({
              Component: (await import('../preparation/preparation-screen.tsx')).PreparationScreen,
            }),
          },
          {
            path: 'service',
            lazy: async () => ({
              Component: (await import('../service/service-screen.tsx')).ServiceScreen,
            }),
          },
          {
            path: 'search',
            lazy: async () => ({
              Component: (await import('../search/search-screen.tsx')).SearchScreen,
            }),
          },
          {
            path: 'assets',
            lazy: async () => ({
              Component: (await import('../assets/asset-list-screen.tsx')).AssetListScreen,
            }),
          },
          {
            path: 'network',
            lazy: async () => ({
              Component: (await import('../assets/network-screen.tsx')).NetworkScreen,
            }),
          },
          {
            path: 'assets/:assetId',
            lazy: async () => ({
              Component: (await import('../assets/asset-screen.tsx')).AssetScreen,
            }),
          },
          {
            path: 'agents',
            lazy: async () => ({
              Component: (await import('../agents/agents-screen.tsx')).AgentsScreen,
            }),
          },
          {
            path: 'detection',
            lazy: async () => ({
              Component: (await import('../detection/detection-screen.tsx')).DetectionScreen,
            }),
          },
          {
            path: 'admin',
            lazy: async () => ({
              Component: (await import('../admin/admin-screen.tsx')).AdminScreen,
            }),
          },
          {
            path: 'incidents/:incidentId',
            loader: incidentLoader,
            lazy: async () => ({
              Component: (await import('../incidents/incident-page/incident-screen.tsx'))
                .IncidentScreen,
            }),
          },
        ],
      },
      { path: '*', element: <NotFoundScreen /> },
    ],
  },
]);
