import path from 'node:path';
import { defineConfig, type Project } from '@playwright/test';
import { electronBinary } from './test/e2e/support/electronBinary';
import { selectedEngines } from './test/support/engines';

/**
 * The same specs run in two modes (the project's `metadata.mode`):
 *  - harness: the real built main bundle in Node with Electron's transport replaced,
 *    the real preload in the page, the real renderer in Chromium. Always runs.
 *  - electron: Playwright's `_electron.launch` on the real app. Runs wherever an
 *    Electron binary is present (GIFTDESK_E2E_MODE=electron demands it).
 * and on two stores (`metadata.store`): the embedded SQLite store, and team mode on a
 * real PostgreSQL server (project `team`, which also runs the two-console specs,
 * *.team.ts). GIFTDESK_E2E_MODE=harness|electron picks one mode only;
 * GIFTDESK_TEST_ENGINES=sqlite or postgres narrows the stores.
 */
// Specs import shared/ and electron/ code built with the test build's constant
// (electron.vite.config.ts `define`); the e2e suite drives the test build.
(globalThis as { __GIFTDESK_TEST_BUILD__?: boolean }).__GIFTDESK_TEST_BUILD__ = true;

const root = __dirname;
const wanted = process.env['GIFTDESK_E2E_MODE'];
const binary = electronBinary(root);
if (wanted === 'electron' && !binary) {
  throw new Error('GIFTDESK_E2E_MODE=electron but no Electron binary is installed (run `npx install-electron`).');
}

const engines = selectedEngines();
const projects: Project[] = [];
if (process.env['GIFTDESK_SCREENSHOTS']) {
  // `npm run screenshots`: the README's pictures, taken through the harness.
  projects.push({ name: 'screenshots', metadata: { mode: 'harness', store: 'sqlite' }, testMatch: '**/*.shots.ts' });
} else {
  if (wanted !== 'electron' && engines.includes('sqlite')) {
    projects.push({ name: 'harness', metadata: { mode: 'harness', store: 'sqlite' } });
  }
  if (wanted !== 'electron' && engines.includes('postgres')) {
    projects.push({ name: 'team', metadata: { mode: 'harness', store: 'postgres' }, testMatch: ['**/*.spec.ts', '**/*.team.ts'] });
  }
  if (wanted !== 'harness' && binary) {
    projects.push({ name: 'electron', metadata: { mode: 'electron', store: 'sqlite' } });
  }
}

export default defineConfig({
  testDir: path.join(root, 'test/e2e'),
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  // 2 cores here: one worker each; every test starts its own main process.
  workers: 2,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env['CI']),
  reporter: process.env['CI'] ? [['list'], ['html', { open: 'never' }]] : [['list']],
  outputDir: path.join(root, 'test-results'),
  globalSetup: path.join(root, 'test/e2e/support/globalSetup.ts'),
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects,
});
