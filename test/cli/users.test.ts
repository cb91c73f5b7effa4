/** `giftdesk users list|update|reset-password|unlock` on both engines (issue 13); `users add` is in cli.test.ts. */
import { beforeEach, describe, expect, test } from 'vitest';
import type { Runtime } from '../../electron/runtime';
import { authenticate, signIn } from '../../electron/services/auth';
import { cliStore } from '../support/cliStore';
import { engines } from '../support/store';

for (const engine of engines) {
  describe(engine, () => {
    const cli = cliStore(engine, 'users');
    // The users' sign-ins happen now (the CLI's clock): the services look with a clock at now too.
    const run = (args: string[], stdin = '') => cli.run(args, { stdin });
    const withStore = <T,>(fn: (rt: Runtime) => Promise<T>) => cli.withStore(fn, new Date().toISOString());
    beforeEach(async () => {
      expect(await run(['users', 'add', 'ada', '--role', 'admin', '--name', 'Ada Admin', '--password-stdin'], 'ada password\n')).toMatchObject({ code: 0 });
      expect(await run(['users', 'add', 'ava', '--role', 'agent', '--name', 'Ava Agent', '--password-stdin'], 'ava password\n')).toMatchObject({ code: 0 });
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

    test('users update --reveal grants, withdraws or returns to the role default the reveal permission', async () => {
      expect(await run(['users', 'update', 'ava', '--reveal', 'granted'])).toMatchObject({ code: 0, out: expect.stringContaining('ava  agent  Ava Agent  active, may reveal personal data (granted)') });
      expect(await run(['users', 'update', 'ava', '--reveal', 'withdrawn'])).toMatchObject({ code: 0, out: expect.stringContaining('active, may not reveal personal data (withdrawn)') });
      expect(await run(['users', 'update', 'ava', '--reveal', 'role-default'])).toMatchObject({ code: 0, out: expect.stringContaining('ava  agent  Ava Agent  active  ') });
      expect(await run(['users', 'update', 'ada', '--reveal', 'granted'])).toMatchObject({ code: 1, err: expect.stringContaining('admins do not work cards or accounts') });
      expect(await run(['users', 'update', 'ava', '--reveal', 'always'])).toMatchObject({ code: 2, err: expect.stringContaining('role-default, granted or withdrawn') });
      await withStore(async (rt) => {
        const changes = await rt.db('audit_log').where({ action: 'user.updated', subject_id: 'ava' }).orderBy('seq').select('actor', 'details');
        expect(changes.map((c) => JSON.parse(c.details).revealPermission)).toEqual([
          { from: 'roleDefault', to: 'granted' },
          { from: 'granted', to: 'withdrawn' },
          { from: 'withdrawn', to: 'roleDefault' },
        ]);
      });
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
