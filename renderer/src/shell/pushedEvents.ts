/**
 * Events the main process pushes, turned into cache invalidations for as long as
 * someone is signed in (the Shell is mounted). The session's own end is handled by
 * the session (session.tsx).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useGiftdeskEvent } from '../data/events';
import { creditKeys } from '../data/keys';

export function usePushedInvalidations(): void {
  const queryClient = useQueryClient();
  // A request was made or decided, here or on another console: counts and lists are stale.
  useGiftdeskEvent('credits:changed', () => void queryClient.invalidateQueries({ queryKey: creditKeys.all }));
}
