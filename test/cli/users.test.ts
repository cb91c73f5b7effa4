/** `giftdesk users list|update|reset-password|unlock` on both engines (issue 13); `users add` is in cli.test.ts. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../../electron/cli';
import { authenticate, signIn } from '../../electron/services/auth';
import { startRuntime } from '../../electron/runtime';
import { TestClock } from '../support/clock';
import { TEST_SECRET_KEY } from '../support/engines';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/postgres';
import { engines, pgAdminUrl } from '../support/store';

let dataDir: string;
let database: string | null;
let storeEnv: Record<string, string>;

async function run(args: string[], stdin = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await runCli(args, { stdin: Readable.from([stdin]), stdout, stderr, env: { GIFTDESK_DATA_DIR: dataDir, USER: 'tester', ...storeEnv } });
  return { code, out, err };
}

async function withStore<T>(fn: (rt: Awaited<ReturnType<typeof startRuntime>>) => Promise<T>): Promise<T> {
  const rt = await startRuntime(
    { dataDir, databaseUrl: storeEnv['GIFTDESK_DATABASE_URL'] ?? null, demo: false, testHooks: false, secretKey: storeEnv['GIFTDESK_SECRET_KEY'] ?? null },
    { clock: new TestClock(new Date().toISOString()) },
  );
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

for (const engine of engines) {
  describe(engine, () => {
    beforeEach(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-cli-users-'));
      database = null;
      storeEnv = {};
      if (engine === 'postgres') {
        database = uniqueDatabaseName('cliu');
        storeEnv = { GIFTDESK_DATABASE_URL: await createDatabase(pgAdminUrl(), database), GIFTDESK_SECRET_KEY: TEST_SECRET_KEY };
      }
      expect(await run(['users', 'add', 'ada', '--role', 'admin', '--name', 'Ada Admin', '--password-stdin'], 'ada password\n')).toMatchObject({ code: 0 });
      expect(await run(['users', 'add', 'ava', '--role', 'agent', '--name', 'Ava Agent', '--password-stdin'], 'ava password\n')).toMatchObject({ code: 0 });
    });
    afterEach(async () => {
      if (database) await dropDatabase(pgAdminUrl(), database);
      await rm(dataDir, { recursive: true, force: true });
    });

    test('users list shows each user with role, state and last sign-in, never a hash', async () => {
      await withStore((rt) => signIn(rt, { username: 'ada', password: 'ada password' }));
      const listed = await run(['users', 'list']);
      expect(listed.code).toBe(0);
      expect(listed.err).toBe('');
      const lines = listed.out.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^ada {2}admin {2}Ada Admin {2}active {2}last sign-in \d{4}-/);
      expect(lines[1]).toBe('ava  agent  Ava Agent  active  never signed in');
      expect(listed.out).not.toMatch(/scrypt/);
    });

    test('users update changes role, name and active state, audited as the CLI; the last admin is protected', async () => {
      const updated = await run(['users', 'update', 'ava', '--role', 'supervisor', '--name', 'Ava S', '--deactivate']);
      expect(updated).toEqual({ code: 0, err: '', out: 'Updated: ava  supervisor  Ava S  deactivated  never signed in\n' });
      await withStore(async (rt) => {
        expect(await rt.db('audit_log').where({ action: 'user.updated' }).first()).toMatchObject({ actor: 'cli:tester', subject_id: 'ava' });
        await expect(signIn(rt, { username: 'ava', password: 'ava password' })).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
      });
      expect(await run(['users', 'update', 'ava', '--activate'])).toMatchObject({ code: 0, out: expect.stringContaining('ava  supervisor  Ava S  active') });
      const lastAdmin = await run(['users', 'update', 'ada', '--role', 'agent']);
      expect(lastAdmin).toMatchObject({ code: 1, out: '', err: expect.stringContaining('ada is the last active admin') });
      expect(await run(['users', 'update', 'ava'])).toMatchObject({ code: 2, err: expect.stringContaining('needs at least one of') });
      expect(await run(['users', 'update', 'ava', '--activate', '--deactivate'])).toMatchObject({ code: 2 });
      expect(await run(['users', 'update', 'ava', '--role', 'boss'])).toMatchObject({ code: 2, err: expect.stringContaining('the role is agent, supervisor or admin') });
      expect(await run(['users', 'update', 'nobody', '--activate'])).toMatchObject({ code: 1, err: 'giftdesk: There is no user named nobody.\n' });
    });

    test('users reset-password prints a temporary password once; it signs in and must be changed', async () => {
      const reset = await run(['users', 'reset-password', 'ava']);
      expect(reset.code).toBe(0);
      const temp = /Temporary password for ava: (\S+)\n/.exec(reset.out)?.[1] ?? '';
      expect(temp).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(reset.out).toContain('It is shown this once.');
      await withStore(async (rt) => {
        expect(await authenticate(rt, { username: 'ava', password: temp })).toMatchObject({ mustChangePassword: true });
        expect(JSON.stringify(await rt.db('audit_log').select('*'))).not.toContain(temp);
      });
      expect((await run(['users', 'list'])).out).toContain('ava  agent  Ava Agent  active, must change password');
    });

    test('users unlock clears a sign-in lock; a user who is not locked is refused', async () => {
      expect(await run(['users', 'unlock', 'ava'])).toMatchObject({ code: 1, err: 'giftdesk: ava is not locked out of sign-in.\n' });
      await withStore(async (rt) => {
        for (let i = 0; i < 5; i++) await signIn(rt, { username: 'ava', password: 'wrong' }).catch(() => undefined);
      });
      expect((await run(['users', 'list'])).out).toMatch(/ava {2}agent {2}Ava Agent {2}active, locked until /);
      expect(await run(['users', 'unlock', 'ava'])).toEqual({ code: 0, err: '', out: 'Unlocked ava: they can sign in again.\n' });
      await withStore((rt) => expect(signIn(rt, { username: 'ava', password: 'ava password' })).resolves.toMatchObject({ username: 'ava' }));
    });
  });
}
