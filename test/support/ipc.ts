/** Calling channels through the real IPC wrapper in tests, as a window of the app would. */
import { handlers } from '../../electron/ipc/handlers';
import { SessionStore } from '../../electron/ipc/sessions';
import { dispatch, type IpcEventLike, type WrapperOptions } from '../../electron/ipc/wrapper';
import type { ServiceDeps } from '../../electron/services/context';
import type { Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';

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
