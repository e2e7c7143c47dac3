/**
 * The one query client. Data is fresh for 15 s (live updates invalidate what changed sooner);
 * an unauthenticated answer is not retried (the session is gone: sign in again).
 */
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-error.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (failures, error) =>
        !(
          error instanceof ApiError &&
          ['unauthenticated', 'forbidden', 'not_found'].includes(error.code)
        ) && failures < 2,
    },
  },
});
