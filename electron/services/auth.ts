/**
 * Sign-in with lockout (DESIGN.md §1 limits: 5 failures → 15 minutes), a window's
 * session opening and ending, and the users behind them. An unknown user and a wrong
 * password get the same answer and cost the same time.
 */
import { textProblem } from '../../shared/text';
import { AppError } from '../../shared/errors';
import { isRole, type Role } from '../../shared/roles';
import type { SessionUser } from '../../shared/types';
import { writeTransaction } from '../db/transaction';
import { toDate, toInt } from '../db/values';
import { appendAudit } from './audit';
import type { Actor, Operator, ServiceDeps } from './context';
import { decoyHash, hashPassword, MIN_PASSWORD_LENGTH, needsRehash, verifyPassword } from './passwords';
import { refusable } from './refusal';
import { getLimits } from './settings';

interface UserRow {
  id: unknown;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  failed_sign_ins: unknown;
  locked_until: unknown;
  active: unknown;
}

export const SIGN_IN_FAILED_MESSAGE = 'The username or password is not right.';

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

function toSessionUser(row: UserRow): SessionUser {
  if (!isRole(row.role)) throw new Error(`user ${row.username} has an unknown role`);
  return { id: toInt(row.id), username: row.username, displayName: row.display_name, role: row.role };
}

function isActive(row: UserRow): boolean {
  return row.active === true || row.active === 1 || row.active === '1';
}

function lockedOut(lockedUntil: Date): AppError {
  return new AppError('SIGN_IN_LOCKED', `Too many failed sign-ins. This user is locked until ${lockedUntil.toISOString()}.`, {
    lockedUntil: lockedUntil.toISOString(),
  });
}

export async function signIn(deps: ServiceDeps, credentials: { username: string; password: string }): Promise<SessionUser> {
  const { db, clock } = deps;
  const username = normalizeUsername(credentials.username);
  const limits = await getLimits(db);
  // The slow hash runs before the write lock is taken.
  const candidate: UserRow | undefined = await db('users').where({ username }).first();
  const passwordOk =
    candidate && isActive(candidate)
      ? await verifyPassword(credentials.password, candidate.password_hash)
      : (await verifyPassword(credentials.password, await decoyHash()), false);
  // A hash made with older parameters is replaced now that the password is known (hashed outside the lock too).
  const upgradedHash = passwordOk && needsRehash(candidate!.password_hash) ? await hashPassword(credentials.password) : null;

  return refusable(deps, async (trx, refuse) => {
    const now = clock.now();
    const failed = new AppError('SIGN_IN_FAILED', SIGN_IN_FAILED_MESSAGE);
    const subject = { actor: null, subjectType: 'user', subjectId: username } as const;
    const user: UserRow | undefined = await trx('users').where({ username }).first();
    if (!user) {
      // What was typed may be a password in the wrong field: record a keyed pseudonym.
      const unknown = { ...subject, subjectId: `unknown:${deps.vault.pseudonym(username)}` };
      throw refuse(failed, { ...unknown, action: 'session.signIn.failed', details: { reason: 'unknown user' } });
    }
    if (!isActive(user)) {
      throw refuse(failed, { ...subject, action: 'session.signIn.failed', details: { reason: 'inactive user' } });
    }
    const lockedUntil = user.locked_until == null ? null : toDate(user.locked_until);
    if (lockedUntil && lockedUntil > now) {
      throw refuse(lockedOut(lockedUntil), {
        ...subject,
        action: 'session.signIn.refused',
        details: { reason: 'locked', lockedUntil: lockedUntil.toISOString() },
      });
    }
    if (passwordOk && user.password_hash === candidate?.password_hash) {
      await trx('users')
        .where({ id: user.id })
        .update({
          failed_sign_ins: 0,
          locked_until: null,
          last_sign_in_at: now,
          ...(upgradedHash ? { password_hash: upgradedHash } : {}),
        });
      await appendAudit(trx, clock, { actor: username, action: 'session.signIn', subjectType: 'user', subjectId: username });
      return toSessionUser(user);
    }
    // A wrong password counts toward the lock; a lock that has run out starts the count again.
    const failures = (lockedUntil ? 0 : toInt(user.failed_sign_ins)) + 1;
    const newLock = failures >= limits.signInMaxFailures ? new Date(now.getTime() + limits.signInLockMinutes * 60_000) : null;
    throw refuse(
      newLock ? lockedOut(newLock) : failed,
      { ...subject, action: 'session.signIn.failed', details: { reason: 'wrong password', failures } },
      async (outer) => {
        await outer('users')
          .where({ id: user.id })
          .update({ failed_sign_ins: newLock ? 0 : failures, locked_until: newLock });
        if (newLock) {
          await appendAudit(outer, clock, {
            ...subject,
            action: 'user.locked',
            details: { failures, lockedUntil: newLock.toISOString() },
          });
        }
      },
    );
  });
}

