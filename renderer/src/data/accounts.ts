/**
 * Customer accounts: search, and one account with its ledger. The ledger pages
 * ("Load older entries") are one infinite query over `accounts:get` with `beforeId`;
 * every page carries the account's current balance, the first page's is shown.
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { call } from '../api';
import { inputSchema } from './forms';
import { accountKeys } from './keys';

/** What an account search form validates (the contract's own rule). */
export const accountSearchSchema = inputSchema('accounts:search', ['query']);

/** Ledger entries per page. */
export const LEDGER_PAGE = 25;

export const accountQueries = {
  search: (query: string) =>
    queryOptions({ queryKey: accountKeys.search(query), queryFn: () => call((api) => api.accounts.search({ query })) }),

  detail: (accountId: string) =>
    infiniteQueryOptions({
      queryKey: accountKeys.detail(accountId),
      // Read afresh each time it is opened, forgotten once closed: another desk may have
      // changed it meanwhile (only credit changes are pushed), and opening it is the
      // agent's explicit, audited read. While open, paging and invalidations use the cache.
      gcTime: 0,
      queryFn: ({ pageParam }) =>
        call((api) =>
          api.accounts.get(pageParam === null ? { accountId, limit: LEDGER_PAGE } : { accountId, beforeId: pageParam, limit: LEDGER_PAGE }),
        ),
      initialPageParam: null as number | null,
      // `undefined` tells TanStack Query there is no older page.
      getNextPageParam: (page) => page.nextBeforeId ?? undefined,
    }),
};
