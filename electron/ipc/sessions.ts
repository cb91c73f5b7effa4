/**
 * Sessions: who is signed in for a caller, and the checks every call runs on them.
 *
 * The wrapper reaches sessions only through `SessionLookup`, keyed by a caller key, so
 * the same checks (idle lock, absolute lifetime, the user re-read on every call, role
 * change, deactivation) run for both kinds of caller:
 *  - the console: `SessionStore` below, in memory, one session per window (keyed by the
 *    sender's webContents id). The renderer never holds a credential.
 *  - the team server: `DatabaseSessions` (electron/server/dbSessions.ts), one row per
 *    sign-in in the `sessions` table, keyed by the bearer token the client holds.
 *
 * In the console the idle lock and the absolute lifetime are enforced twice over: the
 * wrapper ends an idle or expired session when its window calls, and `lockIdleSessions`
 * (run by the main process on a timer and after every call) ends the ones nobody calls
 * from. The wrapper also ends a session whose user was deactivated (it re-reads the
 * user on every call). Either way the window is told through the `onEnd` listeners
 * (the main process pushes `session:ended`), and its next call is refused with the
 * reason until someone signs in there again.
 */
import type { SessionEndReason } from '../../shared/contract';
import type { SessionInfo, SessionUser } from '../../shared/types';
import { recordSignOut, type OpenedSession } from '../services/auth';
import type { Actor, ServiceDeps } from '../services/context';

export interface Session {
  user: SessionUser;
  signedInAt: Date;
  lastActiveAt: Date;
  idleLockMinutes: number;
  /** Hours after sign-in at which the session ends however active it was (a setting, read at sign-in). */
  maxHours: number;
  /** The user must replace a temporary password first (set at sign-in, re-read by the wrapper on every call). */
  mustChangePassword?: boolean;
  /** May reveal personal data (set at sign-in, re-read by the wrapper on every call). */
  canReveal?: boolean;
}

/** Why the main process ended a session (a user's own sign-out is not among them). */
export type EndReason = Exclude<SessionEndReason, 'signedOut'>;

/**
 * Why a caller has no session although it presented one: how it ended, or `invalid`
 * for a token no session ever had (forged, truncated) — the server's case only.
 */
export type RefusalReason = SessionEndReason | 'invalid';

export const IDLE_SIGN_OUT_MESSAGE = 'You were signed out after a period without activity. Sign in again.';
export const EXPIRED_SIGN_OUT_MESSAGE = 'You were signed out because your session reached its maximum length. Sign in again.';
export const DEACTIVATED_SIGN_OUT_MESSAGE =
  'You were signed out because an administrator deactivated your user. Ask an administrator if this is a mistake.';

export const SIGNED_OUT_MESSAGE = 'This session was signed out. Sign in again.';
export const INVALID_TOKEN_MESSAGE = 'This session token is not valid. Sign in again.';

export const END_MESSAGES: Record<RefusalReason, string> = {
  idle: IDLE_SIGN_OUT_MESSAGE,
  expired: EXPIRED_SIGN_OUT_MESSAGE,
  deactivated: DEACTIVATED_SIGN_OUT_MESSAGE,
  signedOut: SIGNED_OUT_MESSAGE,
  invalid: INVALID_TOKEN_MESSAGE,
};

/** A caller: a console window (its webContents id) or a server client (its bearer token; '' for none). */
export type CallerKey = number | string;

/** What opening a session gives back: what the caller may know of it, and for a token store the new token. */
export interface Opened {
  info: SessionInfo;
  /** The credential the transport hands to its client (the server's bearer token); never in a channel's output. */
  credential?: string;
}

type Awaitable<T> = T | Promise<T>;

/**
 * The one interface the wrapper reaches sessions through (the console's in-memory store
 * answers at once; the server's database store asynchronously; the wrapper awaits both).
 */
export interface SessionLookup {
  /** The caller's live session as stored (idle or expired ones included: the wrapper decides), or null. */
  get(key: CallerKey): Awaitable<Session | null>;
  /** A sign-in becomes the caller's session (replacing any it had). */
  open(key: CallerKey, opened: OpenedSession): Awaitable<Opened>;
  /** A non-passive call was made at `now`: the idle timer starts again. */
  touch(key: CallerKey, session: Session, now: Date): Awaitable<void>;
  /** Ends the session for `reason`; truthy only for the one caller that actually ended it (it records the end). */
  end(key: CallerKey, reason: EndReason): Awaitable<unknown>;
  /** The caller's own sign-out: the session is gone (its end is recorded by the service). */
  delete(key: CallerKey): Awaitable<unknown>;
  /** Why the caller has no session (null: it never had one, or signed in or out since). */
  endedReason(key: CallerKey): Awaitable<RefusalReason | null>;
  /** Test hooks only: every session's last activity moves forward by `ms`. */
  shiftActivity?(ms: number): Awaitable<void>;
}

