/**
 * Playwright fixtures: every test gets its own Giftdesk (its own data directory and
 * main process) in the mode its project names, and page objects for the screens.
 *
 * Team mode (project `team`): every test gets its own PostgreSQL database and its own
 * real team server (`giftdesk serve`, its own process, over TLS with the run's test
 * certificate) holding the database URL and the claim-code key; each console knows
 * only the server's URL and the certificate to trust (GIFTDESK_SERVER_URL /
 * GIFTDESK_SERVER_CA), as a team's desktop does.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test as base, type Browser, type Page, type TestInfo } from '@playwright/test';
import { TEST_SECRET_KEY } from '../support/engines';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/postgres';
import { AuditPage } from './pages/AuditPage';
import { LookupPage } from './pages/LookupPage';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
import { E2E_PG_TEMPLATE, PG_ADMIN_ENV, TLS_CERT_ENV, TLS_KEY_ENV } from './support/globalSetup';
import {
  chromiumLaunchOptions,
  launchElectron,
  launchHarness,
  prepareDemoTemplate,
  type GiftdeskApp,
  type LaunchMode,
} from './support/launch';
import { runServerCli, startTeamServer, type TeamServer } from './support/teamServer';

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

/** Team mode: the test's team servers, all on the test's database. */
export interface TeamSetup {
  /** The server the test's consoles talk to unless told otherwise (started before them). */
  readonly server: TeamServer;
  /** Starts another `giftdesk serve` on the test's database (a second process, or a restart on `port`). Stopped after the test. */
  startServer(options?: { port?: number }): Promise<TeamServer>;
  /** The whole environment of a console of `server`: its URL and the CA file, nothing secret. */
  consoleEnv(server: TeamServer | { url: string }): Record<string, string>;
  /** The run's test certificate (PEM file): what consoles trust. */
  readonly certFile: string;
  /**
   * Runs the real `giftdesk` CLI on the server's machine, with the server's configuration
   * (database URL and key): what a team admin does for work the consoles leave to the
   * server, e.g. `cards import`. Resolves with the exit code and the output.
   */
  serverCli(args: string[]): Promise<{ code: number | null; output: string }>;
}

/** The store every console of one test shares: a data directory (SQLite) or a team server on a database (team mode). */
interface TestStoreSetup {
  store: ProjectSettings['store'];
  /** Environment for every console of this test. */
  env: Record<string, string>;
  /** Team mode: the admin URL and the test's database name. */
  pg: { adminUrl: string; database: string } | null;
  team: TeamSetup | null;
}

interface Fixtures {
  launch: LaunchSettings;
  storeSetup: TestStoreSetup;
  app: GiftdeskApp;
  /**
   * Starts another console (its own main process) on the same store, as a second desktop
   * would; in team mode a console of `server` (default: the test's first server), with
   * `env` over its environment.
   */
  anotherConsole: (options?: { server?: { url: string }; env?: Record<string, string> }) => Promise<GiftdeskApp>;
  /** Team mode: the test's team servers (a spec may stop, kill or restart them). */
  team: TeamSetup;
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

/**
 * A new server's first app:info warms its connection pool and the code paths a console
 * needs first. Asked here once, before any console opens, so that on a busy machine a
 * spec's expectations time the console, not a cold server.
 */
function warmUp(url: string, ca: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = https.request(`${url}/rpc/app:info`, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`the team server answered app:info with ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end('{"input":{}}');
  });
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
      await use({ store, env: { GIFTDESK_DEMO: launch.demo ? '1' : '0', GIFTDESK_TEST_HOOKS: '1', ...launch.env }, pg: null, team: null });
      return;
    }
    const adminUrl = process.env[PG_ADMIN_ENV];
    const certFile = process.env[TLS_CERT_ENV];
    const keyFile = process.env[TLS_KEY_ENV];
    if (!adminUrl || !certFile || !keyFile) throw new Error('team-mode project without a PostgreSQL server or a test certificate (globalSetup did not run)');
    const database = uniqueDatabaseName('e2e');
    const url = await createDatabase(adminUrl, database, launch.demo ? E2E_PG_TEMPLATE : undefined);
    // The secrets live in the server's environment only.
    const serverEnv = { GIFTDESK_DATABASE_URL: url, GIFTDESK_SECRET_KEY: TEST_SECRET_KEY, GIFTDESK_TEST_HOOKS: '1' };
    const servers: TeamServer[] = [];
    const startServer = async (options: { port?: number } = {}) => {
      const server = await startTeamServer({
        env: serverEnv,
        dataDir: testInfo.outputPath(`giftdesk-server-${servers.length + 1}`),
        tls: { certFile, keyFile },
        ...(options.port !== undefined ? { port: options.port } : {}),
      });
      servers.push(server);
      await warmUp(server.url, await readFile(certFile, 'utf8'));
      return server;
    };
    const consoleEnv = (server: { url: string }) => ({
      GIFTDESK_SERVER_URL: server.url,
      GIFTDESK_SERVER_CA: certFile,
      GIFTDESK_DEMO: '0',
      GIFTDESK_TEST_HOOKS: '1',
      // Nothing of the run's own secrets reaches a console's process either.
      [PG_ADMIN_ENV]: '',
      [TLS_KEY_ENV]: '',
      ...launch.env,
    });
    try {
      const first = await startServer();
      await use({ store, env: consoleEnv(first), pg: { adminUrl, database }, team: {
          server: first,
          startServer,
          consoleEnv,
          certFile,
          serverCli: (args) => runServerCli(args, { ...serverEnv, GIFTDESK_DATA_DIR: testInfo.outputPath('giftdesk-server-cli') }),
        },
      });
    } finally {
      for (const [i, server] of servers.entries()) {
        await server.stop();
        if (testInfo.status !== testInfo.expectedStatus) {
          await testInfo.attach(`team-server-${i + 1}-output`, { body: server.output(), contentType: 'text/plain' });
        }
      }
      await dropDatabase(adminUrl, database);
    }
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
    await use(async (options = {}) => {
      const team = storeSetup.team;
      if (!team) throw new Error('a second console shares a store only in team mode');
      const env = { ...(options.server ? team.consoleEnv(options.server) : storeSetup.env), ...options.env };
      const app = await launchConsole(testInfo, harnessBrowser, testInfo.outputPath(`giftdesk-data-${opened.length + 2}`), env);
      opened.push(app);
      return app;
    });
    for (const [i, app] of opened.entries()) await closeConsole(app, launch, testInfo, `console ${i + 2}`);
  },

  team: async ({ storeSetup }, use) => {
    if (!storeSetup.team) throw new Error('this test needs a team server: it runs in the team project only');
    await use(storeSetup.team);
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
