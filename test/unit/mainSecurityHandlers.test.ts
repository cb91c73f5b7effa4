/**
 * The security handlers electron/main.ts installs on every web contents, called directly.
 * The Playwright harness routes what a page does to these same handlers, but some events
 * a page cannot provoke there: a server redirect (every navigation the page starts is
 * already stopped at will-navigate, and the app:// protocol never redirects) and a
 * <webview> (not a Chromium element). So they are asked here, on main's own handlers,
 * with the harness's Electron stand-in (test/e2e/harness/electron-adapter.cjs) in place of
 * `electron`; `ready` is never emitted, so no store opens and no window loads.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

interface Cancellable {
  defaultPrevented: boolean;
  preventDefault(): void;
}
interface FakeContents {
  emit(event: string, ...args: unknown[]): boolean;
  windowOpenHandler: ((details: Record<string, unknown>) => { action: string }) | null;
}
interface Adapter {
  electron: { BrowserWindow: new (options: object) => { webContents: FakeContents } } & Record<string, unknown>;
}

const adapter = vi.hoisted(async () => {
  const { createRequire } = await import('node:module');
  const { createElectronAdapter } = createRequire(import.meta.url)('../e2e/harness/electron-adapter.cjs') as {
    createElectronAdapter(options: { userDataDir: string; appVersion: string; appName: string }): unknown;
  };
  return createElectronAdapter({ userDataDir: '/nonexistent', appVersion: '0.0.0', appName: 'Giftdesk' }) as Adapter;
});
vi.mock('electron', async () => (await adapter).electron);

function cancellable(): Cancellable {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

const TARGETS = [
  'https://example.com/phish',
  'http://127.0.0.1:8080/',
  'app://giftdesk/index.html', // even the app's own origin: the page has no reason to navigate
  'file:///etc/passwd',
  'javascript:alert(1)',
  'about:blank',
];

describe('main’s handlers on every new web contents', () => {
  let contents: FakeContents;
  beforeAll(async () => {
    await import('../../electron/main');
    const { BrowserWindow } = (await adapter).electron;
    // Any web contents, not only main's windows: Electron emits web-contents-created for each.
    contents = new BrowserWindow({}).webContents;
  });

  it.each(TARGETS)('will-navigate to %s is prevented', (url) => {
    const event = cancellable();
    contents.emit('will-navigate', event, url, false, true, 1, 1);
    expect(event.defaultPrevented).toBe(true);
  });

  it.each(TARGETS)('a server redirect to %s is prevented (will-redirect)', (url) => {
    const event = cancellable();
    contents.emit('will-redirect', event, url, false, true, 1, 1);
    expect(event.defaultPrevented).toBe(true);
  });

  it('a <webview> is never attached', () => {
    const event = cancellable();
    contents.emit('will-attach-webview', event, { preload: '/tmp/evil.js', nodeIntegration: true }, { src: 'https://example.com' });
    expect(event.defaultPrevented).toBe(true);
  });

  it.each(TARGETS)('window.open / target=_blank to %s is denied', (url) => {
    expect(contents.windowOpenHandler).not.toBeNull();
    for (const disposition of ['foreground-tab', 'background-tab', 'new-window', 'other']) {
      expect(contents.windowOpenHandler!({ url, frameName: '', features: '', disposition, referrer: { url: '', policy: 'default' } })).toEqual({ action: 'deny' });
    }
  });
});
