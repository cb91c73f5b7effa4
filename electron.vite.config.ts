import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from './electron/csp';

const root = __dirname;

/** Writes the CSP into index.html's meta tag: the strict one in a build, a relaxed one for the dev server's HMR. */
function contentSecurityPolicy(): Plugin {
  let policy = CONTENT_SECURITY_POLICY;
  return {
      name: 'giftdesk-csp',
      configResolved(config) {
        if (config.command === 'serve') policy = DEV_CONTENT_SECURITY_POLICY;
      },
      transformIndexHtml: (html) => html.replace('%GIFTDESK_CSP%', policy),
  };
}

/**
 * Two kinds of build, told apart by a build-time constant, `__GIFTDESK_TEST_BUILD__`:
 *  - test build (`npm run build` = `electron-vite build --mode test`, and `electron-vite
 *    dev`): keeps the test-only channels (`test:advanceClock`) and the View › Toggle
 *    Developer Tools item, which the e2e suite and developers need;
 *  - release build (every other mode, so the default `electron-vite build` and
 *    `electron-vite preview` behind `npm start`; `npm run build:release`): the constant
 *    is `false` and the bundler removes the guarded code, names and all.
 * GIFTDESK_OUT_DIR builds somewhere else than `out/` (the release-bundle test uses it
 * so that it never replaces the test build the e2e suite runs).
 */
const outRoot = process.env['GIFTDESK_OUT_DIR'] ? resolve(process.env['GIFTDESK_OUT_DIR']) : resolve(root, 'out');

export default defineConfig(({ mode }) => {
  const testBuild = mode === 'test' || mode === 'development';
  const define = { __GIFTDESK_TEST_BUILD__: JSON.stringify(testBuild) };
  return {
    main: {
      define,
      build: {
        outDir: resolve(outRoot, 'main'),
        // knex, sqlite3, pg and zod are `dependencies` and stay external (knex loads its
        // dialects dynamically; sqlite3 is a native addon).
        rollupOptions: {
          input: {
            index: resolve(root, 'electron/main.ts'),
            cli: resolve(root, 'electron/cli.ts'),
          },
        },
      },
    },
    preload: {
      define,
      build: {
        outDir: resolve(outRoot, 'preload'),
        // A sandboxed preload can only require('electron'): bundle everything else.
        externalizeDeps: false,
        isolatedEntries: true,
        rollupOptions: {
          input: { index: resolve(root, 'electron/preload.ts') },
          external: ['electron'],
        },
      },
    },
    renderer: {
      root: resolve(root, 'renderer'),
      plugins: [react(), contentSecurityPolicy()],
      define,
      build: {
        outDir: resolve(outRoot, 'renderer'),
        minify: true,
        chunkSizeWarningLimit: 1500,
        rollupOptions: { input: resolve(root, 'renderer/index.html') },
      },
    },
  };
  });
