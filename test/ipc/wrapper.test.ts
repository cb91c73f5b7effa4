import { afterEach, beforeEach, describe, expect, expectTypeOf, test, vi } from 'vitest';
import { handlers } from '../../electron/ipc/handlers';
import { SessionStore, type Session } from '../../electron/ipc/sessions';
import { dispatch, INTERNAL_MESSAGE, registerChannels, type CallContext, type Handlers, type WrapperOptions } from '../../electron/ipc/wrapper';
import { OffsetClock, type Actor } from '../../electron/services/context';
import { windowEvent, wrapperOptions } from '../support/ipc';
import { exposedSurface } from '../support/surface';
import { buildApi, channels, contract, eventNames, type Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import { demoFixtures } from '../../electron/services/demo';
import { createTestStore, engines, type TestStore } from '../support/store';

const fixtures = demoFixtures();

let store: TestStore;
let sessions: SessionStore;
let log: ReturnType<typeof vi.fn<(channel: string, error: unknown) => void>>;

function options(overrides: Partial<WrapperOptions> = {}): WrapperOptions {
  return wrapperOptions(store, { sessions, appVersion: '9.9.9', log, ...overrides });
}

const event = windowEvent;

async function call(channel: Channel, input: unknown, ev = event(), opts = options()): Promise<Envelope<any>> {
  return dispatch(channel, ev, input, opts);
}

async function signInAs(username: keyof typeof fixtures.users, windowId = 1) {
  const result = await call('session:signIn', { username, password: fixtures.users[username].password }, event(windowId));
  expect(result.ok).toBe(true);
}

for (const engine of engines) {
  describe(engine, () => {
    beforeEach(async () => {
      store = await createTestStore({ engine, demo: true });
      sessions = new SessionStore();
      log = vi.fn<(channel: string, error: unknown) => void>();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('sender check', () => {
      test('a frame from another origin is refused before anything runs', async () => {
        const before = await store.db('audit_log').count({ n: '*' }).first();
        for (const url of ['https://evil.example/index.html', 'file:///tmp/index.html', 'app://giftdesk.evil/index.html']) {
          const result = await call('session:signIn', { username: 'ava', password: 'ava-demo' }, event(1, url));
          expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'This window is not allowed to use Giftdesk channels.' } });
        }
        expect(await call('app:info', {}, event(1, null))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(sessions.get(1)).toBeNull();
        expect(await store.db('audit_log').count({ n: '*' }).first()).toEqual(before);
      });

      test('a sub-frame of the app, even at the app origin, is refused: only the main frame calls', async () => {
        const before = await store.db('audit_log').count({ n: '*' }).first();
        const frame = { sender: { id: 1 }, senderFrame: { url: 'app://giftdesk/index.html', parent: { url: 'app://giftdesk/index.html' } } };
        expect(await call('session:signIn', { username: 'ava', password: 'ava-demo' }, frame)).toEqual({
          ok: false,
          error: { code: 'FORBIDDEN', message: 'This window is not allowed to use Giftdesk channels.' },
        });
        expect(sessions.get(1)).toBeNull();
        expect(await store.db('audit_log').count({ n: '*' }).first()).toEqual(before);
      });
    });

    describe('session and role', () => {
      test('signed out: every non-public channel answers UNAUTHENTICATED', async () => {
        for (const channel of channels.filter((c) => contract[c].roles !== 'public')) {
          const result = await call(channel, {});
          expect(result, channel).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } });
        }
        expect(await call('app:info', {})).toMatchObject({ ok: true, data: { version: '9.9.9', store: engine } });
        expect(await call('session:current', {})).toEqual({ ok: true, data: null });
      });

      test('a role the contract does not list is refused', async () => {
        await signInAs('ada');
        expect(await call('cards:lookup', { serial: fixtures.cards.activeUS.serial })).toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN', details: { role: 'admin' } },
        });
        await signInAs('ava', 2);
        expect(await call('audit:list', {}, event(2))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await call('credits:approve', { requestId: 1, idempotencyKey: 'agent-tries-1' }, event(2))).toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN' },
        });
        expect(await call('recovery:unlock', { serial: fixtures.cards.activeUS.serial, reason: 'because' }, event(2))).toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN' },
        });
        expect(await call('audit:list', {}, event(1))).toMatchObject({ ok: true });
      });

      test('sessions are per window', async () => {
        await signInAs('ava', 1);
        expect(await call('cards:lookup', { serial: fixtures.cards.activeUS.serial }, event(1))).toMatchObject({ ok: true });
        expect(await call('cards:lookup', { serial: fixtures.cards.activeUS.serial }, event(2))).toMatchObject({
          ok: false,
          error: { code: 'UNAUTHENTICATED' },
        });
        expect(await call('session:current', {}, event(1))).toMatchObject({ ok: true, data: { user: { username: 'ava' } } });
      });

      test('sign-out ends the session and is audited', async () => {
        await signInAs('sam');
        expect(await call('session:signOut', {})).toEqual({ ok: true, data: { signedOut: true } });
        expect(await call('audit:list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
        const last = await store.db('audit_log').orderBy('seq', 'desc').first();
        expect(last).toMatchObject({ action: 'session.signOut', actor: 'sam' });
      });

      test('signing in over a session: a failure keeps it; another user ends it on the record; the same user does not', async () => {
        await signInAs('ava');
        expect(await call('session:signIn', { username: 'sam', password: 'wrong' })).toMatchObject({ ok: false, error: { code: 'SIGN_IN_FAILED' } });
        expect(await call('session:current', {})).toMatchObject({ ok: true, data: { user: { username: 'ava' } } });
        await signInAs('ava');
        await signInAs('sam');
        expect(await call('session:current', {})).toMatchObject({ ok: true, data: { user: { username: 'sam' } } });
        const trail = await store.db('audit_log').orderBy('seq').select('action', 'actor', 'subject_id');
        expect(trail.slice(-5)).toEqual([
          { action: 'session.signIn', actor: 'ava', subject_id: 'ava' },
          { action: 'session.signIn.failed', actor: null, subject_id: 'sam' },
          { action: 'session.signIn', actor: 'ava', subject_id: 'ava' },
          { action: 'session.signIn', actor: 'sam', subject_id: 'sam' },
          { action: 'session.signOut', actor: 'ava', subject_id: 'ava' },
        ]);
      });

      test('background polling (a passive channel) does not keep a session awake', async () => {
        await signInAs('sam');
        store.clock.advanceMinutes(10);
        expect(await call('session:current', {})).toMatchObject({ ok: true, data: { user: { username: 'sam' } } });
        expect(await call('credits:pendingCount', {})).toMatchObject({ ok: true });
        store.clock.advanceMinutes(6);
        expect(await call('credits:pendingCount', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'idle' } } });
        expect(await call('session:current', {})).toEqual({ ok: true, data: null });
      });

      test('after 15 idle minutes the session is locked and the reason given', async () => {
        await signInAs('ava');
        store.clock.advanceMinutes(14);
        expect(await call('cards:lookup', { serial: fixtures.cards.activeUS.serial })).toMatchObject({ ok: true });
        store.clock.advanceMinutes(15.5);
        expect(await call('cards:lookup', { serial: fixtures.cards.activeUS.serial })).toMatchObject({
          ok: false,
          error: { code: 'UNAUTHENTICATED', details: { reason: 'idle' } },
        });
        expect(await store.db('audit_log').where({ action: 'session.idleLock', actor: 'ava' }).first()).toBeDefined();
      });
    });

    describe('audit', () => {
      test('verifying the chain is itself on record, with what it found', async () => {
        await signInAs('sam');
        const result = await call('audit:verify', {});
        expect(result).toMatchObject({ ok: true, data: { intact: true } });
        const last = await store.db('audit_log').orderBy('seq', 'desc').first();
        expect(last).toMatchObject({ action: 'audit.verified', actor: 'sam' });
        expect(JSON.parse(last.details)).toEqual({ intact: true, checked: result.ok ? result.data.checked : -1 });
      });
    });

    describe('input validation', () => {
      test('invalid input answers VALIDATION_FAILED with the field paths', async () => {
        const result = await call('session:signIn', { username: '   ', password: 42 });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('VALIDATION_FAILED');
        expect(((result.error.details?.['fields'] ?? []) as { path: string }[]).map((f) => f.path)).toEqual(['username', 'password']);
        expect(result.error.message).toBe('Enter your username.');
      });

      test('unknown fields and wrong types are refused, nested paths joined with dots', async () => {
        await signInAs('sam');
        const extra = await call('cards:lookup', { serial: '1', extra: true });
        expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        const limit = await call('audit:list', { limit: 1000 });
        expect(limit).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { fields: [{ path: 'limit' }] } } });
        const notObject = await call('cards:lookup', 'oops');
        expect(notObject).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { fields: [{ path: '(input)' }] } } });
      });

      test('domain errors pass through with their code and details', async () => {
        await signInAs('ava');
        expect(await call('cards:lookup', { serial: '1700' })).toMatchObject({ ok: false, error: { code: 'SERIAL_INVALID' } });
        expect(await call('cards:lookup', { serial: fixtures.typoOfActiveUS.typed })).toMatchObject({
          ok: false,
          error: { code: 'CARD_NOT_FOUND', details: { suggestions: [fixtures.typoOfActiveUS.suggests] } },
        });
        expect(await call('session:signIn', { username: 'ava', password: 'nope' })).toMatchObject({
          ok: false,
          error: { code: 'SIGN_IN_FAILED' },
        });
      });
    });

    describe('failures', () => {
      test('a throwing service answers INTERNAL with no stack or message leaking', async () => {
        const broken: Handlers = {
          ...handlers,
          'cards:lookup': async () => {
            throw new Error('SQLITE_CORRUPT at /home/secret/path.sqlite');
          },
        };
        await signInAs('ava');
        const result = await call('cards:lookup', { serial: fixtures.cards.activeUS.serial }, event(), options({ handlers: broken }));
        expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } });
        expect(JSON.stringify(result)).not.toMatch(/secret|SQLITE|at /);
        expect(log).toHaveBeenCalledTimes(1);
      });

      test('a store that cannot open answers STORE_UNAVAILABLE with the reason', async () => {
        const { AppError } = await import('../../shared/errors');
        const down = options({
          deps: async () => {
            throw new AppError('STORE_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:5432');
          },
        });
        expect(await call('app:info', {}, event(), down)).toEqual({
          ok: false,
          error: { code: 'STORE_UNAVAILABLE', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
        });
      });
    });
  });
}

