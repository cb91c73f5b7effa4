/**
 * Sign-in with lockout (DESIGN.md §1 limits: 5 failures → 15 minutes), a window's
 * session opening and ending, and the users behind them. An unknown user and a wrong
 * password get the same answer and cost the same time.
 */
import type { Knex } from 'knex';
import { textProblem } from '../../shared/text';
import { cleanDisplayName, displayNameProblem, normalizeUsername, passwordProblem, usernameProblem } from '../../shared/users';
import { AppError } from '../../shared/errors';
import { mayReveal, revealPermissionFromColumn } from '../../shared/personalData';
import { isRole, type Role } from '../../shared/roles';
import type { SessionUser } from '../../shared/types';
import { writeTransaction } from '../db/transaction';
import { toDate, toInt } from '../db/values';
import { appendAudit } from './audit';
import type { Actor, Operator, ServiceDeps } from './context';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './passwords';
import { refusable } from './refusal';
import { getLimits } from './settings';

export interface UserRow {
  id: unknown;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  failed_sign_ins: unknown;
  locked_until: unknown;
  active: unknown;
  must_change_password: unknown;
  last_sign_in_at: unknown;
  created_at: unknown;
  /** An admin's reveal choice: null = the role's default, true = granted, false = withdrawn. */
  can_reveal_pii: unknown;
}

export const SIGN_IN_FAILED_MESSAGE = 'The username or password is not right.';
export const CURRENT_PASSWORD_WRONG_MESSAGE = 'The current password is not right.';

export { normalizeUsername };

export function toSessionUser(row: Pick<UserRow, 'id' | 'username' | 'display_name' | 'role'>): SessionUser {
  if (!isRole(row.role)) throw new Error(`user ${row.username} has an unknown role`);
  return { id: toInt(row.id), username: row.username, displayName: row.display_name, role: row.role };
}

/** A boolean column as either engine answers it. */
export function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

export function isActive(row: Pick<UserRow, 'active'>): boolean {
  return flag(row.active);
}

function lockedOut(lockedUntil: Date): AppError {
  return new AppError('SIGN_IN_LOCKED', `Too many failed sign-ins. This user is locked until ${lockedUntil.toISOString()}.`, {
    lockedUntil: lockedUntil.toISOString(),
  });
}

/** A password check: what it is called in the audit log, what a wrong password is told, and what a right one does. */
interface CredentialCheck<T> {
  failedAction: 'session.signIn.failed' | 'user.passwordChange.failed';
  lockedAction: 'session.signIn.refused' | 'user.passwordChange.refused';
  failedMessage: string;
  /** Slow work for a success, run outside the write lock and only when the password is right (e.g. hashing a new one). */
  prepare?(): Promise<void>;
  /** Runs in the write transaction once the password is right (the user row as read there). */
  onSuccess(trx: Knex.Transaction, user: UserRow, now: Date, upgradedHash: string | null): Promise<T>;
}

/**
 * The one password check with lockout counting (sign-in and the change of one's own
 * password both count toward the same lock): the slow hash outside the write lock,
 * then in one write transaction the user re-read, the lock checked, and either the
 * success or the counted, audited failure.
 */
