/**
 * `pii:reveal` as a mutation whose answer never stays in the query cache: no key, no
 * query, and `gcTime: 0`, so the mutation (with its data) leaves the MutationCache as
 * soon as its observer lets go of it. The component that reveals takes the value into
 * its own state on success and resets the mutation at once (RevealableValue.tsx);
 * after the 60 seconds, or when it unmounts, the value is gone from memory it owns.
 */
import { mutationOptions } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract';
import { call } from '../api';

export const revealMutation = () =>
  mutationOptions({
    mutationFn: (input: InputOf<'pii:reveal'>) => call((api) => api.pii.reveal(input)),
    gcTime: 0,
  });
