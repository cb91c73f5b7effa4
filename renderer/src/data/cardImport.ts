/**
 * Card batch import from the Import screen: the main process opens the file dialog and
 * runs the import (`cards:import`), pushing progress as `cards:importProgress` events;
 * `cards:importCancel` stops it. An action the admin asks for, not data to cache.
 */
import { useMutation } from '@tanstack/react-query';
import { call } from '../api';

export function useImportCards() {
  return useMutation({ mutationFn: (input: { skipInvalid: boolean }) => call((api) => api.cards.import(input)) });
}

export function useCancelImport() {
  return useMutation({ mutationFn: () => call((api) => api.cards.importCancel()) });
}
