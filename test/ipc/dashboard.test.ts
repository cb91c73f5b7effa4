/**
 * `dashboard:summary` through the wrapper: supervisors and admins read it, an agent is
 * refused (FORBIDDEN), and a bad period or
 * offset is refused in words before any query runs.
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
let opts: WrapperOptions;

function call(channel: Channel, input: unknown, windowId: number): Promise<Envelope<any>> {
  return dispatch(channel, windowEvent(windowId), input, opts);
}

async function signInAs(username: keyof typeof fixtures.users, windowId: number) {
  expect(await call('session:signIn', { username, password: fixtures.users[username].password }, windowId)).toMatchObject({ ok: true });
}

for (const engine of engines) {
  describe(engine, () => {
    beforeEach(async () => {
      store = await createTestStore({ engine, demo: true });
      opts = wrapperOptions(store, { sessions: new SessionStore() });
    });
    afterEach(async () => {
      await store.close();
    });

    test('supervisors and admins read the dashboard; an agent is refused', async () => {
      await signInAs('ava', 1);
      await signInAs('sam', 2);
      await signInAs('ada', 3);
      expect(await call('dashboard:summary', {}, 1)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { role: 'agent' } } });
      for (const windowId of [2, 3]) {
        const answer = await call('dashboard:summary', { utcOffsetMinutes: 60 }, windowId);
        expect(answer).toMatchObject({ ok: true, data: { period: { utcOffsetMinutes: 60 } } });
        expect((answer as { data: { liability: unknown[] } }).data.liability).toHaveLength(6);
      }
    });

    test('a bad period or offset is refused in words', async () => {
      await signInAs('sam', 1);
      for (const input of [{ utcOffsetMinutes: 15 * 60 }, { utcOffsetMinutes: 1.5 }, { from: 'yesterday' }, { to: '2026-11-22' }, { days: 3 }]) {
        const answer = await call('dashboard:summary', input, 1);
        expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        expect((answer as { error: { message: string } }).error.message).toMatch(/\w/);
      }
      expect(await call('dashboard:summary', { from: '2026-11-22T00:00:00Z', to: '2026-11-01T00:00:00Z' }, 1)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: 'The period must end after it starts.' },
      });
    });
  });
}
