/**
 * The audit log, newest first: one infinite query over `audit:list` whose pages go back
 * with `beforeSeq` ("Load older entries"), and the chain verification.
 */
import { infiniteQueryOptions, useMutation } from '@tanstack/react-query';
import { call } from '../api';
import { auditKeys } from './keys';

/** Entries per page. */
export const AUDIT_PAGE = 50;

export const auditQueries = {
  /** `action`: only entries with this action (empty = all). */
  list: (action: string) =>
    infiniteQueryOptions({
      queryKey: auditKeys.list({ action }),
      queryFn: ({ pageParam }) =>
        call((api) => api.audit.list({ limit: AUDIT_PAGE, ...(pageParam ? { beforeSeq: pageParam } : {}), ...(action ? { action } : {}) })),
      initialPageParam: null as number | null,
      // `undefined` tells TanStack Query there is no older page.
      getNextPageParam: (page) => page.nextBeforeSeq ?? undefined,
      // Every call anywhere appends to the log, so no mutation can say when it is stale:
      // the pages are forgotten when the screen closes, and it opens on the newest entries.
      gcTime: 0,
    }),
};

/** Recomputes the hash chain; an action the supervisor asks for, not data to cache. */
export function useVerifyAudit() {
  return useMutation({ mutationFn: () => call((api) => api.audit.verify()) });
}
