#!/usr/bin/env node
// `npm start`: build, then open the console on the embedded SQLite store in the data
// directory, seeded with the demo dataset while the store is empty. GIFTDESK_DEMO=0
// starts without demo data; every other setting comes from the environment
// (see the README's Configuration section).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const env = { ...process.env, GIFTDESK_DEMO: process.env.GIFTDESK_DEMO ?? '1' };
// Electron 42+ downloads its binary on first launch, when `require('electron')` first
// runs; electron-vite only looks for an existing one, so fetch it here first.
try {
  env.ELECTRON_EXEC_PATH ??= require('electron');
} catch (error) {
  console.error(
    `Giftdesk needs the Electron runtime, which downloads on first launch, and the download failed:\n  ${error.message}\n` +
      'Without network access to it you can still run every test (npm test): they drive the real build without the binary.',
  );
  process.exit(1);
}

const cli = path.join(path.dirname(require.resolve('electron-vite')), '..', 'bin', 'electron-vite.js');

const child = spawn(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit', env });
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
});
