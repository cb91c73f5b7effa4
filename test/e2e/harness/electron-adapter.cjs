'use strict';
/**
 * A thin stand-in for the `electron` module, for running the REAL built main bundle
 * (out/main/index.js) in plain Node where no Electron binary exists. It replaces only
 * Electron's transport and windowing: app paths and lifecycle, an ipcMain registry,
 * BrowserWindow / protocol / session / Menu as recorders. Every IPC handler, sender
 * check, service and query that runs is the product's own.
 *
 * A window "loads" the URL main asks for; the harness then tells the sender checks
 * that URL as the sender frame's URL, exactly what Electron reports for a window that
 * loaded it. `webContents.send(channel, ...args)` (main → renderer events) hands the
 * message to `state.deliver`, which main-host.cjs forwards to that window's page.
 */
const { EventEmitter } = require('node:events');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fileURLToPath } = require('node:url');

const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function buildMenu(template) {
  const items = template.map((item) => ({
    ...item,
    submenu: Array.isArray(item.submenu) ? buildMenu(item.submenu) : item.submenu,
  }));
  return {
    items,
    getMenuItemById(id) {
      for (const item of items) {
        if (item.id === id) return item;
        const inner = item.submenu && item.submenu.getMenuItemById ? item.submenu.getMenuItemById(id) : null;
        if (inner) return inner;
      }
      return null;
    },
  };
}

function cancellable() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

