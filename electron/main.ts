/**
 * The Electron main process: security baseline (DESIGN.md §3), the app:// protocol
 * serving the renderer, the IPC wrapper over the contract, the events it pushes to
 * windows (ipc/events.ts), and the window lifecycle.
 * Everything about cards, users and the store lives in services that do not know
 * Electron.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  safeStorage,
  session,
  webContents,
  type MenuItemConstructorOptions,
} from 'electron';
import { AppError } from '../shared/errors';
import { ConfigError, resolveConfig, type GiftdeskConfig } from './config';
import { CONTENT_SECURITY_POLICY } from './csp';
import { CHANGE_CHECK_INTERVAL_MS, EventPublisher, startEventPush, type EventPush, type EventTransport } from './ipc/events';
import { setImportDesk } from './ipc/cardImportDesk';
import { setExportDesk } from './ipc/auditExportDesk';
import { handlers } from './ipc/handlers';
import { SessionStore, actorOf } from './ipc/sessions';
import { registerChannels } from './ipc/wrapper';
import { ServerClient } from './remote/client';
import { RemoteConsole } from './remote/console';
import { startRuntime, type Runtime } from './runtime';
import { recordSignOut } from './services/auth';
import { OffsetClock } from './services/context';
import type { KeyWrapper } from './services/vault';

export const APP_SCHEME = 'app';
export const APP_HOST = 'giftdesk';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const rendererDir = path.join(__dirname, '../renderer');
const preloadFile = path.join(__dirname, '../preload/index.js');
const devRendererUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const sessions = new SessionStore();

/** scheme + host of a URL; `new URL().origin` is "null" for custom schemes. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

const trustedOrigin = originOf(devRendererUrl ?? APP_ORIGIN);

export function isTrustedSender(frameUrl: string): boolean {
  return trustedOrigin !== null && originOf(frameUrl) === trustedOrigin;
}

export const CONSOLE_DATABASE_REFUSED =
  'This console is configured with a database URL (GIFTDESK_DATABASE_URL or databaseUrl in giftdesk.config.json). ' +
  'Consoles no longer connect to the team database: run `giftdesk serve` where the database URL and key are kept, ' +
  'remove them from this desktop and set serverUrl to the server instead (README › Team mode).';

// --- the store, started once and retried on demand (a team database may be down) ---
let runtime: Runtime | null = null;
let starting: Promise<Runtime> | null = null;
// The system clock; only test hooks (never in a packaged app) move it.
const clock = new OffsetClock();

function keyWrapper(): KeyWrapper | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  // On Linux without a keyring Electron falls back to a fixed password: no protection.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  return {
    wrap: (plain) => safeStorage.encryptString(plain.toString('base64')),
    unwrap: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'base64'),
  };
}

function ensureRuntime(): Promise<Runtime> {
  if (runtime) return Promise.resolve(runtime);
  starting ??= (async () => {
    try {
      const config = await resolveConfig(process.env, { dataDir: app.getPath('userData') });
      if (__GIFTDESK_TEST_BUILD__ && config.testHooks && app.isPackaged) {
        console.warn('GIFTDESK_TEST_HOOKS is refused in a packaged app; ignoring it.');
        config.testHooks = false;
      }
      // Consoles never hold the team database's URL or key: that is the team server's job.
      if (config.databaseUrl) throw new ConfigError(CONSOLE_DATABASE_REFUSED);
      runtime = await startRuntime(config, { keyWrapper: keyWrapper(), clock });
      return runtime;
    } catch (error) {
      console.error('Giftdesk could not open its store:', error);
      throw new AppError(
        'STORE_UNAVAILABLE',
        error instanceof Error ? error.message : 'Giftdesk could not open its store.',
      );
    } finally {
      starting = null;
    }
  })();
  return starting;
}

// --- main → renderer events (session:ended, credits:changed, credits:decided) ---
let events: EventPush | null = null;

const sendToWindow: EventTransport = (windowId, event, payload) => {
  const contents = webContents.fromId(windowId);
  if (contents && !contents.isDestroyed()) contents.send(event, payload);
};
const eventLog = (message: string, error?: unknown) =>
  error === undefined ? console.warn(`[events] ${message}`) : console.error(`[events] ${message}`, error);

function startEvents(): EventPush {
  return startEventPush({
    sessions,
    // Only an open store: the checks never try to open one (a down team database is retried by calls).
    deps: () => runtime,
    transport: sendToWindow,
    log: eventLog,
    intervalMs: CHANGE_CHECK_INTERVAL_MS,
  });
}

// --- a console of a team server: no store, no key, no database URL on this desktop ---
let remote: RemoteConsole | null = null;

/** The configuration when it names a team server (null: this console opens its own store, or the configuration is broken — the store path reports that). */
async function teamServerConfig(): Promise<(GiftdeskConfig & { server: NonNullable<GiftdeskConfig['server']> }) | null> {
  try {
    const config = await resolveConfig(process.env, { dataDir: app.getPath('userData') });
    return config.server ? (config as GiftdeskConfig & { server: NonNullable<GiftdeskConfig['server']> }) : null;
  } catch {
    return null;
  }
}

