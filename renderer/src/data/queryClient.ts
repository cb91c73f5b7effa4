/**
 * The renderer's one query cache (TanStack Query). Every call to `window.giftdesk`
 * goes through `call` (envelope → data or a typed `CallError`) inside a query or a
 * mutation; screens never keep server state in effects.
 *
 * Reads here are audited in the main process (a lookup writes an audit entry), so the
 * cache never refetches on its own: no refetch on focus or reconnect, no retries of a
 * refused call, data fresh until a mutation or a pushed event invalidates it.
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { CallError } from '../api';

export function createQueryClient(onUnauthenticated: (error: CallError) => void): QueryClient {
  const signedOut = (error: unknown) => {
    if (error instanceof CallError && error.code === 'UNAUTHENTICATED') onUnauthenticated(error);
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: signedOut }),
    mutationCache: new MutationCache({ onError: signedOut }),
    defaultOptions: {
      queries: {
        staleTime: Number.POSITIVE_INFINITY,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        retry: false,
      },
      mutations: { retry: false },
    },
  });
}
