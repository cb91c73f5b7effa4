/**
 * Cards: lookup and balance by serial (the canonical serial is the query key) and
 * redemption. Both reads are audited in the main process, so the cache answers a
 * screen that opens an already-read serial, and an explicit ask refetches
 * (`useAskedQuery`).
 */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract';
import { call } from '../api';
import { accountKeys, cardKeys } from './keys';

export const cardQueries = {
  lookup: (serial: string) =>
    queryOptions({ queryKey: cardKeys.lookup(serial), queryFn: () => call((api) => api.cards.lookup({ serial })) }),
  balance: (serial: string) =>
    queryOptions({ queryKey: cardKeys.balance(serial), queryFn: () => call((api) => api.cards.balance({ serial })) }),
};

/**
 * Redeems a claim code to an account. On success the account (balance, ledger, search
 * rows) and every card answer are stale: the card is now redeemed. The mutation stays
 * pending until the open account has been read again, so the dialog closes on the
 * new balance.
 */
export function useRedeem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'cards:redeem'>) => call((api) => api.cards.redeem(input)),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
        queryClient.invalidateQueries({ queryKey: cardKeys.all }),
      ]),
  });
}
