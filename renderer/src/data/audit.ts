/**
 * The audit log, newest first: one infinite query per filter over `audit:list` whose
 * pages go back with `beforeSeq` (loaded as the table scrolls near its end), the ticket
 * view (every page of one ticket, oldest first), and the chain verification.
 *
 * The Audit screen's applied filter lives in the query cache (`auditKeys.screen()`), so
 * it survives leaving the screen and is forgotten with everything else at sign-out.
 * The pages are not kept: every call anywhere appends to the log, so a kept page would
 * hide what happened meanwhile (an admin changes a limit and comes back to look for it).
 * Coming back asks again for the same filter from the newest entry; so does Search.
 */
import { infiniteQueryOptions, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { AuditFilter } from '../../../shared/auditFilter';
import type { AuditEntryView } from '../../../shared/types';
import { call } from '../api';
import { auditKeys } from './keys';

/** Entries per page: the most `audit:list` gives at once. */
export const AUDIT_PAGE = 200;

/** The ticket view loads at most this many entries (a ticket has a few hundred at most). */
export const TICKET_ENTRY_LIMIT = 1_000;

/** Only the fields set: `{}` is the whole log, and equal filters share one cache entry. */
export function compactFilter(filter: AuditFilter): AuditFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined && value !== '')) as AuditFilter;
}

export const auditQueries = {
  list: (filter: AuditFilter) =>
    infiniteQueryOptions({
      queryKey: auditKeys.list(compactFilter(filter)),
      queryFn: ({ pageParam }) =>
        call((api) => api.audit.list({ ...compactFilter(filter), limit: AUDIT_PAGE, ...(pageParam ? { beforeSeq: pageParam } : {}) })),
      initialPageParam: null as number | null,
      // `undefined` tells TanStack Query there is no older page.
      getNextPageParam: (page) => page.nextBeforeSeq ?? undefined,
      // Forgotten when the screen closes (see above); never refetched while it is open
      // (a refetch of an infinite query would ask again for every page loaded).
      staleTime: Infinity,
      gcTime: 0,
    }),

  /** Everything done under one ticket, oldest first (reads like the story of the case). */
  ticket: (ticketId: string) =>
    queryOptions({
      queryKey: auditKeys.ticket(ticketId),
      queryFn: async (): Promise<{ entries: AuditEntryView[]; truncated: boolean }> => {
        const entries: AuditEntryView[] = [];
        let beforeSeq: number | null = null;
        do {
          const page = await call((api) => api.audit.list({ ticketId, limit: AUDIT_PAGE, ...(beforeSeq ? { beforeSeq } : {}) }));
          entries.push(...page.entries);
          beforeSeq = page.nextBeforeSeq;
        } while (beforeSeq !== null && entries.length < TICKET_ENTRY_LIMIT);
        return { entries: entries.slice(0, TICKET_ENTRY_LIMIT).reverse(), truncated: beforeSeq !== null || entries.length > TICKET_ENTRY_LIMIT };
      },
      // Asked again at each opening: other desks keep working on the ticket.
      gcTime: 0,
    }),
};

/** What the Audit screen shows: the applied filter, the tab and the ticket asked for. */
export interface AuditScreenState {
  filter: AuditFilter;
  tab: 'search' | 'ticket';
  ticketId: string;
  /** The screen opening whose target (a subject or a ticket from another screen) was applied last. */
  opening: number;
}

const initialScreenState: AuditScreenState = { filter: {}, tab: 'search', ticketId: '', opening: 0 };

/** The Audit screen's state, kept in the query cache (see above); `update` merges. */
export function useAuditScreenState(): [AuditScreenState, (change: Partial<AuditScreenState>) => void] {
  const queryClient = useQueryClient();
  const { data } = useQuery({
    queryKey: auditKeys.screen(),
    // Never fetched: set by `update` only (an invalidation keeps what is there).
    queryFn: () => queryClient.getQueryData<AuditScreenState>(auditKeys.screen()) ?? initialScreenState,
    initialData: initialScreenState,
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const update = useCallback(
    (change: Partial<AuditScreenState>) =>
      queryClient.setQueryData<AuditScreenState>(auditKeys.screen(), (current) => ({ ...(current ?? initialScreenState), ...change })),
    [queryClient],
  );
  return [data, update];
}

/** Recomputes the hash chain; an action the supervisor asks for, not data to cache. */
export function useVerifyAudit() {
  return useMutation({ mutationFn: () => call((api) => api.audit.verify()) });
}

/**
 * Exports the entries a filter selects as CSV: the main process asks where in a save
 * dialog (and, in a team, has the server stream the file). `{ cancelled: true }` when the
 * dialog was closed. Nothing to cache: each export is its own action, on record.
 */
export function useExportAudit() {
  return useMutation({ mutationFn: (filter: AuditFilter) => call((api) => api.audit.export(compactFilter(filter))) });
}
