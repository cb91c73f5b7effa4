/**
 * Issue 11, bypass 7: a session keeps no power that was taken away. A deactivated user
 * or one whose role changed loses that power on the next call (the wrapper re-reads the
 * user by primary key), and a session ends after its absolute lifetime (12 h by default)
 * however active it was — in the wrapper and in the main process's idle check.
 */
import { describe, expect, test } from 'vitest';
import { startEventPush } from '../../electron/ipc/events';
import { lockIdleSessions } from '../../electron/ipc/sessions';
import { demoFixtures } from '../../electron/services/demo';
import { useDesk } from '../support/ipc';
import { engines } from '../support/store';

const fixtures = demoFixtures();

const lookup = () => ({ serial: fixtures.cards.activeUS.serial });

for (const engine of engines) {
  describe(engine, () => {
    const desk = useDesk(engine);
    const { call, signInAs } = desk;

    test('a user deactivated in the store loses the session on the next call, and the window is told why', async () => {
      const pushed: unknown[] = [];
      const push = startEventPush({
        sessions: desk.sessions,
        deps: () => desk.store,
        log: () => undefined,
        transport: (windowId, name, payload) => void pushed.push({ windowId, name, payload }),
        intervalMs: null,
      });
      try {
        await signInAs('sam');
        expect(await call('audit:list', {})).toMatchObject({ ok: true });
        await desk.store.db('users').where({ username: 'sam' }).update({ active: false });
        expect(await call('audit:list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'deactivated' } } });
        expect(await call('session:current', {})).toEqual({ ok: true, data: null });
        expect(pushed).toContainEqual({ windowId: 1, name: 'session:ended', payload: expect.objectContaining({ reason: 'deactivated' }) });
        const last = await desk.store.db('audit_log').where({ actor: 'sam' }).orderBy('seq', 'desc').first();
        expect(last).toMatchObject({ action: 'session.signOut' });
      } finally {
        await push.stop();
      }
    });

    test('a supervisor demoted to agent in the store runs the next call as an agent', async () => {
      await signInAs('sam');
      expect(await call('audit:list', {})).toMatchObject({ ok: true });
      await desk.store.db('users').where({ username: 'sam' }).update({ role: 'agent' });
      expect(await call('audit:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { role: 'agent' } } });
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: true });
      expect(await call('session:current', {})).toMatchObject({ ok: true, data: { user: { username: 'sam', role: 'agent' } } });
    });

    test('a session ends after 12 hours however active it was', async () => {
      await signInAs('ava');
      for (let hour = 0; hour < 11; hour++) {
        desk.store.clock.advanceMinutes(60);
        desk.sessions.shiftActivity(60 * 60_000);
        expect(await call('cards:lookup', lookup()), `hour ${hour + 1}`).toMatchObject({ ok: true });
      }
      desk.store.clock.advanceMinutes(61);
      desk.sessions.shiftActivity(61 * 60_000);
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'expired' } } });
      expect(await call('session:current', {})).toEqual({ ok: true, data: null });
    });

    test('the idle check in main ends a session past its lifetime even when nobody calls', async () => {
      await signInAs('ava');
      desk.store.clock.advanceMinutes(12 * 60 + 1);
      desk.sessions.shiftActivity((12 * 60 + 1) * 60_000);
      const ended = await lockIdleSessions(desk.sessions, desk.store, () => undefined);
      expect(ended).toHaveLength(1);
      expect(desk.sessions.get(1)).toBeNull();
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'expired' } } });
    });

    test('the lifetime is a setting beside the idle lock', async () => {
      await desk.store.db('settings').insert({ key: 'limits.sessionMaxHours', value: '1', updated_at: desk.store.clock.now() });
      await signInAs('ava');
      desk.store.clock.advanceMinutes(50);
      desk.sessions.shiftActivity(50 * 60_000);
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: true });
      desk.store.clock.advanceMinutes(11);
      desk.sessions.shiftActivity(11 * 60_000);
      expect(await call('cards:lookup', lookup())).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'expired' } } });
    });
  });
}
