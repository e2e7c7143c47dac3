/** Routes below this need a session: without one, go to sign-in and come back afterwards. */
import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiError } from '../api/api-error.ts';
import { ErrorState } from '../shared/query-states.tsx';
import { useSession } from './use-session.ts';

export function RequireSession({ children }: { readonly children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading your session" />
      </Center>
    );
  }
  if (session.error) {
    if (session.error instanceof ApiError && session.error.code === 'unauthenticated') {
      const next = encodeURIComponent(location.pathname + location.search);
      return <Navigate to={`/sign-in?next=${next}`} replace />;
    }
    return <ErrorState error={session.error} retry={() => void session.refetch()} />;
  }
  return children;
}
