/**
 * The navigation badge: credit requests awaiting the signed-in supervisor. Never
 * polled: read once, and again when stale — when a credit mutation in this window
 * invalidates `creditKeys.all`, or the main process pushes `credits:changed`
 * (pushedEvents.ts).
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { call } from '../api';
import { creditKeys } from '../data/keys';

// `credits:pendingCount` is passive: reading it is not activity for the idle lock.
const pendingCountQuery = () =>
  queryOptions({
    queryKey: creditKeys.pendingCount(),
    queryFn: () => call((api) => api.credits.pendingCount()),
    select: (count) => count.awaitingMe,
  });

export function useAwaitingApproval(enabled: boolean): number {
  const { data } = useQuery({ ...pendingCountQuery(), enabled });
  return data ?? 0;
}
