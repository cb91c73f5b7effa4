/**
 * Who is signed in in this window, as the main process says. The renderer never holds
 * a credential: it keeps the session's description, learns at start-up who is signed
 * in, and ends the session when the main process says it ended (the pushed
 * `session:ended` event, or an UNAUTHENTICATED answer to any call).
 *
 * The query cache lives here because its lifetime is the session's: whenever a
 * session ends (sign-out, idle lock, signed out elsewhere) the whole cache is
 * cleared, so nothing one user saw is shown to the next.
 */
import { QueryClientProvider, useMutation, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppInfo, SessionInfo } from '../../shared/types';
import { call, CallError } from './api';
import { serverProblem } from './screens/StoreErrorScreen';
import { useGiftdeskEvent } from './data/events';
import { createQueryClient } from './data/queryClient';
import { bootQuery, sessionMutations } from './data/session';

/** Since start-up: nothing changed yet (the boot answer stands), or a sign-in, or an end. */
type Change = null | { kind: 'signedIn'; session: SessionInfo } | { kind: 'signedOut'; endedBecause: string | null };

/** A session ended without the user asking; a second notice for the same end is ignored. */
function ended(message: string) {
  return (change: Change): Change => (change?.kind === 'signedOut' ? change : { kind: 'signedOut', endedBecause: message });
}

interface SessionState {
  /** App info, the session and whether the store has no user yet, at start-up. */
  boot: UseQueryResult<{ info: AppInfo; session: SessionInfo | null; setupNeeded: boolean }>;
  session: SessionInfo | null;
  /** The store had no user at start-up and nobody has signed in since: the first-run screen. */
  setupNeeded: boolean;
  /** First run is over without this window (another console made the first admin): to the sign-in screen, saying why. */
  leaveSetup(message: string): void;
  /** Why the last session ended, when it was not the user's own sign-out. */
  endedBecause: string | null;
  signedIn(session: SessionInfo): void;
  /** The user signed out (the main process has been told). */
  signedOut(): void;
  /**
   * While signed in: the team server cannot be reached or trusted (a call answered so).
   * The console shows why over the screens, which stay as they were, until Try again
   * finds the server again.
   */
  serverDown: CallError | null;
  retrying: boolean;
  retryServer(): void;
}

/**
 * The server problems that stop every call (the server is gone, unknown, untrusted, of
 * another version). A broken or slow answer ('interrupted', 'timeout') is the action's
 * own problem: its screen says so beside the action, which the user repeats.
 */
function stopsEveryCall(error: CallError): boolean {
  const reason = serverProblem(error);
  return reason !== null && reason !== 'interrupted' && reason !== 'timeout';
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [change, setChange] = useState<Change>(null);
  // UNAUTHENTICATED can only answer a signed-in call, so it always ends a session.
  const [serverDown, setServerDown] = useState<CallError | null>(null);
  const [retrying, setRetrying] = useState(false);
  // A call answered PASSWORD_CHANGE_REQUIRED: an admin reset this user's password while the window was open.
  const [mustChange, setMustChange] = useState(false);
  const [client] = useState(() =>
    createQueryClient(
      (error) => setChange(ended(error.message)),
      (error) => {
        if (stopsEveryCall(error)) setServerDown(error);
      },
      () => setMustChange(true),
    ),
  );
  // Asked once: after the first sign-in or end, `change` says who is signed in.
  const boot = useQuery({ ...bootQuery(), enabled: change === null }, client);

  const known = change === null ? (boot.data?.session ?? null) : change.kind === 'signedIn' ? change.session : null;
  const session = useMemo(() => (known && mustChange && !known.mustChangePassword ? { ...known, mustChangePassword: true } : known), [known, mustChange]);

  useGiftdeskEvent('session:ended', ({ message }) => {
    if (session) setChange(ended(message));
  });

  const retryServer = useCallback(() => {
    setRetrying(true);
    call((api) => api.session.current())
      .then((current) => {
        setServerDown(null);
        // The session ended while the server could not be reached (idle lock, signed out elsewhere).
        if (current === null) setChange(ended('Your session ended while the team server could not be reached. Sign in again.'));
      })
      .catch((error: unknown) => {
        if (error instanceof CallError && stopsEveryCall(error)) setServerDown(error);
        else setServerDown(null);
      })
      .finally(() => setRetrying(false));
  }, []);

  // After the commit that unmounted the signed-in screens, so no query of theirs is
  // asked again into the emptied cache.
  useEffect(() => {
    if (change?.kind === 'signedOut') client.clear();
  }, [change, client]);

  const value = useMemo<SessionState>(
    () => ({
      boot,
      session,
      setupNeeded: change === null && session === null && (boot.data?.setupNeeded ?? false),
      leaveSetup: (message) => setChange(ended(message)),
      endedBecause: change?.kind === 'signedOut' ? change.endedBecause : null,
      // A server problem met before (the start-up screen's, a failed sign-in's) is not this session's.
      signedIn: (next) => {
        setServerDown(null);
        setMustChange(false);
        setChange({ kind: 'signedIn', session: next });
      },
      signedOut: () => {
        setServerDown(null);
        setMustChange(false);
        setChange({ kind: 'signedOut', endedBecause: null });
      },
      serverDown: session ? serverDown : null,
      retrying,
      retryServer,
    }),
    [boot, session, change, serverDown, retrying, retryServer],
  );
  return (
    <QueryClientProvider client={client}>
      <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
    </QueryClientProvider>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

export function useSignIn() {
  const { signedIn } = useSession();
  return useMutation({ ...sessionMutations.signIn(), onSuccess: signedIn });
}

/** Signs out; the window leaves the console even if the main process could not be told. */
export function useSignOut() {
  const { signedOut } = useSession();
  return useMutation({ ...sessionMutations.signOut(), onSettled: signedOut });
}
