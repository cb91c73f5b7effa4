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
import { appKeys } from './keys';

const BOOT_KEY = JSON.stringify(appKeys.boot());

export function createQueryClient(
  onUnauthenticated: (error: CallError) => void,
  onStoreUnavailable?: (error: CallError) => void,
  onPasswordChangeRequired?: (error: CallError) => void,
): QueryClient {
  const onError = (error: unknown) => {
    if (!(error instanceof CallError)) return;
    if (error.code === 'UNAUTHENTICATED') onUnauthenticated(error);
    else if (error.code === 'STORE_UNAVAILABLE') onStoreUnavailable?.(error);
    else if (error.code === 'PASSWORD_CHANGE_REQUIRED') onPasswordChangeRequired?.(error);
  };
  return new QueryClient({
    // The start-up query shows its own store-error screen: it never stands for a signed-in window's server.
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (JSON.stringify(query.queryKey) === BOOT_KEY && error instanceof CallError && error.code === 'STORE_UNAVAILABLE') return;
        onError(error);
      },
    }),
    mutationCache: new MutationCache({ onError }),
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
