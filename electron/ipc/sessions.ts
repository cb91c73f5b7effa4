/**
 * Sessions live in the main process, one per window (keyed by the sender's
 * webContents id). The renderer never holds a credential; it only learns who is
 * signed in.
 *
 * The idle lock and the absolute lifetime are enforced here twice over: the wrapper
 * ends an idle or expired session when its window calls, and `lockIdleSessions` (run
 * by the main process on a timer and after every call) ends the ones nobody calls
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
}

/** Why the main process ended a session (a user's own sign-out is not among them). */
export type EndReason = Exclude<SessionEndReason, 'signedOut'>;

export const IDLE_SIGN_OUT_MESSAGE = 'You were signed out after a period without activity. Sign in again.';
export const EXPIRED_SIGN_OUT_MESSAGE = 'You were signed out because your session reached its maximum length. Sign in again.';
export const DEACTIVATED_SIGN_OUT_MESSAGE =
  'You were signed out because an administrator deactivated your user. Ask an administrator if this is a mistake.';

export const END_MESSAGES: Record<EndReason, string> = {
  idle: IDLE_SIGN_OUT_MESSAGE,
  expired: EXPIRED_SIGN_OUT_MESSAGE,
  deactivated: DEACTIVATED_SIGN_OUT_MESSAGE,
};

export type SessionEndListener = (windowId: number, session: Session, reason: EndReason) => void;

export class SessionStore {
  private readonly byWindow = new Map<number, Session>();
  /** Windows whose last session the main process ended, and why (cleared by a sign-in or a sign-out there). */
  private readonly endedWhy = new Map<number, EndReason>();
  private readonly endListeners = new Set<SessionEndListener>();

  get(windowId: number): Session | null {
    return this.byWindow.get(windowId) ?? null;
  }

  set(windowId: number, session: Session): void {
    this.endedWhy.delete(windowId);
    this.byWindow.set(windowId, session);
  }

  /** A sign-in becomes the window's session (replacing any); answers what the renderer may know of it. */
  open(windowId: number, opened: OpenedSession): SessionInfo {
    const session: Session = { ...opened, lastActiveAt: opened.signedInAt };
    this.set(windowId, session);
    return sessionInfo(session);
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
  end(windowId: number, reason: EndReason): Session | null {
    const session = this.get(windowId);
    if (!session) return null;
    this.byWindow.delete(windowId);
    this.endedWhy.set(windowId, reason);
    for (const listener of this.endListeners) listener(windowId, session, reason);
    return session;
  }

  /** Why this window's last session was ended by the main process (null: it was not, or someone signed in since). */
  endedReason(windowId: number): EndReason | null {
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

  isIdle(session: Session, now: Date): boolean {
    return now.getTime() - session.lastActiveAt.getTime() > session.idleLockMinutes * 60_000;
  }

  /** Past its absolute lifetime: activity does not extend it. */
  isExpired(session: Session, now: Date): boolean {
    return now.getTime() - session.signedInAt.getTime() >= session.maxHours * 3_600_000;
  }

  /** Why the session must end at `now` by time alone, or null while it may go on. */
  timedOut(session: Session, now: Date): 'expired' | 'idle' | null {
    if (this.isExpired(session, now)) return 'expired';
    if (this.isIdle(session, now)) return 'idle';
    return null;
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
  };
}

export function actorOf(session: Session): Actor {
  return { id: session.user.id, username: session.user.username, role: session.user.role };
}
