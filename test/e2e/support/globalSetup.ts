/**
 * Once per Playwright run, when a project stores in PostgreSQL (team mode): start a
 * real server, and let the real main process seed a demo template database that
 * each test copies.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { TEST_SECRET_KEY } from '../../support/engines';
import { createDatabase, startPostgres } from '../../support/postgres';
import { prepareDemoTemplate } from './launch';

export const E2E_PG_TEMPLATE = 'giftdesk_e2e_demo';
export const PG_ADMIN_ENV = 'GIFTDESK_E2E_PG_ADMIN_URL';

export default async function globalSetup(config: FullConfig) {
  const team = config.projects.some((p) => (p.metadata as { store?: string }).store === 'postgres');
  if (!team) return undefined;
  const server = await startPostgres();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-e2e-template-'));
  try {
    const url = await createDatabase(server.adminUrl, E2E_PG_TEMPLATE);
    // A team store with the demo users: only the explicit test-only opt-in seeds one.
    await prepareDemoTemplate(dir, { GIFTDESK_DATABASE_URL: url, GIFTDESK_SECRET_KEY: TEST_SECRET_KEY, GIFTDESK_DEMO_TEAM: '1', GIFTDESK_TEST_HOOKS: '1' });
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.env[PG_ADMIN_ENV] = server.adminUrl;
  return async () => {
    await server.stop();
  };
}
