/** Calling channels through the real IPC wrapper in tests, as a window of the app would. */
import { afterEach, beforeEach, expect } from 'vitest';
import { handlers } from '../../electron/ipc/handlers';
import { SessionStore } from '../../electron/ipc/sessions';
import { dispatch, type IpcEventLike, type WrapperOptions } from '../../electron/ipc/wrapper';
import type { ServiceDeps } from '../../electron/services/context';
import { demoFixtures } from '../../electron/services/demo';
import type { Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import type { Engine } from './engines';
import { createTestStore, type TestStore } from './store';

export const APP_URL = 'app://giftdesk/index.html';

export function wrapperOptions(deps: ServiceDeps, overrides: Partial<WrapperOptions> = {}): WrapperOptions {
  return {
    handlers,
    sessions: new SessionStore(),
    deps: async () => deps,
    isTrustedSender: (url) => url.startsWith('app://giftdesk/'),
    testHooks: () => false,
    appVersion: 'test',
    log: () => undefined,
    ...overrides,
  };
}

/** The event Electron gives a handler for a call from window `windowId` showing `url`. */
export function windowEvent(windowId = 1, url: string | null = APP_URL): IpcEventLike {
  return { sender: { id: windowId }, senderFrame: url === null ? null : { url, parent: null } };
}

/** A window of the app: calls channels through one wrapper (one session store). */
export function appWindow(options: WrapperOptions, windowId = 1) {
  return (channel: Channel, input: unknown): Promise<Envelope<any>> => dispatch(channel, windowEvent(windowId), input, options);
}

export type DemoUsername = keyof ReturnType<typeof demoFixtures>['users'];

/** A fresh store per test and windows calling through one wrapper (one session store). */
export interface Desk {
  readonly store: TestStore;
  readonly sessions: SessionStore;
  readonly options: WrapperOptions;
  /** A call from window `windowId` (default 1). */
  call(channel: Channel, input: unknown, windowId?: number): Promise<Envelope<any>>;
  /** Signs window `windowId` (default 1) in as a demo user with the published password; the sign-in must succeed. */
  signInAs(username: DemoUsername, windowId?: number): Promise<Envelope<any>>;
}

/**
 * Registers the hooks of an IPC test on `engine`: before each test a new store (the demo
 * dataset unless `demo: false`), session store and wrapper (with `wrapper` over the test
 * defaults); after it the store is closed. Read the fields inside tests.
 */
export function useDesk(engine: Engine, settings: { demo?: boolean; wrapper?: Partial<WrapperOptions> } = {}): Desk {
  let current: { store: TestStore; sessions: SessionStore; options: WrapperOptions } | null = null;
  const now = () => {
    if (!current) throw new Error('the desk is set up before each test: use it inside a test or hook');
    return current;
  };
  beforeEach(async () => {
    const store = await createTestStore({ engine, demo: settings.demo ?? true });
    const sessions = new SessionStore();
    current = { store, sessions, options: wrapperOptions(store, { sessions, ...settings.wrapper }) };
  });
  afterEach(async () => {
    await current?.store.close();
    current = null;
  });
  const call = (channel: Channel, input: unknown, windowId = 1) => dispatch(channel, windowEvent(windowId), input, now().options);
  return {
    get store() {
      return now().store;
    },
    get sessions() {
      return now().sessions;
    },
    get options() {
      return now().options;
    },
    call,
    async signInAs(username, windowId = 1) {
      const result = await call('session:signIn', { username, password: demoFixtures().users[username].password }, windowId);
      expect(result, `${username} signs in`).toMatchObject({ ok: true });
      return result;
    },
  };
}
