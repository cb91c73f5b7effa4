/**
 * The Limits screen's data: one read (`limits:get`) and one change (`limits:set`). A
 * change makes the screen stale and the credit request dialog's limits (`credits:limits`)
 * too, refused or not (a refusal may mean someone else changed them first).
 */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract';
import { call } from '../api';
import { creditKeys, limitKeys } from './keys';

export const limitQueries = {
  all: () => queryOptions({ queryKey: limitKeys.all, queryFn: () => call((api) => api.limits.get()) }),
};

export function useSetLimit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'limits:set'>) => call((api) => api.limits.set(input)),
    // Pending until read again, so a dialog closes onto the new value.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: limitKeys.all }),
        queryClient.invalidateQueries({ queryKey: creditKeys.limits() }),
      ]),
  });
}
