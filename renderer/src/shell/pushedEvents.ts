/**
 * Events the main process pushes, turned into cache invalidations (and the requester's
 * notice) for as long as someone is signed in: the Shell is mounted, whatever screen
 * is open. The session's own end is handled by the session (session.tsx).
 */
import { useCreditDecisionNotices } from '../components/credits/useCreditDecisionNotices';
import { useCreditsChangedEvent } from '../data/credits';

export function usePushedInvalidations(): void {
  // A request was made or decided, here or on another console: counts and lists are stale.
  useCreditsChangedEvent();
  // One of this user's requests was decided by someone else: say so on any screen.
  useCreditDecisionNotices();
}
