/**
 * Users (admins): the list as a query, and each change as a mutation that makes the
 * list stale. A password reset's answer (the temporary password) is never cached: it
 * lives in the dialog that shows it once.
 */
import { mutationOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract';
import { call } from '../api';
import { userKeys } from './keys';

export const userQueries = {
  list: () => queryOptions({ queryKey: userKeys.list(), queryFn: () => call((api) => api.users.list()) }),
};

/** A users mutation that refreshes the list once it is done (refused or not: a refusal may mean the list is old). */
function useUsersMutation<I, O>(mutationFn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSettled: () => queryClient.invalidateQueries({ queryKey: userKeys.all }) });
}

export const useCreateUser = () => useUsersMutation((input: InputOf<'users:create'>) => call((api) => api.users.create(input)));
export const useUpdateUser = () => useUsersMutation((input: InputOf<'users:update'>) => call((api) => api.users.update(input)));
export const useResetPassword = () => useUsersMutation((input: InputOf<'users:resetPassword'>) => call((api) => api.users.resetPassword(input)));
export const useUnlockUser = () => useUsersMutation((input: InputOf<'users:unlock'>) => call((api) => api.users.unlock(input)));

export const setupMutations = {
  createAdmin: () =>
    mutationOptions({ mutationFn: (input: InputOf<'setup:createAdmin'>) => call((api) => api.setup.createAdmin(input)) }),
  changePassword: () =>
    mutationOptions({ mutationFn: (input: InputOf<'session:changePassword'>) => call((api) => api.session.changePassword(input)) }),
};
