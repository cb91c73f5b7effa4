/**
 * Limits through the wrapper (issue 13): only admins reach limits:get / limits:set; a
 * refusal names the field; and a changed idle lock takes effect at the next sign-in
 * while open sessions keep the value they started with, as the Limits screen says.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SessionStore } from '../../electron/ipc/sessions';
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

function call(channel: Channel, input: unknown, windowId: number): Promise<Envelope<any>> {
  return dispatch(channel, windowEvent(windowId), input, opts);
}

async function signInAs(username: keyof typeof fixtures.users, windowId: number) {
  expect(await call('session:signIn', { username, password: fixtures.users[username].password }, windowId)).toMatchObject({ ok: true });
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

    test('only admins read or change limits; the desk roles are refused and nothing changes', async () => {
      await signInAs('ava', 1);
      await signInAs('sam', 2);
      await signInAs('ada', 3);
      for (const windowId of [1, 2]) {
        expect(await call('limits:get', {}, windowId)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await call('limits:set', { kind: 'approval', username: 'sam', currency: 'USD', amount: '500' }, windowId)).toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN' },
        });
        expect(await call('limits:set', { kind: 'general', name: 'signInMaxFailures', value: 20 }, windowId)).toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN' },
        });
      }
      expect(await store.db('settings').where('key', 'like', 'limits.%')).toEqual([]);
      expect(await store.db('approval_limits')).toEqual([]);
      expect(await call('limits:get', {}, 3)).toMatchObject({ ok: true, data: { general: { signInMaxFailures: 5 } } });
      expect(await call('limits:set', { kind: 'general', name: 'signInMaxFailures', value: 21 }, 3)).toEqual({
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Failed sign-ins before the lock must be 3 to 20 failures.',
          details: { fields: [{ path: 'value', message: 'Failed sign-ins before the lock must be 3 to 20 failures.' }] },
        },
      });
      expect(await call('limits:set', { kind: 'general', name: 'noSuchLimit', value: 5 }, 3)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    });

    test('a shorter idle lock takes effect at the next sign-in; an open session keeps the one it started with', async () => {
      await signInAs('ava', 1);
      await signInAs('ada', 3);
      expect(await call('limits:set', { kind: 'general', name: 'idleLockMinutes', value: 5 }, 3)).toMatchObject({ ok: true, data: { changed: true } });
      await signInAs('ava', 2);
      store.clock.advanceMinutes(10);
      // Window 1 signed in under 15 minutes: still open after 10 idle minutes.
      expect(await call('cards:lookup', lookup(), 1)).toMatchObject({ ok: true });
      // Window 2 signed in under 5: locked.
      expect(await call('cards:lookup', lookup(), 2)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'idle' } } });
    });
  });
}
