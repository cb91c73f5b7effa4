/**
 * Who is signed in in this window, as the main process says. The renderer never holds
 * a credential: it keeps the session's description and reacts when the main process
 * answers UNAUTHENTICATED (signed out elsewhere, idle lock).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionInfo } from '../../shared/types';
import { call, onSignedOut } from './api';

interface SessionState {
  session: SessionInfo | null;
  /** Why the last session ended, when it was not the user's own sign-out. */
  endedBecause: string | null;
  signedIn(session: SessionInfo): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

const IDLE_POLL_MS = 15_000;

export function SessionProvider({ initial, children }: { initial: SessionInfo | null; children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null>(initial);
  const [endedBecause, setEndedBecause] = useState<string | null>(null);

  useEffect(
    () =>
      onSignedOut((error) => {
        setSession((current) => {
          if (current) setEndedBecause(error.message);
          return null;
        });
      }),
    [],
  );

  // The main process signs an idle window out on its next call; asking now and then
  // (a passive call, not activity) shows the sign-in screen without waiting for one.
  useEffect(() => {
    if (!session) return undefined;
    const timer = setInterval(() => {
      void call((api) => api.session.current()).then(
        (current) => {
          if (current === null) {
            setEndedBecause('You were signed out after a period without activity. Sign in again.');
            setSession(null);
          }
        },
        () => undefined,
      );
    }, IDLE_POLL_MS);
    return () => clearInterval(timer);
  }, [session]);

  const signedIn = useCallback((next: SessionInfo) => {
    setEndedBecause(null);
    setSession(next);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await call((api) => api.session.signOut());
    } finally {
      setEndedBecause(null);
      setSession(null);
    }
  }, []);

  const value = useMemo(() => ({ session, endedBecause, signedIn, signOut }), [session, endedBecause, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
