/**
 * Once per vitest run: a real PostgreSQL server with two template databases (migrated;
 * migrated + demo data) that tests copy, and the multi-process race worker bundle.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRuntime } from '../../electron/runtime';
import { PG_TEMPLATE_DEMO, PG_TEMPLATE_EMPTY, selectedEngines, TEST_SECRET_KEY } from './engines';
import { createDatabase, startPostgres, type PgServer } from './postgres';
import { buildRaceWorker } from './raceBuild';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
    raceWorker: string;
  }
}

async function prepareTemplate(adminUrl: string, name: string, demo: boolean): Promise<void> {
  const url = await createDatabase(adminUrl, name);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-template-'));
  try {
    // The demo template is a team store with the demo users: the explicit test-only opt-in.
    const runtime = await startRuntime({ dataDir, databaseUrl: url, demo, demoTeam: demo, testHooks: demo, secretKey: TEST_SECRET_KEY });
    await runtime.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject) {
  let server: PgServer | null = null;
  if (selectedEngines().includes('postgres')) {
    server = await startPostgres();
    await prepareTemplate(server.adminUrl, PG_TEMPLATE_EMPTY, false);
    await prepareTemplate(server.adminUrl, PG_TEMPLATE_DEMO, true);
  }
  project.provide('pgAdminUrl', server?.adminUrl ?? null);
  project.provide('raceWorker', await buildRaceWorker());
  return async () => {
    await server?.stop();
  };
}
