/**
 * Limits through the wrapper (issue 13): only admins reach limits:get / limits:set; a
 * refusal names the field; and a changed idle lock takes effect at the next sign-in
 * while open sessions keep the value they started with, as the Limits screen says.
 */
import { describe, expect, test } from 'vitest';
import { demoFixtures } from '../../electron/services/demo';
import { useDesk } from '../support/ipc';
import { engines } from '../support/store';

const fixtures = demoFixtures();
const lookup = () => ({ serial: fixtures.cards.activeUS.serial });

for (const engine of engines) {
  describe(engine, () => {
    const desk = useDesk(engine);
    const { call, signInAs } = desk;

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
      expect(await desk.store.db('settings').where('key', 'like', 'limits.%')).toEqual([]);
      expect(await desk.store.db('approval_limits')).toEqual([]);
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
      desk.store.clock.advanceMinutes(10);
      // Window 1 signed in under 15 minutes: still open after 10 idle minutes.
      expect(await call('cards:lookup', lookup(), 1)).toMatchObject({ ok: true });
      // Window 2 signed in under 5: locked.
      expect(await call('cards:lookup', lookup(), 2)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'idle' } } });
    });
  });
}
