'use strict';
/**
 * Runs the REAL built main process (out/main/index.js) in plain Node, with the
 * `electron` module replaced by the thin adapter next to this file, and exposes on a
 * loopback HTTP server:
 *   - the renderer, served through the app:// protocol handler main registered
 *     (its own path checks and CSP header),
 *   - POST /__giftdesk/ipc: an invoke from the page's preload, dispatched to the
 *     handler main registered with ipcMain, with the sender being the window main
 *     created and its sender frame the one the browser attributed the request to
 *     (see senderFrame below): the main frame at the app:// URL main loaded, or a
 *     subframe with a parent,
 *   - GET /__giftdesk/events?windowId=N&since=T: a server-sent event stream of what main
 *     sends that window (`webContents.send(channel, ...args)`), which the page's
 *     `ipcRenderer.on` stand-in (support/launch.ts) dispatches to its listeners as
 *     Electron's ipcRenderer does,
 *   - a few control routes for the test fixture (windows, menu clicks, the security
 *     handlers main installed: will-navigate / will-redirect, setWindowOpenHandler and
 *     the permission handlers, which support/launch.ts consults for what the page does).
 * Prints `GIFTDESK_HARNESS_READY {"port":…}` once main has opened its first window.
 */
const http = require('node:http');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { createElectronAdapter } = require('./electron-adapter.cjs');

const root = path.resolve(__dirname, '../../..');
const pkg = require(path.join(root, 'package.json'));
const mainBundle = path.resolve(process.env.GIFTDESK_HARNESS_MAIN || path.join(root, 'out/main/index.js'));
const userData = process.env.GIFTDESK_HARNESS_USER_DATA || path.join(os.tmpdir(), 'giftdesk-harness-user-data');

const adapter = createElectronAdapter({ userDataDir: userData, appVersion: pkg.version, appName: pkg.productName });
const { state, electron } = adapter;

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'electron') return electron;
  return originalLoad.call(this, request, parent, isMain);
};

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

// --- main → renderer: one event stream per page (opened at its first ipcRenderer.on) ---
const eventStreams = new Map(); // windowId → Set<ServerResponse>
// What main sent a window whose page has no stream open yet: the page opens its stream
// when it first subscribes, and gets what was sent since that moment (Electron
// delivers to every listener registered when the message arrives, and to no other).
const unconnected = new Map(); // windowId → [{ at, message }]
const HELD_MS = 30_000;
/** This server's origin (http://127.0.0.1:port): where the page "is" in place of app://giftdesk. */
let harnessOrigin = null;
/** The sender frame main received with each recent invoke. */
const senders = [];

state.deliver = (windowId, channel, args) => {
  const message = `data: ${JSON.stringify({ channel, args })}\n\n`;
  const streams = eventStreams.get(windowId);
  if (streams && streams.size > 0) {
    for (const res of streams) res.write(message);
    return;
  }
  const now = Date.now();
  const held = (unconnected.get(windowId) ?? []).filter((m) => now - m.at < HELD_MS);
  held.push({ at: now, message });
  unconnected.set(windowId, held.slice(-100));
};

function openEventStream(req, res, url) {
  const windowId = Number(url.searchParams.get('windowId'));
  const since = Number(url.searchParams.get('since') || 0);
  if (!state.windows.has(windowId)) return json(res, 410, { error: `window ${windowId} is closed` });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.write(': giftdesk events\n\n');
  for (const { at, message } of unconnected.get(windowId) ?? []) if (at >= since) res.write(message);
  unconnected.delete(windowId);
  const streams = eventStreams.get(windowId) ?? new Set();
  streams.add(res);
  eventStreams.set(windowId, streams);
  req.on('close', () => streams.delete(res));
}

function closeEventStreams(windowId) {
  for (const res of eventStreams.get(windowId) ?? []) res.end();
  eventStreams.delete(windowId);
  unconnected.delete(windowId);
}

function windowList() {
  return [...state.windows.values()].map((w) => ({
    id: w.id,
    url: w.webContents.url,
    webPreferences: w.options.webPreferences ?? {},
  }));
}

