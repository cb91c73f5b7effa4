/**
 * The `db` fixture: every store test gets a fresh store of its own, through the same
 * start-up path the console uses (migrations, key, optional demo data). Tests are
 * written against `storeTest` and `forEachEngine`, so adding an engine here runs
 * every store test on it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'vitest';
import { startRuntime, type Runtime } from '../../electron/runtime';
import { TestClock } from './clock';

export const engines = ['sqlite'] as const;
export type Engine = (typeof engines)[number];

export interface TestStore extends Runtime {
  engine: Engine;
  dataDir: string;
  clock: TestClock;
}

export async function createTestStore(options: { engine?: Engine; demo?: boolean } = {}): Promise<TestStore> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-test-'));
  const clock = new TestClock();
  const runtime = await startRuntime(
    { dataDir, databaseUrl: null, demo: options.demo ?? false, testHooks: false, secretKey: null },
    { clock },
  );
  return {
    ...runtime,
    engine: options.engine ?? 'sqlite',
    dataDir,
    clock,
    close: async () => {
      await runtime.close();
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
