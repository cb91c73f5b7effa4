/**
 * Issue 11, bypass 6: the demo dataset's users have published passwords, so it never
 * goes into a team store (unless a test opts in explicitly: GIFTDESK_DEMO_TEAM=1 with
 * GIFTDESK_TEST_HOOKS=1), and the sign-in screen offers a demo name only while that
 * user still has the demo password.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { configFromEnv } from '../../electron/config';
import { startRuntime } from '../../electron/runtime';
import { createUser } from '../../electron/services/auth';
import { demoFixtures, presentDemoUsers, seedDemo } from '../../electron/services/demo';
import { hashPassword } from '../../electron/services/passwords';
import { TEST_SECRET_KEY } from '../support/engines';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/postgres';
import { createTestStore, engines, pgAdminUrl, type TestStore } from '../support/store';

test('GIFTDESK_DEMO_TEAM is read, and holds only beside GIFTDESK_TEST_HOOKS', () => {
  expect(configFromEnv({ GIFTDESK_DEMO: '1', GIFTDESK_DEMO_TEAM: '1' }, { dataDir: '/d' })).toMatchObject({ demo: true, demoTeam: false });
  expect(configFromEnv({ GIFTDESK_DEMO: '1', GIFTDESK_DEMO_TEAM: '1', GIFTDESK_TEST_HOOKS: '1' }, { dataDir: '/d' })).toMatchObject({
    demo: true,
    demoTeam: true,
  });
});

if (engines.includes('postgres')) {
  describe('a team store (PostgreSQL)', () => {
    let dataDir: string;
    let database: string;
    let url: string;
    beforeEach(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-demo-team-'));
      database = uniqueDatabaseName('demoteam');
      url = await createDatabase(pgAdminUrl(), database);
    });
    afterEach(async () => {
      await dropDatabase(pgAdminUrl(), database);
      await rm(dataDir, { recursive: true, force: true });
    });
    const config = (extra: { demoTeam?: boolean; testHooks?: boolean } = {}) => ({
      dataDir,
      databaseUrl: url,
      demo: true,
      testHooks: extra.testHooks ?? false,
      demoTeam: extra.demoTeam ?? false,
      secretKey: TEST_SECRET_KEY,
    });

    test('a console asked for demo data on a team store refuses to start, and seeds nothing', async () => {
      await expect(startRuntime(config())).rejects.toThrow(/never seeds it into a team store/);
      await expect(startRuntime(config({ demoTeam: true }))).rejects.toThrow(/never seeds it into a team store/);
      const rt = await startRuntime({ ...config(), demo: false });
      try {
        expect(Number((await rt.db('users').count({ n: '*' }).first())!.n)).toBe(0);
        await expect(seedDemo(rt)).rejects.toThrow(/never seeds it into a team store/);
        expect(Number((await rt.db('users').count({ n: '*' }).first())!.n)).toBe(0);
      } finally {
        await rt.close();
      }
    });

    test('the test-only opt-in (demo team + test hooks) seeds it', async () => {
      const rt = await startRuntime(config({ demoTeam: true, testHooks: true }));
      try {
        expect(Number((await rt.db('users').count({ n: '*' }).first())!.n)).toBe(4);
      } finally {
        await rt.close();
      }
    });
  });
}

describe('a solo store with its own users', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-demo-solo-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  const config = (demo: boolean) => ({ dataDir, databaseUrl: null, demo, testHooks: false, secretKey: null });

  test('a console asked for demo data refuses to start and adds no demo user; a demo store restarts as before', async () => {
    const rt = await startRuntime(config(false));
    await createUser(rt, { username: 'cli:tester' }, { username: 'carol', role: 'admin', password: 'a long password' });
    await rt.close();
    await expect(startRuntime(config(true))).rejects.toThrow(/already has its own users/);
    const after = await startRuntime(config(false));
    try {
      expect((await after.db('users').select('username')).map((r: { username: string }) => r.username)).toEqual(['carol']);
    } finally {
      await after.close();
    }
    const demoDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-demo-solo-'));
    try {
      await (await startRuntime({ ...config(true), dataDir: demoDir })).close();
      await (await startRuntime({ ...config(true), dataDir: demoDir })).close();
    } finally {
      await rm(demoDir, { recursive: true, force: true });
    }
  });
});

for (const engine of engines) {
  describe(engine, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await createTestStore({ engine, demo: true });
    });
    afterEach(async () => {
      await store.close();
    });

    test('the sign-in screen offers a demo name only while that user keeps the demo password', async () => {
      expect((await presentDemoUsers(store.db))?.map((u) => u.username)).toEqual(['ava', 'sam', 'sky', 'ada']);
      await store.db('users').where({ username: 'sam' }).update({ password_hash: await hashPassword('a real password 1') });
      expect((await presentDemoUsers(store.db))?.map((u) => u.username)).toEqual(['ava', 'sky', 'ada']);
      for (const username of ['ava', 'sky', 'ada']) {
        await store.db('users').where({ username }).update({ password_hash: await hashPassword('a real password 1') });
      }
      expect(await presentDemoUsers(store.db)).toBeNull();
    });

    test('the seeded hashes answer without scrypt: any new hash, even of the demo password, is a password set since', async () => {
      const fixtures = demoFixtures();
      await store.db('users').where({ username: 'sam' }).update({ password_hash: await hashPassword(fixtures.users.sam.password) });
      expect((await presentDemoUsers(store.db))?.map((u) => u.username)).toEqual(['ava', 'sky', 'ada']);
    });

    test('a demo store seeded before the hashes were kept is still answered, by checking the passwords', async () => {
      await store.db('settings').where({ key: 'demo.seededPasswordHashes' }).delete();
      await store.db('users').where({ username: 'sky' }).update({ password_hash: await hashPassword('a real password 1') });
      expect((await presentDemoUsers(store.db))?.map((u) => u.username)).toEqual(['ava', 'sam', 'ada']);
    });

    test('a deactivated demo user is not offered', async () => {
      await store.db('users').where({ username: 'ava' }).update({ active: false });
      expect((await presentDemoUsers(store.db))?.map((u) => u.username)).toEqual(['sam', 'sky', 'ada']);
    });
  });
}