/** The page asks for http://127.0.0.1:port/<path>; main's protocol handler answers app://<host>/<path>. */
async function serveRenderer(req, res, url) {
  const first = state.windows.values().next().value;
  const target = new URL(first ? first.webContents.url : 'app://giftdesk/');
  const handler = state.protocolHandlers.get(target.protocol.replace(/:$/, ''));
  if (!handler) return json(res, 502, { error: `main registered no handler for ${target.protocol}` });
  const request = new Request(`${target.protocol}//${target.host}${url.pathname}${url.search}`, { method: req.method });
  const response = await handler(request);
  const headers = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  headers['cache-control'] = 'no-store';
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * The page's address on this server, as the app:// URL main loaded: the origin the
 * window shows in Electron (http://127.0.0.1:port/x → app://giftdesk/x); any other URL
 * (about:blank, https://…) unchanged.
 */
function asAppUrl(url, win) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return String(url);
  }
  if (parsed.origin !== harnessOrigin) return url;
  const loaded = new URL(win.webContents.url);
  return `${loaded.protocol}//${loaded.host}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/**
 * Electron's `event.senderFrame` (a WebFrameMain) for an invoke: the frame the call came
 * from, as the BROWSER saw it. support/launch.ts intercepts every request to the IPC
 * route at the browser level and writes the frame Playwright attributes it to (its
 * URL, and its parent's URL or null for a main frame) into a header, replacing whatever
 * the page sent; so a call from inside an iframe reaches main with a non-null parent,
 * as in Electron. No header (a request the browser-level hook did not see): Electron's
 * null senderFrame (a frame already gone).
 */
function senderFrame(req, win) {
  const header = req.headers['x-giftdesk-sender-frame'];
  if (typeof header !== 'string') return null;
  const { url, parentUrl } = JSON.parse(header);
  if (typeof url !== 'string') return null;
  return {
    url: asAppUrl(url, win),
    parent: parentUrl === null ? null : { url: asAppUrl(String(parentUrl), win), parent: null },
  };
}

/** Electron's navigation event object: cancellable, with the details Electron 45 passes. */
function navigationEvent(url) {
  return {
    url,
    isMainFrame: true,
    isSameDocument: false,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

/**
 * What Electron does when the page's main frame starts a navigation (will-navigate:
 * a link, location.href, a meta refresh, a form) or a navigation meets a server
 * redirect (will-redirect): emit the event on the window's webContents with main's
 * handlers and report whether one prevented it.
 */
function navigate(id, url, kind) {
  const win = state.windows.get(id);
  if (!win) return { prevented: true, closed: true };
  const appUrl = asAppUrl(url, win);
  const event = navigationEvent(appUrl);
  const name = kind === 'redirect' ? 'will-redirect' : 'will-navigate';
  // Electron 45: (event, url, isInPlace, isMainFrame, frameProcessId, frameRoutingId).
  win.webContents.emit(name, event, appUrl, false, true, 1, 1);
  return { prevented: event.defaultPrevented };
}

/** A new window asked for by a window's page (window.open, a target=_blank link): Electron asks setWindowOpenHandler; without one it opens. */
function askWindowOpenHandler(id, url, disposition) {
  const win = state.windows.get(id);
  if (!win) return { action: 'deny' };
  const handler = win.webContents.windowOpenHandler;
  if (!handler) return { action: 'allow' };
  const answer = handler({ url: asAppUrl(url, win), frameName: '', features: '', disposition, referrer: { url: win.webContents.url, policy: 'strict-origin-when-cross-origin' } });
  return { action: answer && answer.action === 'deny' ? 'deny' : 'allow' };
}

/** What main's session permission handlers answer, per Electron permission name. */
const PERMISSIONS = ['geolocation', 'media', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'midi', 'openExternal'];
function permissionAnswers() {
  const first = state.windows.values().next().value;
  const contents = first ? first.webContents : null;
  const answers = {};
  for (const permission of PERMISSIONS) {
    // Electron's defaults when main installs no handler: every request and check granted.
    let request = true;
    if (state.permissionRequestHandler) {
      request = null;
      const details = permission === 'media' ? { mediaTypes: ['video', 'audio'], requestingUrl: contents && contents.url } : { requestingUrl: contents && contents.url };
      state.permissionRequestHandler(contents, permission, (answer) => (request = answer), details);
    }
    const check = state.permissionCheckHandler
      ? state.permissionCheckHandler(contents, permission, contents && contents.url, { requestingUrl: contents && contents.url })
      : true;
    answers[permission] = { request, check };
  }
  return answers;
}

async function invoke(req, res) {
  const { windowId, channel, args } = await readJson(req);
  const win = state.windows.get(windowId);
  if (!win) return json(res, 410, { error: `window ${windowId} is closed` });
  const handler = state.handlers.get(channel);
  if (!handler) return json(res, 404, { error: `No handler registered for '${channel}'` });
  const event = { sender: win.webContents, senderFrame: senderFrame(req, win), processId: 1, frameId: 1 };
  // What main was told about each caller, for the specs that check the harness tells it faithfully.
  senders.push({ windowId, channel, senderFrame: event.senderFrame });
  if (senders.length > 50) senders.shift();
  try {
    const result = await handler(event, ...(Array.isArray(args) ? args : []));
    return json(res, 200, { result: result === undefined ? null : result });
  } catch (error) {
    // Electron rejects the renderer's invoke with the error's message only.
    return json(res, 500, { error: `Error invoking remote method '${channel}': ${error && error.message}` });
  }
}

function securityReport() {
  const first = state.windows.values().next().value;
  const contents = first.webContents;
  const navigation = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
  contents.emit('will-navigate', navigation, 'https://example.com/phish');
  const redirect = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
  contents.emit('will-redirect', redirect, 'https://example.com/phish');
  const webview = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
  contents.emit('will-attach-webview', webview, {}, {});
  const windowOpen = contents.windowOpenHandler ? contents.windowOpenHandler({ url: 'https://example.com/popup' }) : null;
  const permissions = {};
  for (const permission of ['geolocation', 'media', 'notifications', 'clipboard-read', 'openExternal']) {
    let granted = null;
    if (state.permissionRequestHandler) state.permissionRequestHandler(contents, permission, (answer) => (granted = answer), {});
    permissions[permission] = {
      request: granted,
      check: state.permissionCheckHandler ? state.permissionCheckHandler(contents, permission, 'https://example.com', {}) : null,
    };
  }
  return {
    windows: windowList(),
    privilegedSchemes: state.privilegedSchemes,
    navigationPrevented: navigation.defaultPrevented,
    redirectPrevented: redirect.defaultPrevented,
    webviewPrevented: webview.defaultPrevented,
    windowOpen,
    permissions,
    registeredChannels: [...state.handlers.keys()].sort(),
    openedExternal: state.openedExternal,
  };
}

async function control(req, res, url) {
  if (url.pathname === '/__giftdesk/ipc' && req.method === 'POST') return invoke(req, res);
  if (url.pathname === '/__giftdesk/events' && req.method === 'GET') return openEventStream(req, res, url);
  if (url.pathname === '/__giftdesk/windows' && req.method === 'GET') return json(res, 200, windowList());
  if (url.pathname === '/__giftdesk/menu' && req.method === 'POST') {
    const { id } = await readJson(req);
    const item = state.applicationMenu && state.applicationMenu.getMenuItemById(id);
    if (!item || typeof item.click !== 'function') return json(res, 404, { error: `no menu item ${id}` });
    const before = new Set(state.windows.keys());
    item.click(item, null, {});
    return json(res, 200, { opened: windowList().filter((w) => !before.has(w.id)) });
  }
  if (url.pathname === '/__giftdesk/windows/close' && req.method === 'POST') {
    const { id } = await readJson(req);
    const win = state.windows.get(id);
    if (win) win.close();
    closeEventStreams(id);
    return json(res, 200, { closed: Boolean(win) });
  }
  if (url.pathname === '/__giftdesk/security' && req.method === 'GET') return json(res, 200, securityReport());
  if (url.pathname === '/__giftdesk/navigate' && req.method === 'POST') {
    const { id, url: target, kind } = await readJson(req);
    return json(res, 200, navigate(id, target, kind));
  }
  if (url.pathname === '/__giftdesk/window-open' && req.method === 'POST') {
    const { id, url: target, disposition } = await readJson(req);
    return json(res, 200, askWindowOpenHandler(id, target, disposition || 'new-window'));
  }
  if (url.pathname === '/__giftdesk/permissions' && req.method === 'GET') return json(res, 200, permissionAnswers());
  if (url.pathname === '/__giftdesk/senders' && req.method === 'GET') return json(res, 200, senders);
  return json(res, 404, { error: 'unknown control route' });
}

async function waitForFirstWindow(timeoutMs) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const first = state.windows.values().next().value;
    if (first && first.webContents.url) return first;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('main did not open a window');
}

async function main() {
  require(mainBundle);
  adapter.emitReady();
  await waitForFirstWindow(30_000);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const route = url.pathname.startsWith('/__giftdesk/') ? control(req, res, url) : serveRenderer(req, res, url);
    route.catch((error) => {
      console.error(error);
      if (!res.headersSent) json(res, 500, { error: String(error && error.message) });
    });
  });
  server.listen(0, '127.0.0.1', () => {
    harnessOrigin = `http://127.0.0.1:${server.address().port}`;
    process.stdout.write(`GIFTDESK_HARNESS_READY ${JSON.stringify({ port: server.address().port })}\n`);
  });
  // Like a user quitting: windows close, main finishes its writes and closes the store.
  const shutdown = () => {
    server.close();
    server.closeAllConnections(); // open event streams would hold close() forever
    electron.app.once('quit', () => process.exit(0));
    for (const win of Array.from(state.windows.values())) win.close();
    electron.app.quit();
    setTimeout(() => {
      console.error('harness: main did not quit within 5 s');
      process.exit(1);
    }, 5000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error) => {
  console.error('harness: the main process failed to start:', error);
  process.exit(1);
});
