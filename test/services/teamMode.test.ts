import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CONFIG_FILE, resolveConfig } from '../../electron/config';
import { startRuntime } from '../../electron/runtime';
import { signIn } from '../../electron/services/auth';
import { TestClock } from '../support/clock';
import { TEST_SECRET_KEY } from '../support/engines';
import { createDatabase, databaseUrl, dropDatabase, uniqueDatabaseName } from '../support/postgres';
import { engines, pgAdminUrl } from '../support/store';

/** A team store with the demo users: the explicit test-only opt-in (a real one never gets them). */
const demoTeamStore = { demo: true, demoTeam: true, testHooks: true };

const OTHER_KEY = 'c0ffee'.repeat(10) + 'c0ff';

describe('configuration', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-config-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the data directory’s giftdesk.config.json supplies the team database and key', async () => {
    await writeFile(path.join(dataDir, CONFIG_FILE), JSON.stringify({ databaseUrl: 'postgres://h/db', secretKey: 'k' }));
    expect(await resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir: '/unused' })).toMatchObject({
      dataDir,
      databaseUrl: 'postgres://h/db',
      secretKey: 'k',
    });
  });

  test('the environment wins over the file', async () => {
    await writeFile(path.join(dataDir, CONFIG_FILE), JSON.stringify({ databaseUrl: 'postgres://h/db', secretKey: 'k' }));
    const config = await resolveConfig(
      { GIFTDESK_DATA_DIR: dataDir, GIFTDESK_DATABASE_URL: 'postgres://other/db', GIFTDESK_SECRET_KEY: 'env' },
      { dataDir: '/unused' },
    );
    expect(config).toMatchObject({ databaseUrl: 'postgres://other/db', secretKey: 'env' });
  });

  test('a broken config file is refused with the reason', async () => {
    await writeFile(path.join(dataDir, CONFIG_FILE), '{ nope');
    await expect(resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir })).rejects.toThrow(/is not valid JSON/);
    await writeFile(path.join(dataDir, CONFIG_FILE), JSON.stringify({ databaseURL: 'x' }));
    await expect(resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir })).rejects.toThrow(/unknown setting "databaseURL"/);
  });

  test('without a file or variables the store is SQLite in the data directory', async () => {
    expect(await resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir: '/unused' })).toEqual({
      dataDir,
      databaseUrl: null,
      demo: false,
      testHooks: false,
      demoTeam: false,
      secretKey: null,
    });
  });
});

// Only where this run has a PostgreSQL server (GIFTDESK_TEST_ENGINES).
if (engines.includes('postgres')) {
  describe('team mode on PostgreSQL', () => {
    let dataDir: string;
    let database: string;
    let url: string;
    const config = (extra: { secretKey?: string | null; databaseUrl?: string } = {}) => ({
      dataDir,
      databaseUrl: extra.databaseUrl ?? url,
      demo: false,
      testHooks: false,
      secretKey: extra.secretKey === undefined ? TEST_SECRET_KEY : extra.secretKey,
    });

    beforeEach(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-team-'));
      database = uniqueDatabaseName('team');
      url = await createDatabase(pgAdminUrl(), database);
    });
    afterEach(async () => {
      await dropDatabase(pgAdminUrl(), database);
      await rm(dataDir, { recursive: true, force: true });
    });

    test('the key must come from configuration', async () => {
      await expect(startRuntime(config({ secretKey: null }))).rejects.toThrow(/Team mode needs the team's claim-code key/);
    });

    test('a console with a different key refuses to start instead of giving wrong answers', async () => {
      await (await startRuntime({ ...config(), ...demoTeamStore })).close();
      await expect(startRuntime(config({ secretKey: OTHER_KEY }))).rejects.toThrow(
        /claim-code key \(GIFTDESK_SECRET_KEY, or secretKey in giftdesk\.config\.json\) is not the team's/,
      );
      const same = await startRuntime(config());
      expect(same.vault.fingerprint).toBeTruthy();
      await same.close();
    });

    test('two consoles with different keys starting at once on an empty database: exactly one wins', async () => {
      const results = await Promise.allSettled([startRuntime(config()), startRuntime(config({ secretKey: OTHER_KEY }))]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect(String(refused[0]!.reason)).toMatch(/is not the team's/);
      for (const r of results) if (r.status === 'fulfilled') await r.value.close();
    });

    test('a lockout on one console applies on another', async () => {
      const clock = new TestClock();
      const first = await startRuntime({ ...config(), ...demoTeamStore }, { clock });
      const second = await startRuntime(config(), { clock });
      try {
        for (let i = 0; i < 5; i++) await signIn(first, { username: 'sky', password: 'nope' }).catch(() => undefined);
        await expect(signIn(second, { username: 'sky', password: 'sky-demo' })).rejects.toMatchObject({ code: 'SIGN_IN_LOCKED' });
      } finally {
        await first.close();
        await second.close();
      }
    });

    test('an unreachable server, a missing database and a wrong password each get a clear reason', async () => {
      await expect(startRuntime(config({ databaseUrl: 'postgres://giftdesk:secret@127.0.0.1:1/giftdesk' }))).rejects.toThrow(
        'Cannot reach the team database at postgres://giftdesk:***@127.0.0.1:1/giftdesk: the connection was refused. Is the PostgreSQL server running and listening there?',
      );
      const missing = databaseUrl(pgAdminUrl(), 'no_such_database');
      await expect(startRuntime(config({ databaseUrl: missing }))).rejects.toThrow(/that database does not exist/);
      const wrongPassword = new URL(url);
      wrongPassword.password = 'not-it';
      await expect(startRuntime(config({ databaseUrl: wrongPassword.toString() }))).rejects.toThrow(
        /refused the user name or password/,
      );
    });
  });
}
