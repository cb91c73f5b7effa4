import { expect } from 'vitest';
import { authenticate, changePassword, createUser, CURRENT_PASSWORD_WRONG_MESSAGE, signIn } from '../../electron/services/auth';
import { verifyAuditChain } from '../../electron/services/audit';
import type { Actor } from '../../electron/services/context';
import {
  createFirstAdmin,
  createUserByAdmin,
  listUsers,
  resetPassword,
  SETUP_DONE_MESSAGE,
  setupStatus,
  temporaryPassword,
  unlockUser,
  updateUser,
} from '../../electron/services/users';
import { refusal as failure } from '../support/errors';
import { race } from '../support/race';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const ADMIN_PASSWORD = 'first admin password';

async function entries(store: TestStore): Promise<{ actor: string | null; action: string; subject_id: string | null; details: string | null }[]> {
  return store.db('audit_log').orderBy('seq').select('actor', 'action', 'subject_id', 'details');
}

function detailsOf(entry: { details: unknown }): Record<string, unknown> {
  return typeof entry.details === 'string' ? JSON.parse(entry.details) : ((entry.details ?? {}) as Record<string, unknown>);
}

async function userCount(store: TestStore): Promise<number> {
  return Number((await store.db('users').count({ n: '*' }).first())?.n);
}

/** A store with one admin (ada) and one agent (ava); answers ada as an actor. */
async function team(store: TestStore): Promise<Actor> {
  const ada = await createFirstAdmin(store, { username: 'ada', displayName: 'Ada Admin', password: ADMIN_PASSWORD });
  await createUser(store, { username: 'ada' }, { username: 'ava', displayName: 'Ava Agent', role: 'agent', password: 'ava password' });
  return { id: ada.id, username: ada.username, role: 'admin' };
}

