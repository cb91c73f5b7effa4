/**
 * The team server's sessions: one row per sign-in in the `sessions` table, found by the
 * SHA-256 digest of the bearer token the client holds (the token itself is never
 * stored or logged). Every server process on the database reads the same rows, so a
 * sign-out, an idle lock, an expiry or a deactivation recorded through one process is
 * in force on all of them at their next call. The checks themselves are the wrapper's
 * (electron/ipc/wrapper.ts), the same as for a console window.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isRole } from '../../shared/roles';
import { toDate, toInt } from '../db/values';
import { actorOf, sessionInfo, timedOut, type CallerKey, type EndReason, type Opened, type RefusalReason, type Session, type SessionLookup } from '../ipc/sessions';
import { recordSignOut, type OpenedSession } from '../services/auth';
import type { ServiceDeps } from '../services/context';

/** 32 random bytes, base64url without padding: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** A key that could be a token at all (anything else is refused without a query). */
function wellFormed(key: CallerKey): key is string {
  return typeof key === 'string' && TOKEN_PATTERN.test(key);
}

interface SessionRow {
  created_at: unknown;
  last_active_at: unknown;
  expires_at: unknown;
  idle_lock_minutes: unknown;
  user_id: unknown;
  username: string;
  display_name: string;
  role: string;
}

export class DatabaseSessions implements SessionLookup {
  /** `deps()` answers the open store (the server opens it before it listens). */
  constructor(private readonly deps: () => ServiceDeps) {}

  private get db() {
    return this.deps().db;
  }

  private now(): Date {
    return this.deps().clock.now();
  }

  /** The live row (not ended) with its user as stored now, or null. */
  async get(key: CallerKey): Promise<Session | null> {
    if (!wellFormed(key)) return null;
    const row: SessionRow | undefined = await this.live().where('s.token_hash', tokenHash(key)).first(...SESSION_COLUMNS);
    return row ? toSession(row) : null;
  }

  /**
   * Ends every live session past its idle lock or its lifetime at the clock's now, and
   * records each end as the wrapper would: the server's counterpart of the console's
   * `lockIdleSessions`, run on the event interval, so a session nobody uses any more
   * is ended on record too. Each end is conditional, so processes sweeping at once
   * record it once.
   */
  async sweep(log: (message: string, error: unknown) => void): Promise<number> {
    const now = this.now();
    // Cheap bound first (no session locks before a minute idle), the exact rule in code.
    const rows: (SessionRow & { id: unknown })[] = await this.live()
      .where((q) => q.where('s.expires_at', '<=', now).orWhere('s.last_active_at', '<', new Date(now.getTime() - 60_000)))
      .select('s.id', ...SESSION_COLUMNS);
    let ended = 0;
    for (const row of rows) {
      const session = toSession(row);
      const reason = session && timedOut(session, now);
      if (!session || !reason) continue;
      const changed = await this.db('sessions').where({ id: row.id }).whereNull('ended_at').update({ ended_at: now, end_reason: reason });
      if (toInt(changed) === 0) continue;
      ended++;
      await recordSignOut(this.deps(), actorOf(session), reason).catch((error: unknown) => log('could not record an idle sign-out', error));
    }
    return ended;
  }

  private live() {
    return this.db('sessions as s').join('users as u', 'u.id', 's.user_id').whereNull('s.ended_at');
  }

  /** A new row and a new token; a live session the caller presented is ended (signed out) first. */
  async open(key: CallerKey, opened: OpenedSession): Promise<Opened> {
    if (wellFormed(key)) await this.finish(key, 'signedOut');
    const token = newToken();
    const session: Session = { ...opened, lastActiveAt: opened.signedInAt };
    await this.db('sessions').insert({
      token_hash: tokenHash(token),
      user_id: opened.user.id,
      created_at: opened.signedInAt,
      last_active_at: opened.signedInAt,
      expires_at: new Date(opened.signedInAt.getTime() + opened.maxHours * 3_600_000),
      idle_lock_minutes: opened.idleLockMinutes,
    });
    return { info: sessionInfo(session), credential: token };
  }

  async touch(key: CallerKey, _session: Session, now: Date): Promise<void> {
    if (!wellFormed(key)) return;
    await this.db('sessions').where({ token_hash: tokenHash(key) }).whereNull('ended_at').update({ last_active_at: now });
  }

  /** Test hooks: every live session's last activity moves forward, as if it had just been used. */
  async shiftActivity(ms: number): Promise<void> {
    const rows: { id: unknown; last_active_at: unknown }[] = await this.db('sessions').whereNull('ended_at').select('id', 'last_active_at');
    for (const row of rows) {
      const last = toDate(row.last_active_at);
      await this.db('sessions').where({ id: row.id }).update({ last_active_at: new Date(last.getTime() + ms) });
    }
  }

  /** Conditional on the row being live, so of several processes ending it at once only one gets true. */
  async end(key: CallerKey, reason: EndReason): Promise<boolean> {
    return this.finish(key, reason);
  }

  async delete(key: CallerKey): Promise<boolean> {
    return this.finish(key, 'signedOut');
  }

  async endedReason(key: CallerKey): Promise<RefusalReason | null> {
    if (key === '') return null;
    if (!wellFormed(key)) return 'invalid';
    const row: { end_reason: string | null } | undefined = await this.db('sessions')
      .where({ token_hash: tokenHash(key) })
      .first('end_reason');
    if (!row) return 'invalid';
    return isEndReason(row.end_reason) ? row.end_reason : null;
  }

  private async finish(key: CallerKey, reason: EndReason | 'signedOut'): Promise<boolean> {
    if (!wellFormed(key)) return false;
    const changed = await this.db('sessions')
      .where({ token_hash: tokenHash(key) })
      .whereNull('ended_at')
      .update({ ended_at: this.now(), end_reason: reason });
    return toInt(changed) > 0;
  }
}

const SESSION_COLUMNS = ['s.created_at', 's.last_active_at', 's.expires_at', 's.idle_lock_minutes', 's.user_id', 'u.username', 'u.display_name', 'u.role'] as const;

function toSession(row: SessionRow): Session | null {
  if (!isRole(row.role)) return null;
  const signedInAt = toDate(row.created_at);
  return {
    user: { id: toInt(row.user_id), username: row.username, displayName: row.display_name, role: row.role },
    signedInAt,
    lastActiveAt: toDate(row.last_active_at),
    idleLockMinutes: toInt(row.idle_lock_minutes),
    maxHours: (toDate(row.expires_at).getTime() - signedInAt.getTime()) / 3_600_000,
  };
}

function isEndReason(value: unknown): value is RefusalReason {
  return value === 'idle' || value === 'expired' || value === 'signedOut' || value === 'deactivated';
}
