/** The session channels: start-up as a query, sign-in and sign-out as mutations. */
import { keepPreviousData, mutationOptions, queryOptions } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract';
import { call } from '../api';
import { appKeys } from './keys';

export const bootQuery = () =>
  queryOptions({
    queryKey: appKeys.boot(),
    queryFn: async () => ({
      info: await call((api) => api.app.info()),
      session: await call((api) => api.session.current()),
      // A store without users opens on the first-run screen.
      setupNeeded: (await call((api) => api.setup.status())).needed,
    }),
    // A session's end clears the cache, boot answer included; the app info it held
    // stays on screen instead of the console flashing back to "Opening Giftdesk…".
    placeholderData: keepPreviousData,
  });

export const sessionMutations = {
  signIn: () =>
    mutationOptions({ mutationFn: (input: InputOf<'session:signIn'>) => call((api) => api.session.signIn(input)) }),
  signOut: () => mutationOptions({ mutationFn: () => call((api) => api.session.signOut()) }),
};
