/**
 * The `db` fixture: every store test gets a fresh store of its own on each engine.
 *  - sqlite: a new data directory, opened by the same start-up path as the console.
 *  - postgres: a new database on the run's PostgreSQL server (see globalSetup.ts),
 *    copied from a migrated (or migrated + demo) template, opened in team mode.
 * Tests are written against `storeTest` inside `forEachEngine`, so every store test
 * runs on both engines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, inject, test } from 'vitest';
import { startRuntime, type Runtime } from '../../electron/runtime';
import { TestClock } from './clock';
import { PG_TEMPLATE_DEMO, PG_TEMPLATE_EMPTY, selectedEngines, TEST_SECRET_KEY, type Engine } from './engines';
import { createDatabase, dropDatabase, uniqueDatabaseName } from './postgres';

export { type Engine } from './engines';
export const engines = selectedEngines();

export interface TestStore extends Runtime {
  engine: Engine;
  dataDir: string;
  clock: TestClock;
}

export function pgAdminUrl(): string {
  const url = inject('pgAdminUrl');
  if (!url) throw new Error('no PostgreSQL server in this run (GIFTDESK_TEST_ENGINES excludes postgres)');
  return url;
}

export async function createTestStore(options: { engine?: Engine; demo?: boolean } = {}): Promise<TestStore> {
  const engine = options.engine ?? 'sqlite';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-test-'));
  const clock = new TestClock();
  let database: string | null = null;
  let databaseUrl: string | null = null;
  if (engine === 'postgres') {
    database = uniqueDatabaseName('t');
    databaseUrl = await createDatabase(pgAdminUrl(), database, options.demo ? PG_TEMPLATE_DEMO : PG_TEMPLATE_EMPTY);
  }
  const runtime = await startRuntime(
    {
      dataDir,
      databaseUrl,
      demo: engine === 'sqlite' && (options.demo ?? false),
      testHooks: false,
      secretKey: engine === 'postgres' ? TEST_SECRET_KEY : null,
    },
    { clock },
  );
  return {
    ...runtime,
    engine,
    dataDir,
    clock,
    close: async () => {
      await runtime.close();
      if (database) await dropDatabase(pgAdminUrl(), database);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const storeTest = test.extend<{ engine: Engine; store: TestStore; demoStore: TestStore }>({
  engine: 'sqlite',
  store: async ({ engine }, use) => {
    const store = await createTestStore({ engine });
    await use(store);
    await store.close();
  },
  demoStore: async ({ engine }, use) => {
    const store = await createTestStore({ engine, demo: true });
    await use(store);
    await store.close();
  },
});

/** Declares the same tests once per engine, each test with a fresh store on that engine. */
export function forEachEngine(fn: (engine: Engine) => void): void {
  for (const engine of engines) {
    describe(engine, () => {
      storeTest.override({ engine });
      fn(engine);
    });
  }
}
