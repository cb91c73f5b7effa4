/**
 * Playwright fixtures: every test gets its own Giftdesk (its own data directory and
 * main process) in the mode its project names, and page objects for the screens.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test as base, type Browser, type Page } from '@playwright/test';
import { AuditPage } from './pages/AuditPage';
import { LookupPage } from './pages/LookupPage';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
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

interface Fixtures {
  launch: LaunchSettings;
  app: GiftdeskApp;
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
  app: async ({ harnessBrowser, demoTemplate, launch }, use, testInfo) => {
    const mode = (testInfo.project.metadata as { mode?: LaunchMode }).mode ?? 'harness';
    const dataDir = testInfo.outputPath('giftdesk-data');
    if (launch.demo && Object.keys(launch.env).length === 0) {
      await cp(await demoTemplate(), dataDir, { recursive: true, filter: (source) => !source.includes('user-data') });
    }
    const env = { GIFTDESK_DEMO: launch.demo ? '1' : '0', ...launch.env };
    const app =
      mode === 'electron'
        ? await launchElectron({ dataDir, env })
        : await launchHarness({ browser: await harnessBrowser(), dataDir, env });
    try {
      await use(app);
    } finally {
      const errors = app.pageErrors().filter((e) => !(launch.allowConsoleErrors && launch.allowConsoleErrors.test(e)));
      await app.close();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('main-process-output', { body: app.output(), contentType: 'text/plain' });
      }
      expect(errors, 'errors in the renderer').toEqual([]);
    }
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
