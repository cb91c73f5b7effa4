/**
 * Starting Giftdesk for a spec, in either mode, behind one interface: a tester asks
 * for `firstWindow()` / `newWindow()` and gets a Playwright Page showing the console.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { _electron, type Browser, type BrowserContext, type Frame, type LaunchOptions, type Page, type Route } from '@playwright/test';

export const ROOT = path.resolve(__dirname, '../../..');
const HOST = path.join(ROOT, 'test/e2e/harness/main-host.cjs');
const PRELOAD = path.join(ROOT, 'out/preload/index.js');

export type LaunchMode = 'harness' | 'electron';

export interface SecurityReport {
  webPreferences: { contextIsolation: boolean; sandbox: boolean; nodeIntegration: boolean; webSecurity: boolean };
  navigationPrevented: boolean;
  /** main's will-redirect handler stopped a server redirect. */
  redirectPrevented: boolean;
  /** main's will-attach-webview handler stopped a <webview>. */
  webviewPrevented: boolean;
  windowOpenDenied: boolean;
  permissionDenied: boolean;
}

/** A canned answer of the outside world (there is no internet here). */
export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * The internet as a spec sees it: nothing answers (as on these machines) except the
 * URLs a spec serves, and every request that reached it is logged, so a spec can show
 * an attack did not even get a request out, and fails if a defence is missing (a
 * page that navigated there would show the canned page instead of a network error).
 */
export interface FakeWeb {
  serve(url: string, response: FakeResponse): void;
  /** Every outside URL the browser asked for, in order (served or not). */
  requests(): string[];
}

export interface GiftdeskApp {
  readonly mode: LaunchMode;
  readonly dataDir: string;
  firstWindow(): Promise<Page>;
  /** Opens another console window the way a user does (File › New Window). */
  newWindow(): Promise<Page>;
  securityReport(page: Page): Promise<SecurityReport>;
  /** The outside world of this console's pages. */
  readonly web: FakeWeb;
  /** The windows main has open (their count changes only when main opens or closes one). */
  windowCount(): Promise<number>;
  /**
   * Harness only: runs the REAL preload in `frame` (a subframe) the way Electron would
   * with `nodeIntegrationInSubFrames: true`, so its calls reach main from that frame.
   */
  preloadInSubFrame?(page: Page, frame: Frame): Promise<void>;
  /** Harness only: the sender frame main received with each recent IPC call (Electron's `event.senderFrame`). */
  ipcSenders?(): Promise<{ channel: string; senderFrame: { url: string; parent: { url: string } | null } | null }[]>;
  /** What the main process printed, for failure reports. */
  output(): string;
  /** Uncaught errors and console errors in any window (CSP violations included). */
  pageErrors(): string[];
  close(): Promise<void>;
}

