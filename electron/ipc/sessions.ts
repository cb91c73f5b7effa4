/**
 * Sessions live in the main process, one per window (keyed by the sender's
 * webContents id). The renderer never holds a credential; it only learns who is
 * signed in.
 */
import type { SessionInfo, SessionUser } from '../../shared/types';
import type { OpenedSession } from '../services/auth';
import type { Actor } from '../services/context';

export interface Session {
  user: SessionUser;
  signedInAt: Date;
  lastActiveAt: Date;
  idleLockMinutes: number;
}

export class SessionStore {
  private readonly byWindow = new Map<number, Session>();

  get(windowId: number): Session | null {
    return this.byWindow.get(windowId) ?? null;
  }

  set(windowId: number, session: Session): void {
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
    return session;
  }

  /** Test hooks: moves every session's last activity forward, as if it had just been used. */
  shiftActivity(ms: number): void {
    for (const session of this.byWindow.values()) session.lastActiveAt = new Date(session.lastActiveAt.getTime() + ms);
  }

  isIdle(session: Session, now: Date): boolean {
    return now.getTime() - session.lastActiveAt.getTime() > session.idleLockMinutes * 60_000;
  }
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