async function checkCredentials<T>(
  deps: ServiceDeps,
  credentials: { username: string; password: string },
  check: CredentialCheck<T>,
): Promise<T> {
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
  if (passwordOk) await check.prepare?.();

  return refusable(deps, async (trx, refuse) => {
    const now = clock.now();
    const failed = new AppError('SIGN_IN_FAILED', check.failedMessage);
    const subject = { actor: null, subjectType: 'user', subjectId: username } as const;
    const user: UserRow | undefined = await trx('users').where({ username }).first();
    if (!user) {
      // What was typed may be a password in the wrong field: record a keyed pseudonym.
      const unknown = { ...subject, subjectId: `unknown:${deps.vault.pseudonym(username)}` };
      throw refuse(failed, { ...unknown, action: check.failedAction, details: { reason: 'unknown user' } });
    }
    if (!isActive(user)) {
      throw refuse(failed, { ...subject, action: check.failedAction, details: { reason: 'inactive user' } });
    }
    const lockedUntil = user.locked_until == null ? null : toDate(user.locked_until);
    if (lockedUntil && lockedUntil > now) {
      throw refuse(lockedOut(lockedUntil), {
        ...subject,
        action: check.lockedAction,
        details: { reason: 'locked', lockedUntil: lockedUntil.toISOString() },
      });
    }
    if (passwordOk && user.password_hash === candidate?.password_hash) {
      return check.onSuccess(trx, user, now, upgradedHash);
    }
    // A wrong password counts toward the lock; a lock that has run out starts the count again.
    const failures = (lockedUntil ? 0 : toInt(user.failed_sign_ins)) + 1;
    const newLock = failures >= limits.signInMaxFailures ? new Date(now.getTime() + limits.signInLockMinutes * 60_000) : null;
    throw refuse(
      newLock ? lockedOut(newLock) : failed,
      { ...subject, action: check.failedAction, details: { reason: 'wrong password', failures } },
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

/** A successful sign-in: who, and whether they must replace a temporary password first. */
export interface Authenticated {
  user: SessionUser;
  mustChangePassword: boolean;
}

export async function authenticate(deps: ServiceDeps, credentials: { username: string; password: string }): Promise<Authenticated> {
  const username = normalizeUsername(credentials.username);
  return checkCredentials(deps, credentials, {
    failedAction: 'session.signIn.failed',
    lockedAction: 'session.signIn.refused',
    failedMessage: SIGN_IN_FAILED_MESSAGE,
    onSuccess: async (trx, user, now, upgradedHash) => {
      await trx('users')
        .where({ id: user.id })
        .update({
          failed_sign_ins: 0,
          locked_until: null,
          last_sign_in_at: now,
          ...(upgradedHash ? { password_hash: upgradedHash } : {}),
        });
      await appendAudit(trx, deps.clock, { actor: username, action: 'session.signIn', subjectType: 'user', subjectId: username });
      return { user: toSessionUser(user), mustChangePassword: flag(user.must_change_password) };
    },
  });
}

export async function signIn(deps: ServiceDeps, credentials: { username: string; password: string }): Promise<SessionUser> {
  return (await authenticate(deps, credentials)).user;
}

/**
 * `session:changePassword`: the signed-in user replaces their password, proving the
 * current one with the same lockout counting as a sign-in. Clears a reset's
 * must-change mark. Neither password reaches the audit log.
 */
export async function changePassword(
  deps: ServiceDeps,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<{ changed: true }> {
  const problem = passwordProblem(input.newPassword) ?? (textProblem(input.newPassword) ? TEXT_MESSAGE : null);
  if (problem) throw new AppError('VALIDATION_FAILED', problem);
  if (input.newPassword === input.currentPassword) {
    throw new AppError('VALIDATION_FAILED', 'Choose a new password that differs from the current one.');
  }
  let newHash = '';
  return checkCredentials(
    deps,
    { username: actor.username, password: input.currentPassword },
    {
      failedAction: 'user.passwordChange.failed',
      lockedAction: 'user.passwordChange.refused',
      failedMessage: CURRENT_PASSWORD_WRONG_MESSAGE,
      prepare: async () => {
        newHash = await hashPassword(input.newPassword);
      },
      onSuccess: async (trx, user) => {
        const wasTemporary = flag(user.must_change_password);
        await trx('users')
          .where({ id: user.id })
          .update({ password_hash: newHash, must_change_password: false, failed_sign_ins: 0, locked_until: null });
        await appendAudit(trx, deps.clock, {
          actor: actor.username,
          action: 'user.passwordChanged',
          subjectType: 'user',
          subjectId: actor.username,
          details: { replacedTemporary: wasTemporary },
        });
        return { changed: true as const };
      },
    },
  );
}

/** What a window keeps of a sign-in (the IPC layer's session store holds it). */
export interface OpenedSession {
  user: SessionUser;
  signedInAt: Date;
  /** Minutes without activity after which the session locks (a setting, read at sign-in). */
  idleLockMinutes: number;
  /** Hours after sign-in at which the session ends however active (a setting, read at sign-in). */
  maxHours: number;
  /** Signed in with a temporary password (the wrapper re-reads it on every call). */
  mustChangePassword: boolean;
  /** May reveal personal data (the wrapper re-reads it on every call; the reveal service decides each reveal). */
  canReveal: boolean;
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
  const { user, mustChangePassword } = await authenticate(deps, credentials);
  if (actor && actor.id !== user.id) await recordSignOut(deps, actor, 'signOut');
  return sessionFor(deps, user, mustChangePassword);
}

/** The session a window opens for a user who has just proved who they are. */
export async function sessionFor(deps: ServiceDeps, user: SessionUser, mustChangePassword: boolean): Promise<OpenedSession> {
  const [limits, standing] = await Promise.all([getLimits(deps.db), currentStanding(deps, user.id)]);
  return {
    user,
    signedInAt: deps.clock.now(),
    idleLockMinutes: limits.idleLockMinutes,
    maxHours: limits.sessionMaxHours,
    mustChangePassword,
    canReveal: standing?.canReveal ?? false,
  };
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

/** What the store says of a signed-in user now: the role, and whether a temporary password must be replaced first. */
export interface Standing {
  role: Role;
  mustChangePassword: boolean;
  /** Whether the user may reveal personal data now (role and an admin's choice together). */
  canReveal: boolean;
}

/**
 * The signed-in user as stored now, or null when the user is gone or deactivated. One
 * primary-key read, run by the wrapper on every call, so a role change, a deactivation
 * or a password reset takes effect on the user's next call.
 */
export async function currentStanding(deps: ServiceDeps, userId: number): Promise<Standing | null> {
  const row: Pick<UserRow, 'role' | 'active' | 'must_change_password' | 'can_reveal_pii'> | undefined = await deps
    .db('users')
    .where({ id: userId })
    .first('role', 'active', 'must_change_password', 'can_reveal_pii');
  if (!row || !isActive(row) || !isRole(row.role)) return null;
  return {
    role: row.role,
    mustChangePassword: flag(row.must_change_password),
    canReveal: mayReveal(row.role, revealPermissionFromColumn(row.can_reveal_pii)),
  };
}

/** The signed-in user's current role, or null when the user is gone or deactivated. */
export async function currentRole(deps: ServiceDeps, userId: number): Promise<Role | null> {
  return (await currentStanding(deps, userId))?.role ?? null;
}

export interface NewUser {
  username: string;
  displayName?: string;
  role: Role;
  password: string;
}

const TEXT_MESSAGE = 'The password and the display name must be well-formed text without NUL characters.';

export function validateNewUser(input: NewUser): string | null {
  const bad = usernameProblem(input.username);
  if (bad) return bad;
  if (!isRole(input.role)) return 'The role must be agent, supervisor or admin.';
  // Users are also made outside the IPC edge (the CLI): the same text rule as the contract's.
  if (textProblem(input.password) || (input.displayName !== undefined && textProblem(input.displayName))) return TEXT_MESSAGE;
  if (input.displayName !== undefined) {
    const nameProblem = displayNameProblem(input.displayName);
    if (nameProblem) return nameProblem;
  }
  return passwordProblem(input.password);
}

export interface InsertedUser extends SessionUser {
  createdAt: Date;
}

/**
 * Inserts a checked new user inside the caller's write transaction and records
 * `user.created` (never the password). Answers null when the name is taken.
 */
export async function insertUser(
  trx: Knex.Transaction,
  deps: ServiceDeps,
  actorName: string,
  input: NewUser & { passwordHash: string; mustChangePassword?: boolean },
  details: Record<string, unknown> = {},
): Promise<InsertedUser | null> {
  const username = normalizeUsername(input.username);
  const existing = await trx('users').where({ username }).first('id');
  if (existing) return null;
  const displayName = input.displayName !== undefined ? cleanDisplayName(input.displayName) || username : username;
  const createdAt = deps.clock.now();
  const [inserted] = await trx('users')
    .insert({
      username,
      display_name: displayName,
      role: input.role,
      password_hash: input.passwordHash,
      failed_sign_ins: 0,
      active: true,
      must_change_password: input.mustChangePassword ?? false,
      created_at: createdAt,
    })
    .returning('id');
  const id = toInt(typeof inserted === 'object' ? (inserted as { id: unknown }).id : inserted);
  await appendAudit(trx, deps.clock, {
    actor: actorName,
    action: 'user.created',
    subjectType: 'user',
    subjectId: username,
    details: { role: input.role, displayName, ...(input.mustChangePassword ? { mustChangePassword: true } : {}), ...details },
  });
  return { id, username, displayName, role: input.role, createdAt };
}

export function userExists(username: string): AppError {
  return new AppError('VALIDATION_FAILED', `A user named ${normalizeUsername(username)} already exists.`);
}

export async function createUser(deps: ServiceDeps, actor: Operator, input: NewUser): Promise<SessionUser> {
  const problem = validateNewUser(input);
  if (problem) throw new AppError('VALIDATION_FAILED', problem);
  const passwordHash = await hashPassword(input.password);
  return writeTransaction(deps.db, async (trx) => {
    const user = await insertUser(trx, deps, actor.username, { ...input, passwordHash });
    if (!user) throw userExists(input.username);
    return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
  });
}
