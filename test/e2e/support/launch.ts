/**
 * Starting Giftdesk for a spec, in either mode, behind one interface: a tester asks
 * for `firstWindow()` / `newWindow()` and gets a Playwright Page showing the console.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { _electron, type Browser, type LaunchOptions, type Page } from '@playwright/test';

export const ROOT = path.resolve(__dirname, '../../..');
const HOST = path.join(ROOT, 'test/e2e/harness/main-host.cjs');
const PRELOAD = path.join(ROOT, 'out/preload/index.js');

export type LaunchMode = 'harness' | 'electron';

export interface SecurityReport {
  webPreferences: { contextIsolation: boolean; sandbox: boolean; nodeIntegration: boolean; webSecurity: boolean };
  navigationPrevented: boolean;
  windowOpenDenied: boolean;
  permissionDenied: boolean;
}

export interface GiftdeskApp {
  readonly mode: LaunchMode;
  readonly dataDir: string;
  firstWindow(): Promise<Page>;
  /** Opens another console window the way a user does (File › New Window). */
  newWindow(): Promise<Page>;
  securityReport(page: Page): Promise<SecurityReport>;
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

/** The page-side stand-in for Electron's preload environment: runs the REAL preload bundle. */
export function preloadShim(windowId: number, preloadSource: string): string {
  return `(() => {
  if (window.top !== window) return;
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
  const electron = {
    contextBridge: {
      exposeInMainWorld(key, api) {
        Object.defineProperty(window, key, { value: freeze(api), enumerable: true, configurable: false, writable: false });
      },
    },
    // Until the harness forwards main → renderer events, subscribing is accepted and nothing arrives.
    ipcRenderer: { invoke, on() {}, removeListener() {} },
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
  const errors: string[] = [];
  let first: Promise<Page> | null = null;

  async function open(win: { id: number; url: string }): Promise<Page> {
    const page = await context.newPage();
    watchPage(page, errors);
    await page.addInitScript({ content: preloadShim(win.id, preload) });
    page.once('close', () => {
      control('windows/close', { id: win.id }).catch(() => undefined);
    });
    const url = new URL(win.url);
    await page.goto(`${base}${url.pathname}${url.search}`);
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
        windowOpen: { action: string } | null;
        permissions: Record<string, { request: boolean | null; check: boolean | null }>;
      }>('security');
      void page;
      return {
        webPreferences: report.windows[0]!.webPreferences,
        navigationPrevented: report.navigationPrevented,
        windowOpenDenied: report.windowOpen?.action === 'deny',
        permissionDenied: Object.values(report.permissions).every((p) => p.request === false && p.check === false),
      };
    },
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
        return {
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
    output: () => output,
    pageErrors: () => [...errors],
    async close() {
      await app.close();
    },
  };
}
