/**
 * Playwright fixtures: every test gets its own Giftdesk (its own data directory and
 * main process, and in team mode its own PostgreSQL database) in the mode its
 * project names, and page objects for the screens.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test as base, type Browser, type Page, type TestInfo } from '@playwright/test';
import { TEST_SECRET_KEY } from '../support/engines';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/postgres';
import { AuditPage } from './pages/AuditPage';
import { LookupPage } from './pages/LookupPage';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
import { E2E_PG_TEMPLATE, PG_ADMIN_ENV } from './support/globalSetup';
import {
  chromiumLaunchOptions,
  launchElectron,
  launchHarness,
  prepareDemoTemplate,
  type GiftdeskApp,
  type LaunchMode,
} from './support/launch';

export interface LaunchSettings {
  /** Seed the demo dataset into the fresh store (GIFTDESK_DEMO=1). */
  demo: boolean;
  env: Record<string, string>;
  /** Console errors a spec provokes on purpose (e.g. a CSP violation). */
  allowConsoleErrors?: RegExp;
}

export interface ProjectSettings {
  mode: LaunchMode;
  store: 'sqlite' | 'postgres';
}

/** The store every console of one test shares: a data directory (SQLite) or a database (team mode). */
interface TestStoreSetup {
  store: ProjectSettings['store'];
  /** Environment for every console of this test. */
  env: Record<string, string>;
  /** Team mode: the admin URL and the test's database name. */
  pg: { adminUrl: string; database: string } | null;
}

interface Fixtures {
  launch: LaunchSettings;
  storeSetup: TestStoreSetup;
  app: GiftdeskApp;
  /** Starts another console (its own main process) on the same store, as a second desktop would. */
  anotherConsole: () => Promise<GiftdeskApp>;
  page: Page;
  signIn: SignInPage;
  shell: Shell;
  lookup: LookupPage;
  audit: AuditPage;
}

interface WorkerFixtures {
  harnessBrowser: () => Promise<Browser>;
  /** A data directory seeded once per worker by the real main process; tests get copies. */
  demoTemplate: () => Promise<string>;
}

export function projectSettings(testInfo: TestInfo): ProjectSettings {
  const metadata = testInfo.project.metadata as Partial<ProjectSettings>;
  return { mode: metadata.mode ?? 'harness', store: metadata.store ?? 'sqlite' };
}

async function launchConsole(
  testInfo: TestInfo,
  browser: () => Promise<Browser>,
  dataDir: string,
  env: Record<string, string>,
): Promise<GiftdeskApp> {
  return projectSettings(testInfo).mode === 'electron'
    ? launchElectron({ dataDir, env })
    : launchHarness({ browser: await browser(), dataDir, env });
}

async function closeConsole(app: GiftdeskApp, launch: LaunchSettings, testInfo: TestInfo, label: string) {
  const errors = app.pageErrors().filter((e) => !(launch.allowConsoleErrors && launch.allowConsoleErrors.test(e)));
  await app.close();
  if (testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach(`${label}-main-process-output`, { body: app.output(), contentType: 'text/plain' });
  }
  expect(errors, `errors in the renderer of ${label}`).toEqual([]);
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  harnessBrowser: [
    async ({}, use) => {
      let browser: Browser | null = null;
      await use(async () => (browser ??= await chromium.launch(chromiumLaunchOptions())));
      await (browser as Browser | null)?.close();
    },
    { scope: 'worker' },
  ],
  demoTemplate: [
    async ({}, use) => {
      let template: Promise<string> | null = null;
      const root = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-demo-template-'));
      await use(() => (template ??= prepareDemoTemplate(path.join(root, 'data'))));
      await rm(root, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  launch: [{ demo: true, env: {} }, { option: true }],

  storeSetup: async ({ launch }, use, testInfo) => {
    const { store } = projectSettings(testInfo);
    if (store === 'sqlite') {
      await use({ store, env: { GIFTDESK_DEMO: launch.demo ? '1' : '0', GIFTDESK_TEST_HOOKS: '1', ...launch.env }, pg: null });
      return;
    }
    const adminUrl = process.env[PG_ADMIN_ENV];
    if (!adminUrl) throw new Error('team-mode project without a PostgreSQL server (globalSetup did not run)');
    const database = uniqueDatabaseName('e2e');
    const url = await createDatabase(adminUrl, database, launch.demo ? E2E_PG_TEMPLATE : undefined);
    await use({
      store,
      env: { GIFTDESK_DATABASE_URL: url, GIFTDESK_SECRET_KEY: TEST_SECRET_KEY, GIFTDESK_DEMO: '0', GIFTDESK_TEST_HOOKS: '1', ...launch.env },
      pg: { adminUrl, database },
    });
    await dropDatabase(adminUrl, database);
  },

  app: async ({ harnessBrowser, demoTemplate, launch, storeSetup }, use, testInfo) => {
    const dataDir = testInfo.outputPath('giftdesk-data');
    // A copy of the seeded template instead of seeding again (SQLite; team mode copies a database).
    if (storeSetup.store === 'sqlite' && launch.demo && !launch.env['GIFTDESK_DATABASE_URL']) {
      await cp(await demoTemplate(), dataDir, { recursive: true, filter: (source) => !source.includes('user-data') });
    }
    const app = await launchConsole(testInfo, harnessBrowser, dataDir, storeSetup.env);
    try {
      await use(app);
    } finally {
      await closeConsole(app, launch, testInfo, 'console');
    }
  },

  anotherConsole: async ({ harnessBrowser, launch, storeSetup }, use, testInfo) => {
    const opened: GiftdeskApp[] = [];
    await use(async () => {
      if (storeSetup.store !== 'postgres') throw new Error('a second console shares a store only in team mode');
      const app = await launchConsole(testInfo, harnessBrowser, testInfo.outputPath(`giftdesk-data-${opened.length + 2}`), storeSetup.env);
      opened.push(app);
      return app;
    });
    for (const [i, app] of opened.entries()) await closeConsole(app, launch, testInfo, `console ${i + 2}`);
  },

  page: async ({ app }, use) => {
    await use(await app.firstWindow());
  },
  signIn: async ({ page }, use) => use(new SignInPage(page)),
  shell: async ({ page }, use) => use(new Shell(page)),
  lookup: async ({ page }, use) => use(new LookupPage(page)),
  audit: async ({ page }, use) => use(new AuditPage(page)),
});

export { expect };
