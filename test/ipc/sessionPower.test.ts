/**
 * Issue 11, bypass 7: a session keeps no power that was taken away. A deactivated user
 * or one whose role changed loses that power on the next call (the wrapper re-reads the
 * user by primary key), and a session ends after its absolute lifetime (12 h by default)
 * however active it was — in the wrapper and in the main process's idle check.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEventPush } from '../../electron/ipc/events';
import { lockIdleSessions, SessionStore } from '../../electron/ipc/sessions';
import { dispatch, type WrapperOptions } from '../../electron/ipc/wrapper';
import { demoFixtures } from '../../electron/services/demo';
import type { Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import { windowEvent, wrapperOptions } from '../support/ipc';
import { createTestStore, engines, type TestStore } from '../support/store';

const fixtures = demoFixtures();
let store: TestStore;
let sessions: SessionStore;
let opts: WrapperOptions;

function call(channel: Channel, input: unknown, windowId = 1): Promise<Envelope<any>> {
  return dispatch(channel, windowEvent(windowId), input, opts);
}

async function signInAs(username: keyof typeof fixtures.users, windowId = 1) {
  const result = await call('session:signIn', { username, password: fixtures.users[username].password }, windowId);
  expect(result.ok).toBe(true);
}

const lookup = () => ({ serial: fixtures.cards.activeUS.serial });

for (const engine of engines) {
  describe(engine, () => {
    beforeEach(async () => {
      store = await createTestStore({ engine, demo: true });
      sessions = new SessionStore();
      opts = wrapperOptions(store, { sessions });
    });
    afterEach(async () => {
      await store.close();
    });

    test('a user deactivated in the store loses the session on the next call, and the window is told why', async () => {
      const pushed: unknown[] = [];
      const push = startEventPush({
        sessions,
        deps: () => store,
        log: () => undefined,
        transport: (windowId, name, payload) => void pushed.push({ windowId, name, payload }),
        intervalMs: null,
      });
      try {
        await signInAs('sam');
        expect(await call('audit:list', {})).toMatchObject({ ok: true });
        await store.db('users').where({ username: 'sam' }).update({ active: false });
        expect(await call('audit:list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'deactivated' } } });
        expect(await call('session:current', {})).toEqual({ ok: true, data: null });
        expect(pushed).toContainEqual({ windowId: 1, name: 'session:ended', payload: expect.objectContaining({ reason: 'deactivated' }) });
        const last = await store.db('audit_log').where({ actor: 'sam' }).orderBy('seq', 'desc').first();
        expect(last).toMatchObject({ action: 'session.signOut' });
      } finally {
        await push.stop();
      }
    });

    test('a supervisor demoted to agent in the store runs the next call as an agent', async () => {
      await signInAs('sam');
      expect(await call('audit:list', {})).toMatchObject({ ok: true });
      await store.db('users').where({ username: 'sam' }).update({ role: 'agent' });
      expect(await call('audit:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { role: 'agent' } } });
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: true });
      expect(await call('session:current', {})).toMatchObject({ ok: true, data: { user: { username: 'sam', role: 'agent' } } });
    });

    test('a session ends after 12 hours however active it was', async () => {
      await signInAs('ava');
      for (let hour = 0; hour < 11; hour++) {
        store.clock.advanceMinutes(60);
        sessions.shiftActivity(60 * 60_000);
        expect(await call('cards:lookup', lookup()), `hour ${hour + 1}`).toMatchObject({ ok: true });
      }
      store.clock.advanceMinutes(61);
      sessions.shiftActivity(61 * 60_000);
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'expired' } } });
      expect(await call('session:current', {})).toEqual({ ok: true, data: null });
    });

    test('the idle check in main ends a session past its lifetime even when nobody calls', async () => {
      await signInAs('ava');
      store.clock.advanceMinutes(12 * 60 + 1);
      sessions.shiftActivity((12 * 60 + 1) * 60_000);
      const ended = await lockIdleSessions(sessions, store, () => undefined);
      expect(ended).toHaveLength(1);
      expect(sessions.get(1)).toBeNull();
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'expired' } } });
    });

    test('the lifetime is a setting beside the idle lock', async () => {
      await store.db('settings').insert({ key: 'limits.sessionMaxHours', value: '1', updated_at: store.clock.now() });
      await signInAs('ava');
      store.clock.advanceMinutes(50);
      sessions.shiftActivity(50 * 60_000);
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: true });
      store.clock.advanceMinutes(11);
      sessions.shiftActivity(11 * 60_000);
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'expired' } } });
    });
  });
}
