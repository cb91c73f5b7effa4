/**
 * Issue 13 through the real wrapper: the first admin signs the window in; a password
 * reset takes the power of the user's open sessions at their next call (nothing but
 * changing the password or signing out until it is changed); a deactivation ends them.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { PASSWORD_CHANGE_REQUIRED_MESSAGE } from '../../electron/ipc/wrapper';
import { demoFixtures } from '../../electron/services/demo';
import { useDesk } from '../support/ipc';
import { engines } from '../support/store';

const fixtures = demoFixtures();

const ADMIN = 1;
const AGENT = 2;
const AGENT_AGAIN = 3;
const lookup = { serial: fixtures.cards.activeUS.serial };

for (const engine of engines) {
  describe(engine, () => {
    describe('on the demo store', () => {
      const desk = useDesk(engine);
      const { call, signInAs } = desk;
      const auditCount = async () => Number((await desk.store.db('audit_log').count({ n: '*' }).first())?.n);
      beforeEach(async () => {
        expect(await signInAs('ada', ADMIN)).toMatchObject({ data: { mustChangePassword: false } });
        expect(await signInAs('ava', AGENT)).toMatchObject({ data: { mustChangePassword: false } });
      });

      test('a reset takes the power of the open session at its next call until the temporary password is changed', async () => {
        expect(await call('cards:lookup', lookup, AGENT)).toMatchObject({ ok: true });
        const reset = await call('users:resetPassword', { username: 'ava' }, ADMIN);
        expect(reset).toMatchObject({ ok: true, data: { username: 'ava', temporaryPassword: expect.any(String) } });
        const temp = reset.ok ? (reset.data.temporaryPassword as string) : '';

        const before = await auditCount();
        for (const [channel, input] of [
          ['cards:lookup', lookup],
          ['accounts:search', { query: 'ama' }],
          ['credits:list', {}],
          ['credits:pendingCount', {}],
        ] as const) {
          expect(await call(channel, input, AGENT), channel).toEqual({
            ok: false,
            error: { code: 'PASSWORD_CHANGE_REQUIRED', message: PASSWORD_CHANGE_REQUIRED_MESSAGE },
          });
        }
        // Refused before any service ran: nothing recorded, nothing changed.
        expect(await auditCount()).toBe(before);
        expect(await call('session:current', {}, AGENT)).toMatchObject({ ok: true, data: { user: { username: 'ava' }, mustChangePassword: true } });
        expect(await call('app:info', {}, AGENT)).toMatchObject({ ok: true });

        // The old password proves nothing now; only someone told the temporary one goes on.
        const old = await call('session:changePassword', { currentPassword: fixtures.users.ava.password, newPassword: 'ava chose this' }, AGENT);
        expect(old).toMatchObject({ ok: false, error: { code: 'SIGN_IN_FAILED' } });
        const changed = await call('session:changePassword', { currentPassword: temp, newPassword: 'ava chose this' }, AGENT);
        expect(changed).toMatchObject({ ok: true, data: { user: { username: 'ava' }, mustChangePassword: false } });
        expect(await call('cards:lookup', lookup, AGENT)).toMatchObject({ ok: true });
        expect(JSON.stringify(await desk.store.db('audit_log').select('details'))).not.toContain(temp);
      });

      test('signing in with a temporary password says so; the window can change it or sign out, nothing else', async () => {
        const reset = await call('users:resetPassword', { username: 'ava' }, ADMIN);
        const temp = reset.ok ? (reset.data.temporaryPassword as string) : '';
        const signedIn = await call('session:signIn', { username: 'ava', password: temp }, AGENT_AGAIN);
        expect(signedIn).toMatchObject({ ok: true, data: { mustChangePassword: true } });
        expect(await call('credits:limits', {}, AGENT_AGAIN)).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
        expect(await call('session:signOut', {}, AGENT_AGAIN)).toMatchObject({ ok: true });
        expect(await call('session:current', {}, AGENT_AGAIN)).toEqual({ ok: true, data: null });
      });

      test('an admin deactivating an agent ends the agent\'s open session at its next call', async () => {
        const updated = await call('users:update', { username: 'ava', active: false }, ADMIN);
        expect(updated).toMatchObject({ ok: true, data: { username: 'ava', active: false } });
        expect(await call('cards:lookup', lookup, AGENT)).toMatchObject({
          ok: false,
          error: { code: 'UNAUTHENTICATED', details: { reason: 'deactivated' } },
        });
        expect(await call('session:current', {}, AGENT)).toEqual({ ok: true, data: null });
        // Reactivated, ava signs in again.
        expect(await call('users:update', { username: 'ava', active: true }, ADMIN)).toMatchObject({ ok: true });
        await signInAs('ava', AGENT);
      });

      test('users channels are for admins; an admin cannot deactivate themselves', async () => {
        expect(await call('users:list', {}, AGENT)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await call('users:resetPassword', { username: 'ada' }, AGENT)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        const list = await call('users:list', {}, ADMIN);
        expect(list.ok && list.data.map((u: { username: string }) => u.username)).toEqual(['ada', 'ava', 'sam', 'sky']);
        expect(JSON.stringify(list)).not.toMatch(/scrypt|password_hash/);
        const self = await call('users:update', { username: 'ada', active: false }, ADMIN);
        expect(self).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/cannot deactivate yourself/) } });
        expect(await call('users:create', { username: 'x', displayName: 'X', role: 'agent', password: 'long enough' }, ADMIN)).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION_FAILED' },
        });
        expect(await call('setup:status', {}, AGENT)).toEqual({ ok: true, data: { needed: false } });
        expect(await call('setup:createAdmin', { username: 'eve', displayName: 'Eve', password: 'eve password' }, 9)).toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN' },
        });
      });
    });

    describe('on an empty store', () => {
      const { call } = useDesk(engine, { demo: false });

      test('the first admin signs the window in; a second window is then refused', async () => {
        expect(await call('setup:status', {}, 1)).toEqual({ ok: true, data: { needed: true } });
        expect(await call('users:list', {}, 1)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
        const created = await call('setup:createAdmin', { username: 'root', displayName: 'Root Admin', password: 'root password' }, 1);
        expect(created).toMatchObject({ ok: true, data: { user: { username: 'root', role: 'admin', displayName: 'Root Admin' }, mustChangePassword: false } });
        expect(await call('session:current', {}, 1)).toMatchObject({ ok: true, data: { user: { username: 'root' } } });
        expect(await call('users:list', {}, 1)).toMatchObject({ ok: true, data: [{ username: 'root', role: 'admin' }] });
        expect(await call('setup:createAdmin', { username: 'other', displayName: 'Other', password: 'other password' }, 2)).toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN' },
        });
        expect(await call('session:current', {}, 2)).toEqual({ ok: true, data: null });
      });
    });
  });
}
