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

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
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
    build: {
      outDir: 'out/preload',
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
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
