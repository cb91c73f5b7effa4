/**
 * Main → renderer events: the publisher passes only contract events; the main process
 * ends idle sessions itself and pushes `session:ended`; credit changes recorded in the
 * store (by this process or by another console on the same store) become
 * `credits:changed` for signed-in windows and `credits:decided` for the requester's.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { EventPublisher, startEventPush, type EventPush } from '../../electron/ipc/events';
import { IDLE_SIGN_OUT_MESSAGE, SessionStore } from '../../electron/ipc/sessions';
import { dispatch, type WrapperOptions } from '../../electron/ipc/wrapper';
import { OffsetClock, type ServiceDeps } from '../../electron/services/context';
import { demoFixtures } from '../../electron/services/demo';
import { startRuntime, type Runtime } from '../../electron/runtime';
import type { Channel, EventName } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import { windowEvent, wrapperOptions } from '../support/ipc';
import { createTestStore, engines, type TestStore } from '../support/store';

const fixtures = demoFixtures();
const us = fixtures.accounts.usCustomer.id;

interface Sent {
  windowId: number;
  event: EventName;
  payload: unknown;
}

/** One console (one main process): its sessions, its wrapper and its event push, over a transport that records. */
class Console {
  readonly sessions = new SessionStore();
  readonly sent: Sent[] = [];
  readonly errors: unknown[] = [];
  readonly options: WrapperOptions;
  readonly push: EventPush;

  constructor(deps: ServiceDeps, settings: { intervalMs?: number | null; testHooks?: boolean } = {}) {
    this.push = startEventPush({
      sessions: this.sessions,
      deps: () => deps,
      transport: (windowId, event, payload) => void this.sent.push({ windowId, event, payload }),
      log: (_message, error) => void this.errors.push(error),
      intervalMs: settings.intervalMs ?? null,
    });
    this.options = wrapperOptions(deps, {
      sessions: this.sessions,
      testHooks: () => settings.testHooks ?? false,
      afterCall: (channel, windowId) => this.push.afterCall(channel, windowId),
    });
  }

  call(channel: Channel, input: unknown, windowId = 1): Promise<Envelope<any>> {
    return dispatch(channel, windowEvent(windowId), input, this.options);
  }

  async signIn(username: keyof typeof fixtures.users, windowId: number): Promise<void> {
    const result = await this.call('session:signIn', { username, password: fixtures.users[username].password }, windowId);
    expect(result.ok).toBe(true);
  }

  async ok<T = any>(channel: Channel, input: unknown, windowId: number): Promise<T> {
    const result = await this.call(channel, input, windowId);
    if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
    return result.data as T;
  }

  /** What was pushed since the last take, and forget it. */
  take(): Sent[] {
    return this.sent.splice(0);
  }

  to(windowId: number, event?: EventName): Sent[] {
    return this.sent.filter((s) => s.windowId === windowId && (!event || s.event === event));
  }
}

let requestKeys = 0;
function creditRequest(amountMinor: number, ticketId: string) {
  return { accountId: us, amountMinor, currency: 'USD', reason: 'GOODWILL', ticketId, idempotencyKey: `events-test-${++requestKeys}` };
}

describe('the publisher', () => {
  test('passes contract events to the transport and refuses any other name', () => {
    const transport = vi.fn();
    const publisher = new EventPublisher(transport, () => undefined);
    publisher.send(3, 'credits:changed', { requestIds: [7] });
    expect(transport).toHaveBeenCalledExactlyOnceWith(3, 'credits:changed', { requestIds: [7] });
    for (const name of ['ipc-internal', '__proto__', 'toString', 'credits:list', 'session:current', '']) {
      expect(() => publisher.send(3, name as never, {} as never), name).toThrow(TypeError);
    }
    expect(transport).toHaveBeenCalledTimes(1);
  });

  test('a window that cannot receive (closed meanwhile) is logged, not thrown to the caller', () => {
    const log = vi.fn();
    const publisher = new EventPublisher(() => {
      throw new Error('Object has been destroyed');
    }, log);
    expect(() => publisher.send(1, 'session:ended', { reason: 'idle', message: 'x' })).not.toThrow();
    expect(log).toHaveBeenCalledTimes(1);
  });
});