/** Why the session must end at `now` by time alone, or null while it may go on. */
export function timedOut(session: Session, now: Date): 'expired' | 'idle' | null {
  // Past its absolute lifetime: activity does not extend it.
  if (now.getTime() - session.signedInAt.getTime() >= session.maxHours * 3_600_000) return 'expired';
  if (now.getTime() - session.lastActiveAt.getTime() > session.idleLockMinutes * 60_000) return 'idle';
  return null;
}

export type SessionEndListener = (windowId: number, session: Session, reason: SessionEndReason) => void;

export class SessionStore implements SessionLookup {
  private readonly byWindow = new Map<number, Session>();
  /** Windows whose last session the main process ended, and why (cleared by a sign-in or a sign-out there). */
  private readonly endedWhy = new Map<number, SessionEndReason>();
  private readonly endListeners = new Set<SessionEndListener>();

  get(windowId: number): Session | null {
    return this.byWindow.get(windowId) ?? null;
  }

  set(windowId: number, session: Session): void {
    this.endedWhy.delete(windowId);
    this.byWindow.set(windowId, session);
  }

  /** A sign-in becomes the window's session (replacing any); answers what the renderer may know of it. */
  open(windowId: number, opened: OpenedSession): Opened {
    const session: Session = { ...opened, lastActiveAt: opened.signedInAt };
    this.set(windowId, session);
    return { info: sessionInfo(session) };
  }

  touch(_windowId: number, session: Session, now: Date): void {
    // The window's own session object: what `get` answers next.
    session.lastActiveAt = now;
  }

  delete(windowId: number): Session | null {
    const session = this.get(windowId);
    this.byWindow.delete(windowId);
    this.endedWhy.delete(windowId);
    return session;
  }

  /** Every signed-in window and its session. */
  entries(): [windowId: number, session: Session][] {
    return [...this.byWindow.entries()];
  }

  /**
   * Ends a window's session (idle, past its lifetime, or its user deactivated):
   * removes it (synchronously, so two callers cannot both end it), remembers why for
   * the window's next call, and tells the listeners. Recording the sign-out is the
   * caller's (it needs the store).
   */
  end(windowId: number, reason: SessionEndReason): Session | null {
    const session = this.get(windowId);
    if (!session) return null;
    this.byWindow.delete(windowId);
    this.endedWhy.set(windowId, reason);
    for (const listener of this.endListeners) listener(windowId, session, reason);
    return session;
  }

  /** Why this window's last session was ended by the main process (null: it was not, or someone signed in since). */
  endedReason(windowId: number): SessionEndReason | null {
    return this.endedWhy.get(windowId) ?? null;
  }

  /** Called with each session the main process ends; returns an unsubscribe. */
  onEnd(listener: SessionEndListener): () => void {
    this.endListeners.add(listener);
    return () => {
      this.endListeners.delete(listener);
    };
  }

  /** Test hooks: moves every session's last activity forward, as if it had just been used. */
  shiftActivity(ms: number): void {
    for (const session of this.byWindow.values()) session.lastActiveAt = new Date(session.lastActiveAt.getTime() + ms);
  }

  /** Why the session must end at `now` by time alone, or null while it may go on. */
  timedOut(session: Session, now: Date): 'expired' | 'idle' | null {
    return timedOut(session, now);
  }
}

/**
 * Ends every session idle past its limit or past its lifetime at `deps.clock`'s now,
 * and records each sign-out in the audit log as the wrapper does. The lock itself never waits for the
 * store: a session is ended even when its sign-out cannot be recorded (logged).
 */
export async function lockIdleSessions(
  sessions: SessionStore,
  deps: ServiceDeps,
  log: (message: string, error: unknown) => void,
): Promise<Session[]> {
  const now = deps.clock.now();
  const ended: [Session, EndReason][] = [];
  for (const [windowId, session] of sessions.entries()) {
    const reason = sessions.timedOut(session, now);
    if (reason && sessions.end(windowId, reason)) ended.push([session, reason]);
  }
  const recorded = await Promise.allSettled(ended.map(([session, reason]) => recordSignOut(deps, actorOf(session), reason)));
  for (const result of recorded) {
    if (result.status === 'rejected') log('could not record an idle sign-out', result.reason);
  }
  return ended.map(([session]) => session);
}

export function sessionInfo(session: Session): SessionInfo {
  return {
    user: session.user,
    signedInAt: session.signedInAt.toISOString(),
    idleLockMinutes: session.idleLockMinutes,
    mustChangePassword: session.mustChangePassword ?? false,
    canReveal: session.canReveal ?? false,
  };
}

export function actorOf(session: Session): Actor {
  return { id: session.user.id, username: session.user.username, role: session.user.role };
}