describe('the exposed surface', () => {
  test('registers every contract channel and nothing else', () => {
    const registered: string[] = [];
    registerChannels({ handle: (channel) => void registered.push(channel) }, options());
    expect(registered.sort()).toEqual([...channels].sort());
  });

  test('channels and their roles (a new channel must change this list on purpose)', () => {
    expect(Object.fromEntries(channels.map((c) => [c, contract[c].roles]))).toMatchInlineSnapshot(`
      {
        "accounts:get": [
          "agent",
          "supervisor",
        ],
        "accounts:search": [
          "agent",
          "supervisor",
        ],
        "app:info": "public",
        "audit:export": [
          "supervisor",
          "admin",
        ],
        "audit:list": [
          "supervisor",
          "admin",
        ],
        "audit:verify": [
          "supervisor",
          "admin",
        ],
        "cards:balance": [
          "agent",
          "supervisor",
        ],
        "cards:import": [
          "admin",
        ],
        "cards:importCancel": [
          "admin",
        ],
        "cards:lookup": [
          "agent",
          "supervisor",
        ],
        "cards:redeem": [
          "agent",
          "supervisor",
        ],
        "credits:approve": [
          "supervisor",
        ],
        "credits:cancel": [
          "agent",
          "supervisor",
        ],
        "credits:limits": [
          "agent",
          "supervisor",
        ],
        "credits:list": [
          "agent",
          "supervisor",
        ],
        "credits:pendingCount": [
          "agent",
          "supervisor",
        ],
        "credits:reject": [
          "supervisor",
        ],
        "credits:request": [
          "agent",
          "supervisor",
        ],
        "dashboard:summary": [
          "supervisor",
          "admin",
        ],
        "limits:get": [
          "admin",
        ],
        "limits:set": [
          "admin",
        ],
        "pii:reveal": [
          "agent",
          "supervisor",
        ],
        "recovery:resolve": [
          "agent",
          "supervisor",
        ],
        "recovery:unlock": [
          "supervisor",
        ],
        "recovery:verify": [
          "agent",
          "supervisor",
        ],
        "session:changePassword": [
          "agent",
          "supervisor",
          "admin",
        ],
        "session:current": "public",
        "session:signIn": "public",
        "session:signOut": [
          "agent",
          "supervisor",
          "admin",
        ],
        "setup:createAdmin": "public",
        "setup:status": "public",
        "test:advanceClock": "public",
        "users:create": [
          "admin",
        ],
        "users:list": [
          "admin",
        ],
        "users:resetPassword": [
          "admin",
        ],
        "users:unlock": [
          "admin",
        ],
        "users:update": [
          "admin",
        ],
      }
    `);
  });

  test('the preload API mirrors the contract: giftdesk.<domain>.<verb> invokes <domain>:<verb>', async () => {
    const invoked: [string, unknown][] = [];
    const api = buildApi(
      async (channel, input) => {
        invoked.push([channel, input]);
        return { ok: true, data: null };
      },
      () => () => undefined,
    );
    const { on, ...calls } = api;
    expect(typeof on).toBe('function');
    expect(Object.fromEntries(Object.entries(calls).map(([d, verbs]) => [d, Object.keys(verbs).sort()]))).toEqual(exposedSurface);
    await api.cards.lookup({ serial: '1700' });
    await api.session.current();
    expect(invoked).toEqual([
      ['cards:lookup', { serial: '1700' }],
      ['session:current', {}],
    ]);
  });

  test('giftdesk.on passes only contract events, and only functions, to the transport', () => {
    const subscribed: string[] = [];
    let unsubscribed = 0;
    const api = buildApi(
      async () => ({ ok: true, data: null }),
      (name) => {
        subscribed.push(name);
        return () => (unsubscribed += 1);
      },
    );
    const off = api.on('credits:changed', () => undefined);
    off();
    expect(subscribed).toEqual(['credits:changed']);
    expect(unsubscribed).toBe(1);
    expect(() => api.on('ipc-internal' as never, () => undefined)).toThrow(/unknown Giftdesk event/);
    expect(() => api.on('__proto__' as never, () => undefined)).toThrow(/unknown Giftdesk event/);
    expect(() => api.on('session:ended', 'not a function' as never)).toThrow(/must be a function/);
    expect(subscribed).toEqual(['credits:changed']);
    expect([...eventNames].sort()).toEqual(['cards:importProgress', 'credits:changed', 'credits:decided', 'session:ended']);
  });
});

