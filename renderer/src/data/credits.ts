/**
 * Manual credits: the requester's list, the supervisors' queue, the limits, and the
 * four decisions. Every decision makes every credit list stale (`creditKeys.all`); an
 * approval that posts also makes its account stale. A refused decision refreshes the
 * lists too: it usually means someone else decided first.
 *
 * Another console's changes arrive as the pushed `credits:changed` event
 * (`useCreditsChangedEvent`), never by polling.
 */
import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreditStatus } from '../../../shared/credits';
import type { InputOf } from '../../../shared/contract';
import { call } from '../api';
import { useGiftdeskEvent } from './events';
import { accountKeys, creditKeys } from './keys';

/** The lists show up to this many requests (no paging on screen). */
const LIST_LIMIT = 100;

export const creditQueries = {
  /** The signed-in user's own requests, optionally of one status. */
  mine: (status?: CreditStatus) => {
    const filter = { mine: true, ...(status ? { status } : {}) };
    return queryOptions({
      queryKey: creditKeys.list(filter),
      queryFn: () => call((api) => api.credits.list({ ...filter, limit: LIST_LIMIT })),
    });
  },

  /** Every pending request, oldest first: the supervisors' approval queue. */
  queue: () => {
    const filter = { status: 'pending' } as const;
    return queryOptions({
      queryKey: creditKeys.list(filter),
      queryFn: () => call((api) => api.credits.list({ ...filter, limit: LIST_LIMIT })),
    });
  },

  limits: () => queryOptions({ queryKey: creditKeys.limits(), queryFn: () => call((api) => api.credits.limits()) }),

  /**
   * The account as a credit decision sees it: balance and its latest entries (the
   * request dialog counts the last 30 days of manual credits, the queue shows the
   * newest few). One cached read serves both, since viewing an account is audited.
   */
  account: (accountId: string) =>
    queryOptions({
      queryKey: accountKeys.recent(accountId),
      queryFn: () => call((api) => api.accounts.get({ accountId, limit: 100 })),
    }),
};

/** Credits changed here: every credit list and count (the navigation badge too) is stale. */
function creditsChangedHere(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: creditKeys.all });
}

/** The lists refresh when the main process says credits changed (here or on another console). */
export function useCreditsChangedEvent(): void {
  const queryClient = useQueryClient();
  useGiftdeskEvent('credits:changed', () => void queryClient.invalidateQueries({ queryKey: creditKeys.all }));
}

export function useRequestCredit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'credits:request'>) => call((api) => api.credits.request(input)),
    // Pending until the lists are read again, so a dialog closes onto the new request.
    onSuccess: () => creditsChangedHere(queryClient),
  });
}

export function useApproveCredit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'credits:approve'>) => call((api) => api.credits.approve(input)),
    onSettled: (request) =>
      Promise.all([
        creditsChangedHere(queryClient),
        // The last approval posts the ledger entry: the account's balance moved.
        request?.status === 'approved' ? queryClient.invalidateQueries({ queryKey: accountKeys.detail(request.account.id) }) : null,
      ]),
  });
}

export function useRejectCredit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'credits:reject'>) => call((api) => api.credits.reject(input)),
    onSettled: () => creditsChangedHere(queryClient),
  });
}

export function useCancelCredit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'credits:cancel'>) => call((api) => api.credits.cancel(input)),
    onSettled: () => creditsChangedHere(queryClient),
  });
}