// Writes started outside a request (a closed window's sign-out) finish before quit.
const backgroundWrites = new Set<Promise<unknown>>();
function inBackground(task: Promise<unknown>): void {
  const tracked = task.catch((error) => console.error(error)).finally(() => backgroundWrites.delete(tracked));
  backgroundWrites.add(tracked);
}

// --- windows ---
function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Giftdesk',
    backgroundColor: '#f8f9fa',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      // A middle click on a link would ask for a new window (denied anyway by setWindowOpenHandler): not even that.
      disableBlinkFeatures: 'Auxclick',
      // Developer tools exist in a test build only; a release build cannot open them.
      devTools: __GIFTDESK_TEST_BUILD__,
    },
  });
  const windowId = win.webContents.id;
  win.once('ready-to-show', () => win.show());
  win.webContents.once('destroyed', () => {
    if (remote) return inBackground(remote.windowClosed(windowId));
    const ended = sessions.delete(windowId);
    if (ended && runtime) inBackground(recordSignOut(runtime, actorOf(ended), 'windowClosed'));
  });
  void win.loadURL(devRendererUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

function buildMenu(): Menu {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { id: 'new-window', label: 'New Window', accelerator: 'CmdOrCtrl+N', click: () => createWindow() },
        { type: 'separator' },
        { role: 'close' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        // A release build has no developer tools item at all (build-time constant, removed by the bundler).
        ...(__GIFTDESK_TEST_BUILD__ && !app.isPackaged ? [{ role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

// --- security baseline for every web contents, present and future ---
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

function serveRenderer(request: Request): Response | Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
  const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  const file = path.normalize(path.join(rendererDir, relative));
  if (!file.startsWith(rendererDir + path.sep)) return new Response('Forbidden', { status: 403 });
  return net.fetch(pathToFileURL(file).toString()).then((response) => {
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** The native save dialog for the audit export (a console with its own store and a team console alike). */
async function chooseExportFile(windowId: number, suggestedName: string): Promise<string | null> {
  const contents = webContents.fromId(windowId);
  const owner = contents ? BrowserWindow.fromWebContents(contents) : null;
  const options = {
    title: 'Export the audit log',
    buttonLabel: 'Export',
    defaultPath: suggestedName,
    filters: [{ name: 'CSV files', extensions: ['csv'] }],
  };
  const chosen = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
}

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The console downloads nothing: an injected download link never reaches a save dialog.
  session.defaultSession.on('will-download', (event) => event.preventDefault());
  protocol.handle(APP_SCHEME, serveRenderer);
  Menu.setApplicationMenu(buildMenu());
  const team = await teamServerConfig();
  if (team) {
    const testHooks = __GIFTDESK_TEST_BUILD__ && !app.isPackaged && team.testHooks;
    const console_ = new RemoteConsole({
      client: new ServerClient(team.server),
      publisher: new EventPublisher(sendToWindow, eventLog),
      log: eventLog,
      chooseExportFile,
    });
    remote = console_;
    registerChannels(ipcMain, {
      isTrustedSender,
      testHooks: () => testHooks,
      log: (channel, error) => console.error(`[${channel}]`, error),
      forward: (channel, windowId, input) => console_.call(windowId, channel, input),
    });
    createWindow();
    return;
  }
  events = startEvents();
  const publisher = events.publisher;
  setImportDesk({
    chooseFile: async (windowId) => {
      const contents = webContents.fromId(Number(windowId));
      const owner = contents ? BrowserWindow.fromWebContents(contents) : null;
      const options = {
        title: 'Import a card batch',
        buttonLabel: 'Import',
        properties: ['openFile' as const],
        filters: [{ name: 'CSV files', extensions: ['csv'] }],
      };
      const chosen = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
    },
    progress: (windowId, progress) => publisher.send(Number(windowId), 'cards:importProgress', progress),
  });
  setExportDesk({ chooseFile: (windowId, suggestedName) => chooseExportFile(Number(windowId), suggestedName) });
  registerChannels(ipcMain, {
    handlers,
    sessions,
    deps: ensureRuntime,
    isTrustedSender,
    testHooks: () => __GIFTDESK_TEST_BUILD__ && !app.isPackaged && runtime?.config.testHooks === true,
    appVersion: app.getVersion(),
    log: (channel, error) => console.error(`[${channel}]`, error),
    afterCall: (channel, windowId) => events?.afterCall(channel, windowId),
  });
  await ensureRuntime().catch(() => undefined); // the window shows the reason and offers a retry
  void events.check(); // the change watcher starts at the store's current head
  createWindow();
});

app.on('window-all-closed', () => app.quit());

let storeClosed = false;
app.on('will-quit', (event) => {
  if (storeClosed) return;
  event.preventDefault();
  void (async () => {
    // A check waiting on an unreachable team database must not hold up quitting.
    let giveUp: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all([events?.stop(), remote?.close()]), new Promise((resolve) => (giveUp = setTimeout(resolve, 2000)))]);
    clearTimeout(giveUp);
    await Promise.allSettled(backgroundWrites);
    await runtime?.close().catch((error: unknown) => console.error(error));
    runtime = null;
    storeClosed = true;
    app.quit();
  })();
});