forEachEngine(() => {
  test('first run: an empty store needs setup; the first admin is created once, the next ask is refused and recorded', async ({ store }) => {
    expect(await setupStatus(store)).toEqual({ needed: true });
    const admin = await createFirstAdmin(store, { username: ' Ada ', displayName: '  Ada Lovelace ', password: ADMIN_PASSWORD });
    expect(admin).toMatchObject({ username: 'ada', displayName: 'Ada Lovelace', role: 'admin' });
    expect(await setupStatus(store)).toEqual({ needed: false });
    const again = await failure(createFirstAdmin(store, { username: 'eve', displayName: 'Eve', password: 'eve password 1' }));
    expect(again.toBody()).toEqual({ code: 'FORBIDDEN', message: SETUP_DONE_MESSAGE });
    expect(await userCount(store)).toBe(1);
    const log = await entries(store);
    expect(log.map((e) => e.action)).toEqual(['user.created', 'session.signIn', 'setup.createAdmin.refused']);
    expect(detailsOf(log[0]!)).toMatchObject({ role: 'admin', firstRun: true });
    // The refused name is nobody's: not recorded.
    expect(JSON.stringify(log)).not.toContain('eve');
    expect(JSON.stringify(log)).not.toContain(ADMIN_PASSWORD);
    // The admin signs in with the password chosen, with nothing to change.
    expect(await authenticate(store, { username: 'ada', password: ADMIN_PASSWORD })).toMatchObject({ mustChangePassword: false });
  });

  test('first run refuses a bad username, display name or password and creates nothing', async ({ store }) => {
    for (const input of [
      { username: 'a', displayName: 'Ada', password: ADMIN_PASSWORD },
      { username: 'ada', displayName: '   ', password: ADMIN_PASSWORD },
      { username: 'ada', displayName: 'x'.repeat(101), password: ADMIN_PASSWORD },
      { username: 'ada', displayName: 'Ada', password: 'short' },
    ]) {
      expect((await failure(createFirstAdmin(store, input))).code).toBe('VALIDATION_FAILED');
    }
    expect(await userCount(store)).toBe(0);
    expect(await setupStatus(store)).toEqual({ needed: true });
  });

  test('6 processes creating the first admin at once: exactly one admin, the rest refused on record', async ({ store }) => {
    const outcomes = await race(store, 6, 'createAdmin', (i) => ({ username: `admin${i}`, displayName: `Admin ${i}`, password: `password number ${i}` }));
    const ok = outcomes.filter((o) => o.ok);
    expect(ok).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? '' : o.code))).toEqual(Array(5).fill('FORBIDDEN'));
    expect(await userCount(store)).toBe(1);
    const actions = (await entries(store)).map((e) => e.action);
    expect(actions.filter((a) => a === 'user.created')).toHaveLength(1);
    expect(actions.filter((a) => a === 'setup.createAdmin.refused')).toHaveLength(5);
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
  });

  test('the list shows role, active, lock, last sign-in and the must-change mark, never a hash', async ({ store }) => {
    const ada = await team(store);
    for (let i = 0; i < 5; i++) await failure(signIn(store, { username: 'ava', password: 'wrong' }));
    const list = await listUsers(store, ada);
    expect(list.map((u) => u.username)).toEqual(['ada', 'ava']);
    expect(list[0]).toMatchObject({ role: 'admin', active: true, locked: false, mustChangePassword: false, lastSignInAt: store.clock.now().toISOString() });
    expect(list[1]).toMatchObject({ role: 'agent', active: true, locked: true, lastSignInAt: null, displayName: 'Ava Agent' });
    expect(JSON.stringify(list)).not.toMatch(/scrypt|hash/i);
    // A lock that has run out is no lock.
    store.clock.advanceMinutes(16);
    expect((await listUsers(store, ada))[1]).toMatchObject({ locked: false, lockedUntil: null });
  });

  test('an admin creates a user who must change the password chosen for them; a taken name is refused on record', async ({ store }) => {
    const ada = await team(store);
    const sam = await createUserByAdmin(store, ada, { username: 'Sam', displayName: ' Sam S ', role: 'supervisor', password: 'sam first password' });
    expect(sam).toMatchObject({ username: 'sam', displayName: 'Sam S', role: 'supervisor', active: true, mustChangePassword: true });
    expect(await authenticate(store, { username: 'sam', password: 'sam first password' })).toMatchObject({ mustChangePassword: true });
    const taken = await failure(createUserByAdmin(store, ada, { username: 'sam', displayName: 'Other', role: 'agent', password: 'another password' }));
    expect(taken.code).toBe('VALIDATION_FAILED');
    const log = await entries(store);
    expect(log.at(-1)).toMatchObject({ actor: 'ada', action: 'user.create.refused', subject_id: 'sam' });
    expect(JSON.stringify(log)).not.toContain('sam first password');
  });

  test('update: role, name and active audited with old and new values; nothing changed is nothing recorded', async ({ store }) => {
    const ada = await team(store);
    const updated = await updateUser(store, ada, { username: 'ava', role: 'supervisor', displayName: '  Ava Supervisor ', active: false });
    expect(updated).toMatchObject({ role: 'supervisor', displayName: 'Ava Supervisor', active: false });
    const entry = (await entries(store)).at(-1)!;
    expect(entry).toMatchObject({ actor: 'ada', action: 'user.updated', subject_id: 'ava' });
    expect(detailsOf(entry)).toEqual({
      role: { from: 'agent', to: 'supervisor' },
      displayName: { from: 'Ava Agent', to: 'Ava Supervisor' },
      active: { from: true, to: false },
    });
    // A deactivated user cannot sign in.
    expect((await failure(signIn(store, { username: 'ava', password: 'ava password' }))).code).toBe('SIGN_IN_FAILED');
    const count = (await entries(store)).length;
    await updateUser(store, ada, { username: 'ava', role: 'supervisor' });
    expect((await entries(store)).length).toBe(count);
    // Reactivated: signs in again.
    await updateUser(store, ada, { username: 'ava', active: true });
    await expect(signIn(store, { username: 'ava', password: 'ava password' })).resolves.toMatchObject({ role: 'supervisor' });
    expect((await failure(updateUser(store, ada, { username: 'ava', displayName: ' ' }))).code).toBe('VALIDATION_FAILED');
    expect((await failure(updateUser(store, ada, { username: 'nobody', role: 'agent' }))).code).toBe('USER_NOT_FOUND');
  });

  test('an admin cannot deactivate themselves, nor demote or deactivate the last active admin (refusals recorded, nothing changed)', async ({ store }) => {
    const ada = await team(store);
    const self = await failure(updateUser(store, ada, { username: 'ada', active: false }));
    expect(self.code).toBe('FORBIDDEN');
    expect(self.message).toMatch(/cannot deactivate yourself/);
    const demote = await failure(updateUser(store, { username: 'cli:root' }, { username: 'ada', role: 'agent' }));
    expect(demote.code).toBe('FORBIDDEN');
    expect(demote.message).toMatch(/last active admin/);
    const deactivate = await failure(updateUser(store, { username: 'cli:root' }, { username: 'ada', active: false }));
    expect(deactivate.message).toMatch(/last active admin/);
    const refused = (await entries(store)).filter((e) => e.action === 'user.update.refused');
    expect(refused.map((e) => detailsOf(e)['reason'])).toEqual(['self-deactivation', 'last active admin', 'last active admin']);
    expect((await listUsers(store, ada))[0]).toMatchObject({ role: 'admin', active: true });
    // With a second active admin, the first can step down.
    await updateUser(store, ada, { username: 'ava', role: 'admin' });
    await expect(updateUser(store, ada, { username: 'ada', role: 'supervisor' })).resolves.toMatchObject({ role: 'supervisor' });
  });

  test('two admins demoting each other at once from two processes: exactly one succeeds, one admin is left', async ({ store }) => {
    const ada = await team(store);
    await updateUser(store, ada, { username: 'ava', role: 'admin' });
    const outcomes = await race(store, 2, 'updateUser', (i) => ({
      actor: i === 0 ? 'ada' : 'ava',
      update: { username: i === 0 ? 'ava' : 'ada', role: 'agent' as const },
    }));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({ code: 'FORBIDDEN' });
    const admins = await store.db('users').where({ role: 'admin', active: true }).count({ n: '*' }).first();
    expect(Number(admins?.n)).toBe(1);
  });

  test('a reset gives a one-time temporary password that is never stored or recorded, must be changed, and clears a lock', async ({ store }) => {
    const ada = await team(store);
    for (let i = 0; i < 5; i++) await failure(signIn(store, { username: 'ava', password: 'wrong' }));
    const reset = await resetPassword(store, ada, { username: 'ava' });
    expect(reset.username).toBe('ava');
    expect(reset.temporaryPassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(reset.temporaryPassword.length).toBeGreaterThanOrEqual(12);
    // The old password is gone; the temporary one works once the lock is cleared, and says it must be changed.
    expect((await failure(signIn(store, { username: 'ava', password: 'ava password' }))).code).toBe('SIGN_IN_FAILED');
    expect(await authenticate(store, { username: 'ava', password: reset.temporaryPassword })).toMatchObject({ mustChangePassword: true });
    const row = await store.db('users').where({ username: 'ava' }).first();
    expect(row.password_hash).not.toContain(reset.temporaryPassword);
    const log = await entries(store);
    expect(JSON.stringify(log)).not.toContain(reset.temporaryPassword);
    const entry = log.find((e) => e.action === 'user.passwordReset')!;
    expect(entry).toMatchObject({ actor: 'ada', subject_id: 'ava' });
    expect(detailsOf(entry)).toMatchObject({ mustChangePassword: { from: false, to: true }, lockedUntil: { to: null } });
    // Every reset makes a new one.
    expect((await resetPassword(store, ada, { username: 'ava' })).temporaryPassword).not.toBe(reset.temporaryPassword);
    expect(new Set(Array.from({ length: 200 }, temporaryPassword)).size).toBe(200);
    // An admin's own password is changed, not reset.
    expect((await failure(resetPassword(store, ada, { username: 'ada' }))).code).toBe('FORBIDDEN');
    expect((await failure(resetPassword(store, ada, { username: 'nobody' }))).code).toBe('USER_NOT_FOUND');
    expect((await entries(store)).filter((e) => e.action === 'user.passwordReset.refused')).toHaveLength(2);
  });

  test('unlock clears a sign-in lock before it runs out; a user who is not locked is refused on record', async ({ store }) => {
    const ada = await team(store);
    const notLocked = await failure(unlockUser(store, ada, { username: 'ava' }));
    expect(notLocked.code).toBe('USER_NOT_LOCKED');
    for (let i = 0; i < 5; i++) await failure(signIn(store, { username: 'ava', password: 'wrong' }));
    expect((await failure(signIn(store, { username: 'ava', password: 'ava password' }))).code).toBe('SIGN_IN_LOCKED');
    const unlocked = await unlockUser(store, ada, { username: 'ava' });
    expect(unlocked).toMatchObject({ locked: false, lockedUntil: null });
    await expect(signIn(store, { username: 'ava', password: 'ava password' })).resolves.toMatchObject({ username: 'ava' });
    const actions = (await entries(store)).map((e) => e.action);
    expect(actions).toContain('user.unlocked');
    expect(actions).toContain('user.unlock.refused');
  });

  test('changing one\'s own password proves the current one with the sign-in lockout, and clears the must-change mark', async ({ store }) => {
    const ada = await team(store);
    const { temporaryPassword: temp } = await resetPassword(store, ada, { username: 'ava' });
    const { user } = await authenticate(store, { username: 'ava', password: temp });
    const ava: Actor = { id: user.id, username: 'ava', role: 'agent' };
    expect((await failure(changePassword(store, ava, { currentPassword: temp, newPassword: 'short' }))).code).toBe('VALIDATION_FAILED');
    expect((await failure(changePassword(store, ava, { currentPassword: temp, newPassword: temp }))).code).toBe('VALIDATION_FAILED');
    const wrong = await failure(changePassword(store, ava, { currentPassword: 'not it', newPassword: 'ava new password' }));
    expect(wrong.toBody()).toEqual({ code: 'SIGN_IN_FAILED', message: CURRENT_PASSWORD_WRONG_MESSAGE });
    await changePassword(store, ava, { currentPassword: temp, newPassword: 'ava new password' });
    expect(await authenticate(store, { username: 'ava', password: 'ava new password' })).toMatchObject({ mustChangePassword: false });
    expect((await failure(signIn(store, { username: 'ava', password: temp }))).code).toBe('SIGN_IN_FAILED');
    // Wrong current passwords count toward the same lock as sign-ins: one failed sign-in (above) and four of these lock.
    for (let i = 0; i < 3; i++) await failure(changePassword(store, ava, { currentPassword: `nope ${i}`, newPassword: 'another new one' }));
    expect((await failure(changePassword(store, ava, { currentPassword: 'nope 5', newPassword: 'another new one' }))).code).toBe('SIGN_IN_LOCKED');
    expect((await failure(changePassword(store, ava, { currentPassword: 'ava new password', newPassword: 'another new one' }))).code).toBe('SIGN_IN_LOCKED');
    expect((await failure(signIn(store, { username: 'ava', password: 'ava new password' }))).code).toBe('SIGN_IN_LOCKED');
    const log = await entries(store);
    const actions = log.map((e) => e.action);
    expect(actions.filter((a) => a === 'user.passwordChange.failed'), actions.join(' ')).toHaveLength(5);
    expect(actions.filter((a) => a === 'user.passwordChange.refused')).toHaveLength(1);
    expect(actions.filter((a) => a === 'user.passwordChanged')).toHaveLength(1);
    expect(actions).toContain('user.locked');
    expect(detailsOf(log.find((e) => e.action === 'user.passwordChanged')!)).toEqual({ replacedTemporary: true });
    const text = JSON.stringify(log);
    for (const secret of [temp, 'ava new password', 'another new one', 'nope 5']) expect(text).not.toContain(secret);
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
  }, 90_000);
});
