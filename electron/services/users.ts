/**
 * Users as admins manage them (issue 13): the first admin on an empty store, the
 * list, creating, changing role / name / active, unlocking a sign-in lock and
 * resetting a password to a one-time temporary one.
 *
 * Every check that depends on other rows (the store has no users yet, the last active
 * admin, a name already taken) runs inside the one write transaction that makes the
 * change, after the audit head lock (electron/db/transaction.ts) has serialised every
 * writer — across windows, consoles and server processes on both engines. Every
 * change is audited with its old and new values; every refusal is audited; no
 * password, temporary or not, reaches the audit log, a message or a log line.
 */
import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../../shared/errors';
import { mayReveal, revealPermissionFromColumn, revealPermissionToColumn, type RevealPermission } from '../../shared/personalData';
import type { Role } from '../../shared/roles';
import type { PasswordReset, UserView } from '../../shared/types';
import { cleanDisplayName, displayNameProblem, normalizeUsername, usernameProblem } from '../../shared/users';
import { toDate, toInt } from '../db/values';
import { appendAudit } from './audit';
import { flag, insertUser, isActive, type NewUser, toSessionUser, userExists, type UserRow, validateNewUser } from './auth';
import type { Operator, ServiceDeps } from './context';
import { hashPassword } from './passwords';
import { refusable } from './refusal';
import type { SessionUser } from '../../shared/types';

const USER_COLUMNS = [
  'id',
  'username',
  'display_name',
  'role',
  'active',
  'locked_until',
  'last_sign_in_at',
  'must_change_password',
  'created_at',
  'can_reveal_pii',
] as const;

type ListedRow = Pick<UserRow, (typeof USER_COLUMNS)[number]>;

function iso(value: unknown): string | null {
  return value == null ? null : toDate(value).toISOString();
}

function toView(row: ListedRow, now: Date): UserView {
  const user = toSessionUser(row);
  const lockedUntil = row.locked_until == null ? null : toDate(row.locked_until);
  const locked = lockedUntil !== null && lockedUntil > now;
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    active: isActive(row),
    locked,
    lockedUntil: locked ? lockedUntil.toISOString() : null,
    lastSignInAt: iso(row.last_sign_in_at),
    mustChangePassword: flag(row.must_change_password),
    createdAt: iso(row.created_at)!,
    revealPermission: revealPermissionFromColumn(row.can_reveal_pii),
    canReveal: mayReveal(user.role, revealPermissionFromColumn(row.can_reveal_pii)),
  };
}

function notFound(username: string): AppError {
  // Only a name that could be a user's is repeated.
  return new AppError('USER_NOT_FOUND', usernameProblem(username) ? 'There is no such user.' : `There is no user named ${username}.`);
}

async function countUsers(db: Knex | Knex.Transaction): Promise<number> {
  return toInt((await db('users').count({ n: '*' }).first())?.n ?? 0);
}

// ---------- first run ----------

/** `setup:status`: whether the store has no user yet (the console then shows the first-run screen). */
export async function setupStatus(deps: ServiceDeps): Promise<{ needed: boolean }> {
  return { needed: (await countUsers(deps.db)) === 0 };
}

export const SETUP_DONE_MESSAGE =
  'Giftdesk already has users, so the first administrator cannot be created again. Sign in, or ask an administrator for a user.';

/**
 * `setup:createAdmin`: the first admin of an empty store. The emptiness check and the
 * insert are one write transaction under the audit head lock, so of any number of
 * consoles or processes asking at once exactly one succeeds; the others are refused
 * (FORBIDDEN) and the refusal is on record.
 */
export async function createFirstAdmin(
  deps: ServiceDeps,
  input: { username: string; displayName: string; password: string },
): Promise<SessionUser> {
  const newUser: NewUser = { username: input.username, displayName: input.displayName, role: 'admin', password: input.password };
  const problem = validateNewUser(newUser);
  if (problem) throw new AppError('VALIDATION_FAILED', problem);
  // A cheap look first, so a set-up store does not spend a slow hash on each ask.
  if ((await countUsers(deps.db)) > 0) return refusable(deps, (_trx, refuse) => Promise.reject(refuse(new AppError('FORBIDDEN', SETUP_DONE_MESSAGE), SETUP_REFUSAL)));
  const passwordHash = await hashPassword(input.password);
  const username = normalizeUsername(input.username);
  return refusable(deps, async (trx, refuse) => {
    if ((await countUsers(trx)) > 0) {
      throw refuse(new AppError('FORBIDDEN', SETUP_DONE_MESSAGE), SETUP_REFUSAL);
    }
    const user = await insertUser(trx, deps, username, { ...newUser, passwordHash }, { firstRun: true });
    if (!user) throw new Error('a user appeared inside the first-run transaction');
    // The window that created the admin is signed in as them: on record like any sign-in.
    await trx('users').where({ id: user.id }).update({ last_sign_in_at: deps.clock.now() });
    await appendAudit(trx, deps.clock, { actor: username, action: 'session.signIn', subjectType: 'user', subjectId: username });
    return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
  });
}