function createElectronAdapter({ userDataDir, appVersion, appName }) {
  const state = {
    sessionListeners: {},
    handlers: new Map(),
    windows: new Map(),
    protocolHandlers: new Map(),
    privilegedSchemes: [],
    applicationMenu: null,
    permissionRequestHandler: null,
    permissionCheckHandler: null,
    openedExternal: [],
    openDialogs: [],
    saveDialogs: [],
    /** (windowId, channel, args) for each `webContents.send`; main-host.cjs forwards it to the page. */
    deliver: () => undefined,
  };
  let nextId = 1;
  let resolveReady;
  const ready = new Promise((resolve) => {
    resolveReady = resolve;
  });

  const app = new EventEmitter();
  Object.assign(app, {
    isPackaged: false,
    commandLine: { appendSwitch() {}, hasSwitch: () => false },
    getPath(name) {
      if (name === 'userData' || name === 'appData' || name === 'sessionData') return userDataDir;
      if (name === 'temp') return os.tmpdir();
      if (name === 'home') return os.homedir();
      return path.join(userDataDir, name);
    },
    getVersion: () => appVersion,
    getName: () => appName,
    getLocale: () => 'en-US',
    whenReady: () => ready,
    isReady: () => state.isReady === true,
    requestSingleInstanceLock: () => true,
    quit() {
      if (state.quit) return;
      const beforeQuit = cancellable();
      app.emit('before-quit', beforeQuit);
      if (beforeQuit.defaultPrevented) return;
      const willQuit = cancellable();
      app.emit('will-quit', willQuit);
      if (willQuit.defaultPrevented) return;
      state.quit = true;
      app.emit('quit', {}, 0);
    },
    exit() {
      app.quit();
    },
  });

  class WebContents extends EventEmitter {
    constructor(id) {
      super();
      this.id = id;
      this.url = '';
      this.windowOpenHandler = null;
      this.destroyed = false;
    }
    loadURL(url) {
      this.url = url;
      return Promise.resolve();
    }
    getURL() {
      return this.url;
    }
    setWindowOpenHandler(handler) {
      this.windowOpenHandler = handler;
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      if (this.destroyed) return;
      this.destroyed = true;
      this.emit('destroyed');
    }
    send(channel, ...args) {
      if (this.destroyed) throw new Error('Object has been destroyed');
      if (typeof channel !== 'string') throw new TypeError('channel must be a string');
      // Electron sends a structured clone; JSON is the same for the plain data events carry.
      state.deliver(this.id, channel, JSON.parse(JSON.stringify(args)));
    }
    openDevTools() {}
  }

  class BrowserWindow extends EventEmitter {
    static getAllWindows() {
      return [...state.windows.values()];
    }
    static fromWebContents(contents) {
      return state.windows.get(contents.id) ?? null;
    }
    constructor(options = {}) {
      super();
      this.options = options;
      this.id = nextId++;
      this.webContents = new WebContents(this.id);
      state.windows.set(this.id, this);
      app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
      app.emit('browser-window-created', { preventDefault() {} }, this);
      setImmediate(() => this.emit('ready-to-show'));
    }
    loadURL(url) {
      return this.webContents.loadURL(url);
    }
    loadFile(file) {
      return this.webContents.loadURL(require('node:url').pathToFileURL(file).toString());
    }
    show() {}
    focus() {}
    isDestroyed() {
      return this.webContents.destroyed;
    }
    close() {
      if (!state.windows.has(this.id)) return;
      state.windows.delete(this.id);
      this.webContents.destroy();
      this.emit('closed');
      if (state.windows.size === 0) app.emit('window-all-closed');
    }
  }

  const electron = {
    app,
    BrowserWindow,
    webContents: {
      fromId(id) {
        const win = state.windows.get(id);
        return win ? win.webContents : undefined;
      },
      getAllWebContents: () => [...state.windows.values()].map((w) => w.webContents),
    },
    ipcMain: {
      handle(channel, listener) {
        if (state.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        state.handlers.set(channel, listener);
      },
      removeHandler(channel) {
        state.handlers.delete(channel);
      },
      on() {},
    },
    protocol: {
      registerSchemesAsPrivileged(schemes) {
        if (state.isReady) throw new Error('registerSchemesAsPrivileged must be called before app is ready');
        state.privilegedSchemes.push(...schemes);
      },
      handle(scheme, handler) {
        state.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler(handler) {
          state.permissionRequestHandler = handler;
        },
        setPermissionCheckHandler(handler) {
          state.permissionCheckHandler = handler;
        },
        on(event, listener) {
          (state.sessionListeners[event] ??= []).push(listener);
        },
        webRequest: { onHeadersReceived() {} },
      },
    },
    Menu: {
      buildFromTemplate: buildMenu,
      setApplicationMenu(menu) {
        state.applicationMenu = menu;
      },
      getApplicationMenu: () => state.applicationMenu,
    },
    net: {
      // Electron's net.fetch reads file: URLs; Node's fetch does not.
      async fetch(input, init) {
        const url = typeof input === 'string' ? input : input.url;
        if (url.startsWith('file:')) {
          const file = fileURLToPath(url);
          try {
            const body = await fs.promises.readFile(file);
            const type = mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
            return new Response(body, { status: 200, headers: { 'content-type': type } });
          } catch {
            return new Response('Not found', { status: 404 });
          }
        }
        return fetch(input, init);
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString() {
        throw new Error('safeStorage is not available');
      },
      decryptString() {
        throw new Error('safeStorage is not available');
      },
    },
    shell: {
      async openExternal(url) {
        state.openedExternal.push(url);
      },
    },
    dialog: {
      showErrorBox() {},
      /** The open dialog: "chooses" GIFTDESK_TEST_IMPORT_FILE (the harness's stand-in for the user), or is closed without a file. */
      async showOpenDialog(...args) {
        const options = args.length > 1 ? args[1] : args[0];
        state.openDialogs.push(options);
        const file = process.env.GIFTDESK_TEST_IMPORT_FILE;
        return file ? { canceled: false, filePaths: [file] } : { canceled: true, filePaths: [] };
      },
      /** The save dialog: "chooses" GIFTDESK_TEST_EXPORT_FILE (the harness's stand-in for the user), or is closed without a path. */
      async showSaveDialog(...args) {
        const options = args.length > 1 ? args[1] : args[0];
        state.saveDialogs.push(options);
        const file = process.env.GIFTDESK_TEST_EXPORT_FILE;
        return file ? { canceled: false, filePath: file } : { canceled: true, filePath: '' };
      },
    },
    nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false, themeSource: 'system' }),
  };

  return {
    electron,
    state,
    /** Fires `ready` the way Electron does once the app module has been loaded. */
    emitReady() {
      state.isReady = true;
      app.emit('ready', { preventDefault() {} }, {});
      resolveReady();
    },
  };
}

module.exports = { createElectronAdapter };
