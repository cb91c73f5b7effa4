/**
 * Sessions live in the main process, one per window (keyed by the sender's
 * webContents id). The renderer never holds a credential; it only learns who is
 * signed in.
 *
 * The idle lock is enforced here twice over: the wrapper ends an idle session when its
 * window calls, and `lockIdleSessions` (run by the main process on a timer and after
 * every call) ends the ones nobody calls from. Either way the window is told through
 * the `onIdleEnd` listeners (the main process pushes `session:ended`), and its next
 * call is refused with the reason until someone signs in there again.
 */
import type { SessionInfo, SessionUser } from '../../shared/types';
import { recordSignOut, type OpenedSession } from '../services/auth';
import type { Actor, ServiceDeps } from '../services/context';

export interface Session {
  user: SessionUser;
  signedInAt: Date;
  lastActiveAt: Date;
  idleLockMinutes: number;
}

export const IDLE_SIGN_OUT_MESSAGE = 'You were signed out after a period without activity. Sign in again.';

export type IdleEndListener = (windowId: number, session: Session) => void;

export class SessionStore {
  private readonly byWindow = new Map<number, Session>();
  /** Windows whose last session the idle lock ended (cleared by a sign-in or a sign-out there). */
  private readonly endedByIdle = new Set<number>();
  private readonly idleListeners = new Set<IdleEndListener>();

  get(windowId: number): Session | null {
    return this.byWindow.get(windowId) ?? null;
  }

  set(windowId: number, session: Session): void {
    this.endedByIdle.delete(windowId);
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
    this.endedByIdle.delete(windowId);
    return session;
  }

  /** Every signed-in window and its session. */
  entries(): [windowId: number, session: Session][] {
    return [...this.byWindow.entries()];
  }

  /**
   * Ends a window's session because it was idle: removes it (synchronously, so two
   * callers cannot both end it), remembers why for the window's next call, and tells
   * the listeners. Recording the sign-out is the caller's (it needs the store).
   */
  endIdle(windowId: number): Session | null {
    const session = this.get(windowId);
    if (!session) return null;
    this.byWindow.delete(windowId);
    this.endedByIdle.add(windowId);
    for (const listener of this.idleListeners) listener(windowId, session);
    return session;
  }

  /** Whether this window's last session was ended by the idle lock (and nobody signed in there since). */
  endedIdle(windowId: number): boolean {
    return this.endedByIdle.has(windowId);
  }

  /** Called with each session the idle lock ends; returns an unsubscribe. */
  onIdleEnd(listener: IdleEndListener): () => void {
    this.idleListeners.add(listener);
    return () => {
      this.idleListeners.delete(listener);
    };
  }

  /** Test hooks: moves every session's last activity forward, as if it had just been used. */
  shiftActivity(ms: number): void {
    for (const session of this.byWindow.values()) session.lastActiveAt = new Date(session.lastActiveAt.getTime() + ms);
  }

  isIdle(session: Session, now: Date): boolean {
    return now.getTime() - session.lastActiveAt.getTime() > session.idleLockMinutes * 60_000;
  }
}

/**
 * Ends every session idle past its limit at `deps.clock`'s now, and records each
 * sign-out in the audit log as the wrapper does. The lock itself never waits for the
 * store: a session is ended even when its sign-out cannot be recorded (logged).
 */
export async function lockIdleSessions(
  sessions: SessionStore,
  deps: ServiceDeps,
  log: (message: string, error: unknown) => void,
): Promise<Session[]> {
  const now = deps.clock.now();
  const ended: Session[] = [];
  for (const [windowId, session] of sessions.entries()) {
    if (sessions.isIdle(session, now) && sessions.endIdle(windowId)) ended.push(session);
  }
  const recorded = await Promise.allSettled(ended.map((session) => recordSignOut(deps, actorOf(session), 'idle')));
  for (const result of recorded) {
    if (result.status === 'rejected') log('could not record an idle sign-out', result.reason);
  }
  return ended;
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
