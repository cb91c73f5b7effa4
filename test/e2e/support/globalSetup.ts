/**
 * Once per Playwright run, when a project stores in PostgreSQL (team mode): start a
 * real server, seed a demo template database (the server's start-up code) that each test
 * copies, and generate the test TLS certificate every team server of the run serves
 * (consoles trust it as their CA file). The certificate's files are handed to the
 * workers through the environment, like the admin URL.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { TEST_SECRET_KEY } from '../../support/engines';
import { createDatabase, startPostgres } from '../../support/postgres';
import { makeTestCertificate } from '../../support/tls';
import { startRuntime } from '../../../electron/runtime';

export const E2E_PG_TEMPLATE = 'giftdesk_e2e_demo';
export const PG_ADMIN_ENV = 'GIFTDESK_E2E_PG_ADMIN_URL';
/** The run's test certificate (PEM) and its key, for `giftdesk serve --tls-cert/--tls-key`. */
export const TLS_CERT_ENV = 'GIFTDESK_E2E_TLS_CERT';
export const TLS_KEY_ENV = 'GIFTDESK_E2E_TLS_KEY';

export default async function globalSetup(config: FullConfig) {
  const team = config.projects.some((p) => (p.metadata as { store?: string }).store === 'postgres');
  if (!team) return undefined;
  const tlsDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-e2e-tls-'));
  const certificate = makeTestCertificate();
  const certFile = path.join(tlsDir, 'cert.pem');
  const keyFile = path.join(tlsDir, 'key.pem');
  await writeFile(certFile, certificate.cert, { mode: 0o644 });
  await writeFile(keyFile, certificate.key, { mode: 0o600 });

  const server = await startPostgres();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-e2e-template-'));
  try {
    const url = await createDatabase(server.adminUrl, E2E_PG_TEMPLATE);
    // A team store with the demo users: only the explicit test-only opt-in seeds one. Seeded by
    // the same start-up code the server runs (consoles no longer open a team database).
    const seeded = await startRuntime({ dataDir: dir, databaseUrl: url, secretKey: TEST_SECRET_KEY, demo: true, demoTeam: true, testHooks: true });
    await seeded.close();
  } catch (error) {
    await server.stop();
    await rm(tlsDir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.env[PG_ADMIN_ENV] = server.adminUrl;
  process.env[TLS_CERT_ENV] = certFile;
  process.env[TLS_KEY_ENV] = keyFile;
  return async () => {
    await server.stop();
    await rm(tlsDir, { recursive: true, force: true });
  };
}