export function chromiumLaunchOptions(): LaunchOptions {
  const debian = '/usr/bin/chromium';
  return {
    ...(existsSync(debian) ? { executablePath: debian } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}

function fakeWeb(): FakeWeb & { answer(route: Route, url: string): Promise<void> } {
  const served = new Map<string, FakeResponse>();
  const log: string[] = [];
  return {
    serve(url, response) {
      served.set(url, response);
    },
    requests: () => [...log],
    async answer(route, url) {
      log.push(url);
      const response = served.get(url);
      if (!response) return route.abort('internetdisconnected');
      return route.fulfill({ status: response.status ?? 200, headers: response.headers ?? { 'content-type': 'text/html' }, body: response.body ?? '' });
    },
  };
}

/**
 * The page-side stand-in for Electron's preload environment: runs the REAL preload bundle,
 * in a window's main frame only (Electron's default, nodeIntegrationInSubFrames off) unless
 * `subFrames` models that option on.
 */
export function preloadShim(windowId: number, preloadSource: string, options: { subFrames?: boolean } = {}): string {
  return `(() => {
  if (window.top !== window && !${JSON.stringify(options.subFrames === true)}) return;
  const windowId = ${JSON.stringify(windowId)};
  async function invoke(channel, ...args) {
    const response = await fetch('/__giftdesk/ipc', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ windowId, channel, args }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error);
    return body.result;
  }
  const freeze = (value) => {
    if (value && typeof value === 'object') Object.values(value).forEach(freeze);
    return Object.freeze(value);
  };
  // Main → renderer (webContents.send): one server-sent event stream per page, opened at
  // the first subscription; each message goes to the listeners registered when it
  // arrives, called with (event, ...args) like Electron's ipcRenderer.
  const listeners = new Map();
  let stream = null;
  function connect() {
    if (stream) return;
    stream = new EventSource('/__giftdesk/events?windowId=' + windowId + '&since=' + Date.now());
    stream.onmessage = (message) => {
      const { channel, args } = JSON.parse(message.data);
      for (const listener of [...(listeners.get(channel) || [])]) listener({ sender: ipcRenderer, ports: [] }, ...args);
    };
  }
  const ipcRenderer = {
    invoke,
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, []);
      listeners.get(channel).push(listener);
      connect();
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      const list = listeners.get(channel) || [];
      const at = list.lastIndexOf(listener);
      if (at >= 0) list.splice(at, 1);
      return ipcRenderer;
    },
  };
  ipcRenderer.off = ipcRenderer.removeListener;
  const electron = {
    contextBridge: {
      exposeInMainWorld(key, api) {
        Object.defineProperty(window, key, { value: freeze(api), enumerable: true, configurable: false, writable: false });
      },
    },
    ipcRenderer,
  };
  const require = (id) => {
    if (id === 'electron') return electron;
    throw new Error('a sandboxed preload cannot require ' + id);
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${preloadSource}
  })(require, module, module.exports);
})();`;
}

/** Electron permission → the Chromium permissions Playwright grants for it. */
const CHROMIUM_PERMISSIONS: Record<string, string[]> = {
  geolocation: ['geolocation'],
  media: ['camera', 'microphone'],
  notifications: ['notifications'],
  'clipboard-read': ['clipboard-read'],
  'clipboard-sanitized-write': ['clipboard-write'],
  midi: ['midi', 'midi-sysex'],
};

/** Grants in Chromium what main's permission handlers grant (a request or a check): nothing, for a sound main. */
async function grantWhatMainGrants(context: BrowserContext, answers: Record<string, { request: boolean | null; check: boolean }>) {
  const granted = Object.entries(answers)
    .filter(([, answer]) => answer.request === true || answer.check === true)
    .flatMap(([permission]) => CHROMIUM_PERMISSIONS[permission] ?? []);
  if (granted.length > 0) await context.grantPermissions(granted);
}

function watchPage(page: Page, errors: string[]) {
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
}

/**
 * Runs the real main process once with GIFTDESK_DEMO=1 into `dir` and quits it, leaving
 * a seeded store (database + key file). Tests copy it instead of seeding again.
 */
export async function prepareDemoTemplate(dir: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [HOST], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      GIFTDESK_DEMO: '1',
      GIFTDESK_DATA_DIR: dir,
      GIFTDESK_HARNESS_USER_DATA: path.join(dir, 'user-data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('GIFTDESK_HARNESS_READY')) child.kill('SIGTERM');
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding the demo template failed (${code}):\n${output}`))));
  });
  return dir;
}

export async function launchHarness(options: { browser: Browser; dataDir: string; env: Record<string, string> }): Promise<GiftdeskApp> {
  if (!existsSync(path.join(ROOT, 'out/main/index.js'))) throw new Error('Build first: npm run build');
  const child = spawn(process.execPath, [HOST], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...options.env,
      GIFTDESK_DATA_DIR: options.dataDir,
      GIFTDESK_HARNESS_USER_DATA: path.join(options.dataDir, 'user-data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the harness did not start in time:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /GIFTDESK_HARNESS_READY (\{.*\})/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve((JSON.parse(ready[1]!) as { port: number }).port);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the harness exited with code ${code}:\n${output}`));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const control = async <T>(route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}/__giftdesk/${route}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`harness ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const preload = await readFile(PRELOAD, 'utf8');
  const context = await options.browser.newContext({ viewport: { width: 1280, height: 840 } });
  // Chromium grants a permission exactly when main's session handlers would (Electron asks them).
  await grantWhatMainGrants(context, await control<Record<string, { request: boolean | null; check: boolean }>>('permissions'));
  const errors: string[] = [];
  let first: Promise<Page> | null = null;
  const web = fakeWeb();
  /** The page showing each of main's windows. */
  const windowOf = new Map<Page, number>();
  /** Pages main is loading itself (its loadURL): Electron emits no will-navigate for those. */
  const loadingByMain = new Set<Page>();
  /** A page a window's page opened (window.open, target=_blank): main's setWindowOpenHandler decides, once. */
  const popups = new Map<Page, Promise<boolean>>();

  function popupAllowed(popup: Page, url: string): Promise<boolean> {
    let decision = popups.get(popup);
    if (!decision) {
      decision = (async () => {
        // A noopener popup (target=_blank) may report no opener: Electron still asks its opener's handler.
        const opener = await popup.opener().catch(() => null);
        const id = (opener && windowOf.get(opener)) ?? windowOf.values().next().value;
        const { action } = id === undefined ? { action: 'deny' } : await control<{ action: string }>('window-open', { id, url, disposition: 'new-window' });
        return action !== 'deny';
      })();
      popups.set(popup, decision);
    }
    return decision;
  }

  /**
   * What Electron's browser process does with each request of a console's pages, at the
   * browser level (a page's script cannot bypass it):
   *  - a window's main frame navigating on its own (link, location, meta refresh, form):
   *    main's will-navigate handlers decide; a reload, or main's own load, is not asked;
   *  - a page a window's page opened: main's setWindowOpenHandler decides;
   *  - an IPC call: tagged with the frame the browser attributes it to (main's senderFrame);
   *  - anything outside the app: the fake internet (`web`).
   */
  await context.route('**/*', async (route, request) => {
    const url = request.url();
    let frame: Frame | null = null;
    try {
      frame = request.frame();
    } catch {
      frame = null; // a service worker's request
    }
    const page = frame ? frame.page() : null;
    if (!frame && request.isNavigationRequest()) {
      // A navigation issued before its frame exists: a new window's first load (window.open,
      // a target=_blank link). Main's setWindowOpenHandler decides; the 'page' listener
      // below closes the refused window once Playwright reports it.
      const id = windowOf.values().next().value;
      const { action } = id === undefined ? { action: 'deny' } : await control<{ action: string }>('window-open', { id, url, disposition: 'new-window' });
      if (action === 'deny') return route.abort('blockedbyclient');
    }
    if (page && frame && request.isNavigationRequest() && frame.parentFrame() === null) {
      const id = windowOf.get(page);
      if (id === undefined) {
        if (!(await popupAllowed(page, url))) {
          await route.abort('blockedbyclient').catch(() => undefined);
          await page.close().catch(() => undefined);
          return;
        }
      } else if (!loadingByMain.has(page) && url !== frame.url()) {
        const { prevented } = await control<{ prevented: boolean }>('navigate', { id, url, kind: 'navigate' });
        // Electron cancels the navigation before it starts and the page stays as it was;
        // a 204 answer is Chromium's way to the same end (an abort would show an error page).
        if (prevented) return route.fulfill({ status: 204 });
      }
    }
    if (url === `${base}/__giftdesk/ipc`) {
      const headers = { ...request.headers() };
      delete headers['x-giftdesk-sender-frame'];
      if (frame) {
        const parent = frame.parentFrame();
        headers['x-giftdesk-sender-frame'] = JSON.stringify({ url: frame.url(), parentUrl: parent ? parent.url() : null });
      }
      return route.continue({ headers });
    }
    if (url.startsWith(`${base}/`)) return route.continue();
    if (url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    return web.answer(route, url);
  });
  let ownPagesOpening = 0;
  context.on('page', (page) => {
    // A page the harness opens for one of main's windows, or else a pop-up.
    if (ownPagesOpening > 0) {
      ownPagesOpening -= 1;
      return;
    }
    setTimeout(() => {
      if (windowOf.has(page) || page.isClosed()) return;
      void popupAllowed(page, page.url()).then((allowed) => (allowed || windowOf.has(page) ? undefined : page.close().catch(() => undefined)));
    }, 0);
  });

  async function open(win: { id: number; url: string }): Promise<Page> {
    ownPagesOpening += 1;
    const page = await context.newPage();
    windowOf.set(page, win.id);
    watchPage(page, errors);
    await page.addInitScript({ content: preloadShim(win.id, preload) });
    page.once('close', () => {
      control('windows/close', { id: win.id }).catch(() => undefined);
    });
    const url = new URL(win.url);
    loadingByMain.add(page);
    try {
      await page.goto(`${base}${url.pathname}${url.search}`);
    } finally {
      loadingByMain.delete(page);
    }
    return page;
  }

  return {
    mode: 'harness',
    dataDir: options.dataDir,
    firstWindow() {
      first ??= control<{ id: number; url: string }[]>('windows').then((wins) => open(wins[0]!));
      return first;
    },
    async newWindow() {
      const { opened } = await control<{ opened: { id: number; url: string }[] }>('menu', { id: 'new-window' });
      if (opened.length !== 1) throw new Error('File › New Window did not open a window');
      return open(opened[0]!);
    },
    async securityReport(page) {
      const report = await control<{
        windows: { webPreferences: SecurityReport['webPreferences'] }[];
        navigationPrevented: boolean;
        redirectPrevented: boolean;
        webviewPrevented: boolean;
        windowOpen: { action: string } | null;
        permissions: Record<string, { request: boolean | null; check: boolean | null }>;
      }>('security');
      void page;
      return {
        webPreferences: report.windows[0]!.webPreferences,
        navigationPrevented: report.navigationPrevented,
        redirectPrevented: report.redirectPrevented,
        webviewPrevented: report.webviewPrevented,
        windowOpenDenied: report.windowOpen?.action === 'deny',
        permissionDenied: Object.values(report.permissions).every((p) => p.request === false && p.check === false),
      };
    },
    web,
    async windowCount() {
      return (await control<unknown[]>('windows')).length;
    },
    async preloadInSubFrame(page, frame) {
      const id = windowOf.get(page);
      if (id === undefined) throw new Error('not a console window');
      await frame.evaluate(preloadShim(id, preload, { subFrames: true }));
    },
    ipcSenders: () => control('senders'),
    output: () => output,
    pageErrors: () => [...errors],
    async close() {
      await context.close().catch(() => undefined);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}

export async function launchElectron(options: { dataDir: string; env: Record<string, string> }): Promise<GiftdeskApp> {
  const app = await _electron.launch({
    args: [ROOT, `--user-data-dir=${path.join(options.dataDir, 'user-data')}`],
    cwd: ROOT,
    env: { ...(process.env as Record<string, string>), ...options.env, GIFTDESK_DATA_DIR: options.dataDir },
  });
  let output = '';
  app.process().stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  app.process().stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const errors: string[] = [];
  app.on('window', (page) => watchPage(page, errors));
  const web = fakeWeb();
  await app.context().route((url) => url.protocol === 'http:' || url.protocol === 'https:', (route, request) => web.answer(route, request.url()));
  let first: Promise<Page> | null = null;
  return {
    mode: 'electron',
    dataDir: options.dataDir,
    firstWindow() {
      first ??= app.firstWindow().then(async (page) => {
        watchPage(page, errors);
        await page.waitForLoadState('domcontentloaded');
        return page;
      });
      return first;
    },
    async newWindow() {
      const opened = app.waitForEvent('window');
      await app.evaluate(({ Menu }) => {
        const item = Menu.getApplicationMenu()?.getMenuItemById('new-window');
        if (!item) throw new Error('no File › New Window menu item');
        item.click();
      });
      const page = await opened;
      await page.waitForLoadState('domcontentloaded');
      return page;
    },
    async securityReport(page) {
      const fromMain = await app.evaluate(({ BrowserWindow }) => {
        const win = BrowserWindow.getAllWindows()[0]!;
        // Not in the typings, but present at run time; fail loudly if a version drops it.
        const read = (win.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> | null })
          .getLastWebPreferences;
        if (!read) throw new Error('this Electron cannot report a window’s webPreferences');
        const prefs = read.call(win.webContents) ?? {};
        let prevented = false;
        win.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://example.com/phish');
        let redirectPrevented = false;
        win.webContents.emit('will-redirect', { preventDefault: () => (redirectPrevented = true) }, 'https://example.com/phish');
        let webviewPrevented = false;
        win.webContents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) }, {}, {});
        return {
          redirectPrevented,
          webviewPrevented,
          webPreferences: {
            contextIsolation: prefs.contextIsolation === true,
            sandbox: prefs.sandbox === true,
            nodeIntegration: prefs.nodeIntegration === true,
            webSecurity: prefs.webSecurity !== false,
          },
          navigationPrevented: prevented,
        };
      });
      const windowOpenDenied = await page.evaluate(() => window.open('https://example.com/popup') === null);
      const permissionDenied = await page.evaluate(
        async () => (await navigator.permissions.query({ name: 'geolocation' as PermissionName })).state === 'denied',
      );
      return { ...fromMain, windowOpenDenied, permissionDenied };
    },
    web,
    windowCount: () => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length),
    output: () => output,
    pageErrors: () => [...errors],
    async close() {
      await app.close();
    },
  };
}
