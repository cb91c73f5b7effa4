/**
 * Damaged-code recovery: open the card, check the caller's details, resolve a verified
 * case, and (supervisors) unlock a card. Each check adds to the card's timeline and may
 * lock it; a resolution voids or redeems the card and may credit an account; an
 * unlock clears the lock. Each mutation makes exactly that stale.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract';
import { call } from '../api';
import { cardQueries } from './cards';
import { accountKeys, cardKeys } from './keys';

/**
 * Opens a card for recovery. It always asks the main process (an audited lookup, one per
 * "Continue", as the agent expects a fresh lock state), and leaves the answer in the
 * cache the Lookup screen reads.
 */
export function useOpenCard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (serial: string) => queryClient.fetchQuery({ ...cardQueries.lookup(serial), staleTime: 0 }),
  });
}

export function useVerifyRecovery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'recovery:verify'>) => call((api) => api.recovery.verify(input)),
    // A check is on the card's timeline (and a third failure locks it), refused or not.
    onSettled: (_result, _error, input) => queryClient.invalidateQueries({ queryKey: cardKeys.lookup(input.serial) }),
  });
}

export function useResolveRecovery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'recovery:resolve'>) => call((api) => api.recovery.resolve(input)),
    onSuccess: (_resolution, input) =>
      Promise.all([
        // The card is redeemed or void, and a reissue adds a replacement card.
        queryClient.invalidateQueries({ queryKey: cardKeys.all }),
        input.action === 'redeemToAccount' ? queryClient.invalidateQueries({ queryKey: accountKeys.detail(input.accountId) }) : null,
      ]),
  });
}

export function useUnlockRecovery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'recovery:unlock'>) => call((api) => api.recovery.unlock(input)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: cardKeys.all }),
  });
}