describe('the handler context', () => {
  test('a channel that needs a session gets its actor by type; a public one may have none', () => {
    // Checked by tsc: handlers never test for a missing actor.
    expectTypeOf<CallContext<'cards:redeem'>['actor']>().toEqualTypeOf<Actor>();
    expectTypeOf<CallContext<'session:signOut'>['session']>().toEqualTypeOf<Session>();
    expectTypeOf<CallContext<'audit:verify'>['actor']>().toEqualTypeOf<Actor>();
    expectTypeOf<CallContext<'session:signIn'>['actor']>().toEqualTypeOf<Actor | null>();
    expectTypeOf<CallContext<'app:info'>['session']>().toEqualTypeOf<Session | null>();
  });
});

describe('test hooks', () => {
  test('test-only channels are refused unless test hooks are on', async () => {
    const own = await createTestStore({ engine: 'sqlite' });
    try {
      const clock = new OffsetClock();
      const off = wrapperOptions({ ...own, clock });
      expect(await dispatch('test:advanceClock', windowEvent(), { minutes: 5 }, off)).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Test hooks are off: this channel exists only for automated tests.' },
      });
      const before = clock.now().getTime();
      const on = wrapperOptions({ ...store, clock }, { testHooks: () => true });
      const moved = await dispatch('test:advanceClock', windowEvent(), { minutes: 31 }, on);
      expect(moved.ok).toBe(true);
      expect(clock.now().getTime() - before).toBeGreaterThanOrEqual(31 * 60_000);
    } finally {
      await own.close();
    }
  });
});