/** What a window keeps of a sign-in (the IPC layer's session store holds it). */
export interface OpenedSession {
  user: SessionUser;
  signedInAt: Date;
  /** Minutes without activity after which the session locks (a setting, read at sign-in). */
  idleLockMinutes: number;
  /** Hours after sign-in at which the session ends however active (a setting, read at sign-in). */
  maxHours: number;
}

/**
 * `session:signIn` in a window where `actor` (or nobody) is signed in. When someone
 * else signs in over a session, that session's end is recorded first. A failed sign-in
 * throws before anything changes, so the window keeps the session it had.
 */
export async function openSession(
  deps: ServiceDeps,
  actor: Actor | null,
  credentials: { username: string; password: string },
): Promise<OpenedSession> {
  const user = await signIn(deps, credentials);
  if (actor && actor.id !== user.id) await recordSignOut(deps, actor, 'signOut');
  const limits = await getLimits(deps.db);
  return { user, signedInAt: deps.clock.now(), idleLockMinutes: limits.idleLockMinutes, maxHours: limits.sessionMaxHours };
}

/** `session:signOut`: the window has dropped its session; this puts the end on record. */
export async function signOut(deps: ServiceDeps, actor: Actor): Promise<{ signedOut: true }> {
  await recordSignOut(deps, actor, 'signOut');
  return { signedOut: true };
}

const SIGN_OUT_DETAILS = {
  signOut: {},
  idle: {},
  windowClosed: { reason: 'window closed' },
  expired: { reason: 'session lifetime reached' },
  deactivated: { reason: 'user deactivated' },
} as const;

export async function recordSignOut(
  deps: ServiceDeps,
  actor: Actor,
  reason: keyof typeof SIGN_OUT_DETAILS,
): Promise<void> {
  await writeTransaction(deps.db, (trx) =>
    appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: reason === 'idle' ? 'session.idleLock' : 'session.signOut',
      subjectType: 'user',
      subjectId: actor.username,
      details: SIGN_OUT_DETAILS[reason],
    }),
  );
}

/**
 * What the store says of a signed-in user now: their current role, or null when the
 * user is gone or deactivated. One primary-key read, run by the wrapper on every call,
 * so a role change or a deactivation takes effect on the user's next call.
 */
export async function currentRole(deps: ServiceDeps, userId: number): Promise<Role | null> {
  const row: Pick<UserRow, 'role' | 'active'> | undefined = await deps.db('users').where({ id: userId }).first('role', 'active');
  if (!row || !isActive(row as UserRow) || !isRole(row.role)) return null;
  return row.role;
}

export interface NewUser {
  username: string;
  displayName?: string;
  role: Role;
  password: string;
}

export function validateNewUser(input: NewUser): string | null {
  const username = normalizeUsername(input.username);
  if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(username)) {
    return 'A username is 2–64 characters: letters, digits, dot, dash or underscore, starting with a letter or digit.';
  }
  if (!isRole(input.role)) return 'The role must be agent, supervisor or admin.';
  // Users are also made outside the IPC edge (the CLI): the same text rule as the contract's.
  if (textProblem(input.password) || (input.displayName !== undefined && textProblem(input.displayName))) {
    return 'The password and the display name must be well-formed text without NUL characters.';
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    return `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  return null;
}

export async function createUser(
  deps: ServiceDeps,
  actor: Operator,
  input: NewUser,
): Promise<SessionUser> {
  const problem = validateNewUser(input);
  if (problem) throw new AppError('VALIDATION_FAILED', problem);
  const username = normalizeUsername(input.username);
  const passwordHash = await hashPassword(input.password);
  return writeTransaction(deps.db, async (trx) => {
    const existing = await trx('users').where({ username }).first('id');
    if (existing) throw new AppError('VALIDATION_FAILED', `A user named ${username} already exists.`);
    const [inserted] = await trx('users')
      .insert({
        username,
        display_name: input.displayName?.normalize('NFC').trim() || username,
        role: input.role,
        password_hash: passwordHash,
        failed_sign_ins: 0,
        active: true,
        created_at: deps.clock.now(),
      })
      .returning('id');
    const id = toInt(typeof inserted === 'object' ? (inserted as { id: unknown }).id : inserted);
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'user.created',
      subjectType: 'user',
      subjectId: username,
      details: { role: input.role },
    });
    return { id, username, displayName: input.displayName?.trim() || username, role: input.role };
  });
}