for (const engine of engines) {
  describe(engine, () => {
    let store: TestStore;
    const opened: (Runtime | EventPush)[] = [];

    beforeEach(async () => {
      store = await createTestStore({ engine, demo: true });
    });
    afterEach(async () => {
      for (const thing of opened.splice(0).reverse()) {
        if ('afterCall' in thing) await thing.stop();
        else await thing.close();
      }
      await store.close();
    });

    function openConsole(deps: ServiceDeps, settings?: { intervalMs?: number | null; testHooks?: boolean }): Console {
      const desk = new Console(deps, settings);
      opened.push(desk.push);
      return desk;
    }

    describe('session:ended', () => {
      test('the idle check ends a session nobody uses, records the sign-out and tells that window only', async () => {
        const desk = openConsole(store);
        await desk.signIn('ava', 1);
        await desk.signIn('sam', 2);
        store.clock.advanceMinutes(10);
        await desk.ok('cards:lookup', { serial: fixtures.cards.activeUS.serial }, 2);
        store.clock.advanceMinutes(6);
        desk.take();

        await desk.push.check();

        expect(desk.take()).toEqual([
          { windowId: 1, event: 'session:ended', payload: { reason: 'idle', message: IDLE_SIGN_OUT_MESSAGE } },
        ]);
        expect(desk.sessions.get(1)).toBeNull();
        expect(desk.sessions.get(2)).not.toBeNull();
        const locks = await store.db('audit_log').where({ action: 'session.idleLock' }).select('actor');
        expect(locks).toEqual([{ actor: 'ava' }]);

        // The window's next call still says why, and the sign-out is not recorded twice.
        expect(await desk.call('cards:lookup', { serial: fixtures.cards.activeUS.serial }, 1)).toEqual({
          ok: false,
          error: { code: 'UNAUTHENTICATED', message: IDLE_SIGN_OUT_MESSAGE, details: { reason: 'idle' } },
        });
        await desk.push.check();
        expect(await store.db('audit_log').where({ action: 'session.idleLock' }).select('actor')).toEqual([{ actor: 'ava' }]);
        expect(desk.take()).toEqual([]);

        // Signing in again there clears the reason.
        await desk.signIn('ava', 1);
        await desk.ok('session:signOut', {}, 1);
        expect(await desk.call('cards:lookup', { serial: fixtures.cards.activeUS.serial }, 1)).toMatchObject({
          ok: false,
          error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' },
        });
      });

      test('test:advanceClock past the idle limit pushes session:ended at once, without waiting for the interval', async () => {
        const deps = { ...store, clock: new OffsetClock() };
        const desk = openConsole(deps, { testHooks: true, intervalMs: 60_000 });
        await desk.signIn('ava', 1);
        await desk.signIn('sam', 2);
        desk.take();
        await desk.ok('test:advanceClock', { minutes: 16, keepSessions: false }, 2);
        await vi.waitFor(() => expect(desk.sent).toHaveLength(2), { timeout: 1000, interval: 10 });
        expect(desk.take().sort((a, b) => a.windowId - b.windowId)).toEqual([
          { windowId: 1, event: 'session:ended', payload: { reason: 'idle', message: IDLE_SIGN_OUT_MESSAGE } },
          { windowId: 2, event: 'session:ended', payload: { reason: 'idle', message: IDLE_SIGN_OUT_MESSAGE } },
        ]);
        await desk.push.settled();
        expect((await store.db('audit_log').where({ action: 'session.idleLock' }).select('actor')).map((r) => r.actor).sort()).toEqual([
          'ava',
          'sam',
        ]);

        // keepSessions (the default) is not idle time: nothing ends.
        await desk.signIn('ava', 1);
        desk.take();
        await desk.ok('test:advanceClock', { minutes: 60 }, 1);
        await desk.push.settled();
        expect(desk.take().filter((s) => s.event === 'session:ended')).toEqual([]);
      });

      test('a call that finds its own session idle pushes session:ended too', async () => {
        const desk = openConsole(store);
        await desk.signIn('ava', 1);
        store.clock.advanceMinutes(16);
        desk.take();
        expect(await desk.call('cards:lookup', { serial: fixtures.cards.activeUS.serial }, 1)).toMatchObject({
          ok: false,
          error: { code: 'UNAUTHENTICATED', details: { reason: 'idle' } },
        });
        expect(desk.take()).toEqual([{ windowId: 1, event: 'session:ended', payload: { reason: 'idle', message: IDLE_SIGN_OUT_MESSAGE } }]);
        expect(await store.db('audit_log').where({ action: 'session.idleLock' }).select('actor')).toEqual([{ actor: 'ava' }]);
      });
    });

    describe('credits:changed and credits:decided', () => {
      test('a request reaches every signed-in desk window; decisions by someone else reach the requester’s windows', async () => {
        // The sessions live through the 8-day jump below: a lifetime longer than the 12-hour default.
        await store.db('settings').insert({ key: 'limits.sessionMaxHours', value: JSON.stringify(9 * 24), updated_at: store.clock.now() });
        const desk = openConsole(store);
        await desk.signIn('ava', 1); // the requester
        await desk.signIn('sam', 2); // supervisor
        await desk.signIn('ava', 4); // the requester's second window
        await desk.signIn('sky', 5); // another supervisor
        await desk.signIn('ada', 6); // an admin: never reads credits
        // window 3 is not signed in
        await desk.push.settled();
        desk.take();

        const small = await desk.ok<{ id: number }>('credits:request', creditRequest(1250, 'T-9101'), 1);
        await desk.push.settled();
        expect(desk.take()).toEqual(
          [1, 2, 4, 5].map((windowId) => ({ windowId, event: 'credits:changed', payload: { requestIds: [small.id] } })),
        );

        await desk.ok('credits:approve', { requestId: small.id, idempotencyKey: 'events-approve-small' }, 2);
        await desk.push.settled();
        expect(desk.to(1, 'credits:decided')).toEqual([
          { windowId: 1, event: 'credits:decided', payload: { requestId: small.id, status: 'approved' } },
        ]);
        expect(desk.to(4, 'credits:decided')).toHaveLength(1);
        expect(desk.sent.filter((s) => s.event === 'credits:decided' && ![1, 4].includes(s.windowId))).toEqual([]);
        expect(desk.sent.filter((s) => s.event === 'credits:changed').map((s) => s.windowId)).toEqual([1, 2, 4, 5]);
        desk.take();

        // A refused second approval changes nothing and announces nothing again.
        expect(await desk.call('credits:approve', { requestId: small.id, idempotencyKey: 'events-approve-again' }, 5)).toMatchObject({
          ok: false,
          error: { code: 'REQUEST_NOT_PENDING' },
        });
        await desk.push.settled();
        expect(desk.sent.filter((s) => s.event === 'credits:decided')).toEqual([]);
        desk.take();

        // Dual approval: the first approval is a change, not a decision; the second decides.
        const large = await desk.ok<{ id: number }>('credits:request', creditRequest(30_000, 'T-9102'), 1);
        await desk.ok('credits:approve', { requestId: large.id, idempotencyKey: 'events-approve-large-1' }, 2);
        await desk.push.settled();
        expect(desk.sent.filter((s) => s.event === 'credits:decided')).toEqual([]);
        expect(desk.to(2, 'credits:changed').length).toBeGreaterThan(0);
        await desk.ok('credits:approve', { requestId: large.id, idempotencyKey: 'events-approve-large-2' }, 5);
        await desk.push.settled();
        expect(desk.to(1, 'credits:decided').map((s) => s.payload)).toEqual([{ requestId: large.id, status: 'approved' }]);
        desk.take();

        // Rejected by a supervisor: decided. Cancelled by the requester: changed only.
        const rejected = await desk.ok<{ id: number }>('credits:request', creditRequest(500, 'T-9103'), 4);
        await desk.ok('credits:reject', { requestId: rejected.id, reason: 'Not covered' }, 5);
        const cancelled = await desk.ok<{ id: number }>('credits:request', creditRequest(700, 'T-9104'), 1);
        await desk.ok('credits:cancel', { requestId: cancelled.id }, 1);
        await desk.push.settled();
        expect(desk.to(1, 'credits:decided').map((s) => s.payload)).toEqual([{ requestId: rejected.id, status: 'rejected' }]);
        expect(desk.to(4, 'credits:decided').map((s) => s.payload)).toEqual([{ requestId: rejected.id, status: 'rejected' }]);
        expect(desk.to(2, 'credits:changed').flatMap((s) => (s.payload as { requestIds: number[] }).requestIds)).toEqual(
          expect.arrayContaining([rejected.id, cancelled.id]),
        );
        expect(desk.to(6)).toEqual([]);
        expect(desk.to(3)).toEqual([]);
        desk.take();

        // Expired after 7 days (noticed on the next call that looks): decided, to the requester.
        const stale = await desk.ok<{ id: number }>('credits:request', creditRequest(900, 'T-9105'), 1);
        const eightDays = 8 * 24 * 60 * 60_000;
        store.clock.advance(eightDays);
        desk.sessions.shiftActivity(eightDays);
        await desk.ok('credits:list', { status: 'pending' }, 2);
        await desk.push.settled();
        expect(desk.to(1, 'credits:decided').map((s) => s.payload)).toEqual([{ requestId: stale.id, status: 'expired' }]);
        expect(desk.errors).toEqual([]);
      });

      test('changes recorded before the console started are not replayed', async () => {
        const before = openConsole(store);
        await before.signIn('ava', 1);
        const old = await before.ok<{ id: number }>('credits:request', creditRequest(1000, 'T-9201'), 1);
        await before.push.stop();

        const desk = openConsole(store);
        await desk.signIn('ava', 1);
        await desk.signIn('sam', 2);
        await desk.push.check();
        expect(desk.take().filter((s) => s.event !== 'session:ended')).toEqual([]);
        // …but what happens to that old request from now on is pushed.
        await desk.ok('credits:approve', { requestId: old.id, idempotencyKey: 'events-approve-old' }, 2);
        await desk.push.settled();
        expect(desk.to(1, 'credits:decided').map((s) => s.payload)).toEqual([{ requestId: old.id, status: 'approved' }]);
      });

      test('a change made by a second console on the same store arrives within the interval, without any call here', async () => {
        const here = openConsole(store, { intervalMs: 100 });
        const other = await startRuntime(store.config, { clock: store.clock });
        opened.push(other);
        const there = openConsole(other, { intervalMs: 100 });
        await here.signIn('sam', 1);
        await there.signIn('ava', 7);
        await here.push.settled();
        await there.push.settled();
        here.take();
        there.take();

        const request = await there.ok<{ id: number }>('credits:request', creditRequest(2000, 'T-9301'), 7);
        await vi.waitFor(() => expect(here.to(1, 'credits:changed')).toEqual([
          { windowId: 1, event: 'credits:changed', payload: { requestIds: [request.id] } },
        ]), { timeout: 3000, interval: 20 });

        await here.ok('credits:approve', { requestId: request.id, idempotencyKey: 'events-approve-remote' }, 1);
        await vi.waitFor(() => expect(there.to(7, 'credits:decided')).toEqual([
          { windowId: 7, event: 'credits:decided', payload: { requestId: request.id, status: 'approved' } },
        ]), { timeout: 3000, interval: 20 });
        expect(here.to(1, 'credits:decided')).toEqual([]);
        expect(here.errors).toEqual([]);
        expect(there.errors).toEqual([]);
      });

      test('checks asked for while one runs never overlap it: they coalesce into one more pass', async () => {
        const desk = openConsole(store);
        await desk.signIn('sam', 1);
        await desk.push.settled();
        let active = 0;
        let most = 0;
        let headReads = 0;
        const started = (query: { sql: string; __knexQueryUid: string }) => {
          if (!/audit_head|audit_log|credit_requests/.test(query.sql)) return;
          if (/audit_head/.test(query.sql)) headReads += 1;
          active += 1;
          most = Math.max(most, active);
        };
        const ended = () => void (active = Math.max(0, active - 1));
        store.db.on('query', started).on('query-response', ended).on('query-error', ended);
        try {
          await Promise.all([desk.push.check(), desk.push.check(), desk.push.check(), desk.push.check()]);
        } finally {
          store.db.off('query', started).off('query-response', ended).off('query-error', ended);
        }
        expect(most).toBe(1);
        expect(headReads).toBe(2);
      });

      test('a store that fails under the watcher is logged, not thrown', async () => {
        const other = await startRuntime(store.config, { clock: store.clock });
        const desk = openConsole(other);
        await desk.signIn('ava', 1);
        await desk.push.settled();
        await other.close();
        await expect(desk.push.check()).resolves.toBeUndefined();
        await expect(desk.push.check()).resolves.toBeUndefined();
        // One line per failing streak, not one per tick.
        expect(desk.errors).toHaveLength(1);
      });
    });
  });
}