/** The name asked for is nobody's here: it is not recorded. */
const SETUP_REFUSAL = { actor: null, action: 'setup.createAdmin.refused', subjectType: 'setup', details: { reason: 'store has users' } } as const;

// ---------- admin work ----------

/** `users:list`: every user, admins first, then by username. */
export async function listUsers(deps: ServiceDeps, _actor: Operator): Promise<UserView[]> {
  const rows: ListedRow[] = await deps.db('users').orderBy('username').select(...USER_COLUMNS);
  const now = deps.clock.now();
  return rows.map((row) => toView(row, now));
}

/**
 * `users:create`: an admin adds a user with a password the admin chose, so the user
 * must replace it at their first sign-in.
 */
export async function createUserByAdmin(
  deps: ServiceDeps,
  actor: Operator,
  input: { username: string; displayName: string; role: Role; password: string },
  options: { mustChangePassword?: boolean } = {},
): Promise<UserView> {
  const problem = validateNewUser(input);
  if (problem) throw new AppError('VALIDATION_FAILED', problem);
  const passwordHash = await hashPassword(input.password);
  const username = normalizeUsername(input.username);
  return refusable(deps, async (trx, refuse) => {
    const user = await insertUser(trx, deps, actor.username, {
      ...input,
      passwordHash,
      mustChangePassword: options.mustChangePassword ?? true,
    });
    if (!user) {
      throw refuse(userExists(username), { actor: actor.username, action: 'user.create.refused', subjectType: 'user', subjectId: username, details: { reason: 'name taken' } });
    }
    return toView(await trx('users').where({ id: user.id }).first(...USER_COLUMNS), deps.clock.now());
  });
}

export interface UserUpdate {
  username: string;
  role?: Role | undefined;
  active?: boolean | undefined;
  displayName?: string | undefined;
  revealPermission?: RevealPermission | undefined;
}

const ADMIN_REVEAL_MESSAGE = (username: string) =>
  `${username} is an admin: admins do not work cards or accounts, so they cannot be given the reveal permission. Give the user an agent or supervisor role first.`;

const LAST_ADMIN_MESSAGE = (username: string, what: string) =>
  `${username} is the last active admin: Giftdesk needs one, so they cannot be ${what}. Make another user an admin first.`;

/**
 * `users:update`: role, active, display name and the reveal permission. A role change
 * puts the reveal permission back to the new role's default (a grant made for an agent
 * is not carried into another role, nor a withdrawal), unless the same change sets it;
 * an admin cannot be granted it. An admin cannot deactivate themselves,
 * and nobody can leave the store without an active admin (checked in the write
 * transaction, so two admins demoting each other at once cannot both succeed). A
 * deactivated user's open sessions end at their next call (the wrapper re-reads the user).
 */
export async function updateUser(deps: ServiceDeps, actor: Operator, input: UserUpdate): Promise<UserView> {
  const username = normalizeUsername(input.username);
  if (input.displayName !== undefined) {
    const problem = displayNameProblem(input.displayName);
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
  }
  return refusable(deps, async (trx, refuse) => {
    const audit = { actor: actor.username, action: 'user.update.refused' as const, subjectType: 'user', subjectId: username };
    const row: ListedRow | undefined = await trx('users').where({ username }).first(...USER_COLUMNS);
    if (!row) throw refuse(notFound(username), { ...audit, details: { reason: 'no such user' } });
    const before = toView(row, deps.clock.now());
    const after = {
      role: input.role ?? before.role,
      active: input.active ?? before.active,
      displayName: input.displayName !== undefined ? cleanDisplayName(input.displayName) : before.displayName,
      revealPermission:
        input.revealPermission ?? ((input.role ?? before.role) !== before.role ? ('roleDefault' as const) : before.revealPermission),
    };
    if (after.role === 'admin' && after.revealPermission === 'granted') {
      throw refuse(new AppError('FORBIDDEN', ADMIN_REVEAL_MESSAGE(username)), { ...audit, details: { reason: 'reveal for an admin' } });
    }
    if (before.active && !after.active && username === normalizeUsername(actor.username)) {
      throw refuse(new AppError('FORBIDDEN', 'You cannot deactivate yourself. Another admin can, if it is really needed.'), {
        ...audit,
        details: { reason: 'self-deactivation' },
      });
    }
    const losesAdmin = before.active && before.role === 'admin' && (!after.active || after.role !== 'admin');
    if (losesAdmin) {
      const others = toInt(
        (await trx('users').where({ role: 'admin', active: true }).whereNot({ id: row.id }).count({ n: '*' }).first())?.n ?? 0,
      );
      if (others === 0) {
        const what = after.active ? `made ${after.role === 'agent' ? 'an agent' : 'a supervisor'}` : 'deactivated';
        throw refuse(new AppError('FORBIDDEN', LAST_ADMIN_MESSAGE(username, what)), { ...audit, details: { reason: 'last active admin' } });
      }
    }
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (after.role !== before.role) changes['role'] = { from: before.role, to: after.role };
    if (after.active !== before.active) changes['active'] = { from: before.active, to: after.active };
    if (after.displayName !== before.displayName) changes['displayName'] = { from: before.displayName, to: after.displayName };
    if (after.revealPermission !== before.revealPermission) changes['revealPermission'] = { from: before.revealPermission, to: after.revealPermission };
    if (Object.keys(changes).length === 0) return before;
    await trx('users')
      .where({ id: row.id })
      .update({
        role: after.role,
        active: after.active,
        display_name: after.displayName,
        can_reveal_pii: revealPermissionToColumn(after.revealPermission),
        // A reactivated user starts with a clean failure count.
        ...(changes['active'] && after.active ? { failed_sign_ins: 0, locked_until: null } : {}),
      });
    await appendAudit(trx, deps.clock, { actor: actor.username, action: 'user.updated', subjectType: 'user', subjectId: username, details: changes });
    return toView(await trx('users').where({ id: row.id }).first(...USER_COLUMNS), deps.clock.now());
  });
}

/** `users:unlock`: clears a sign-in lock (and the failure count) before it runs out. */
export async function unlockUser(deps: ServiceDeps, actor: Operator, input: { username: string }): Promise<UserView> {
  const username = normalizeUsername(input.username);
  return refusable(deps, async (trx, refuse) => {
    const audit = { actor: actor.username, action: 'user.unlock.refused' as const, subjectType: 'user', subjectId: username };
    const row: ListedRow | undefined = await trx('users').where({ username }).first(...USER_COLUMNS);
    if (!row) throw refuse(notFound(username), { ...audit, details: { reason: 'no such user' } });
    const before = toView(row, deps.clock.now());
    if (!before.locked) {
      throw refuse(new AppError('USER_NOT_LOCKED', `${username} is not locked out of sign-in.`), { ...audit, details: { reason: 'not locked' } });
    }
    await trx('users').where({ id: row.id }).update({ locked_until: null, failed_sign_ins: 0 });
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'user.unlocked',
      subjectType: 'user',
      subjectId: username,
      details: { lockedUntil: { from: before.lockedUntil, to: null } },
    });
    return toView(await trx('users').where({ id: row.id }).first(...USER_COLUMNS), deps.clock.now());
  });
}

/** Letters and digits that cannot be mistaken for one another when read aloud or copied (no 0/o, 1/l/i). */
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Four groups of four from a 31-character alphabet: 19 characters, about 79 bits. */
function temporaryGroup(): string {
  return Array.from({ length: 4 }, () => TEMPORARY_ALPHABET[randomInt(TEMPORARY_ALPHABET.length)]).join('');
}

export function temporaryPassword(): string {
  return [temporaryGroup(), temporaryGroup(), temporaryGroup(), temporaryGroup()].join('-');
}

/**
 * `users:resetPassword`: a new one-time temporary password, made here with a
 * cryptographic generator and answered ONCE (only its hash is stored; the audit entry
 * says that a reset happened, never the password). The user must change it at the
 * next sign-in, and any session they have open loses its power at its next call (the
 * wrapper's must-change gate): only someone who was told the temporary password can
 * go on. A reset also clears a sign-in lock. An admin changes their own password with
 * `session:changePassword` instead.
 */
export async function resetPassword(deps: ServiceDeps, actor: Operator, input: { username: string }): Promise<PasswordReset> {
  const username = normalizeUsername(input.username);
  const temporary = temporaryPassword();
  const passwordHash = await hashPassword(temporary);
  return refusable(deps, async (trx, refuse) => {
    const audit = { actor: actor.username, action: 'user.passwordReset.refused' as const, subjectType: 'user', subjectId: username };
    const row: ListedRow | undefined = await trx('users').where({ username }).first(...USER_COLUMNS);
    if (!row) throw refuse(notFound(username), { ...audit, details: { reason: 'no such user' } });
    if (username === normalizeUsername(actor.username)) {
      throw refuse(new AppError('FORBIDDEN', 'Change your own password with Change password in your account menu, not with a reset.'), {
        ...audit,
        details: { reason: 'own user' },
      });
    }
    const before = toView(row, deps.clock.now());
    await trx('users')
      .where({ id: row.id })
      .update({ password_hash: passwordHash, must_change_password: true, failed_sign_ins: 0, locked_until: null });
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'user.passwordReset',
      subjectType: 'user',
      subjectId: username,
      details: {
        mustChangePassword: { from: before.mustChangePassword, to: true },
        ...(before.locked ? { lockedUntil: { from: before.lockedUntil, to: null } } : {}),
      },
    });
    return { username, temporaryPassword: temporary };
  });
}
