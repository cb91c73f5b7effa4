import { randomBytes, scryptSync } from 'node:crypto';
import { expect } from 'vitest';
import { createUser, signIn, SIGN_IN_FAILED_MESSAGE } from '../../electron/services/auth';
import { verifyAuditChain } from '../../electron/services/audit';
import { refusal as failure } from '../support/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';


/** A stored hash with the given scrypt parameters, as an older Giftdesk wrote it. */
async function hashWith(password: string, params: { N: number; r: number; p: number }): Promise<string> {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { ...params, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

async function actions(store: TestStore): Promise<string[]> {
  return (await store.db('audit_log').orderBy('seq').select('action')).map((r: { action: string }) => r.action);
}

forEachEngine(() => {
  test('signs in with the right password and records it', async ({ store }) => {
    await createUser(store, { username: 'test' }, { username: 'Ava', role: 'agent', password: 'correct horse', displayName: 'Ava T' });
    const user = await signIn(store, { username: ' AVA ', password: 'correct horse' });
    expect(user).toMatchObject({ username: 'ava', role: 'agent', displayName: 'Ava T' });
    expect(await actions(store)).toEqual(['user.created', 'session.signIn']);
    const row = await store.db('users').where({ username: 'ava' }).first();
    // OWASP's scrypt figure: N = 2^17, r = 8, p = 1.
    expect(row.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(row.password_hash).not.toContain('correct horse');
  });

  test('a hash made with older, weaker parameters is upgraded on the next successful sign-in', async ({ store }) => {
    await createUser(store, { username: 'test' }, { username: 'ava', role: 'agent', password: 'correct horse' });
    const old = await hashWith('correct horse', { N: 16384, r: 8, p: 1 });
    await store.db('users').where({ username: 'ava' }).update({ password_hash: old });
    // A wrong password changes nothing.
    await failure(signIn(store, { username: 'ava', password: 'wrong horse' }));
    expect((await store.db('users').where({ username: 'ava' }).first()).password_hash).toBe(old);
    await signIn(store, { username: 'ava', password: 'correct horse' });
    const upgraded = (await store.db('users').where({ username: 'ava' }).first()).password_hash as string;
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    await expect(signIn(store, { username: 'ava', password: 'correct horse' })).resolves.toMatchObject({ username: 'ava' });
  });

  test('an unknown user and a wrong password get the same answer', async ({ store }) => {
    await createUser(store, { username: 'test' }, { username: 'ava', role: 'agent', password: 'correct horse' });
    const wrong = await failure(signIn(store, { username: 'ava', password: 'wrong horse' }));
    const unknown = await failure(signIn(store, { username: 'nobody', password: 'wrong horse' }));
    expect(wrong.toBody()).toEqual({ code: 'SIGN_IN_FAILED', message: SIGN_IN_FAILED_MESSAGE });
    expect(unknown.toBody()).toEqual(wrong.toBody());
    expect(await actions(store)).toEqual(['user.created', 'session.signIn.failed', 'session.signIn.failed']);
  });

  test('five failures lock the user for 15 minutes, even against the right password', async ({ store }) => {
    await createUser(store, { username: 'test' }, { username: 'ava', role: 'agent', password: 'correct horse' });
    for (let i = 1; i <= 4; i++) {
      expect((await failure(signIn(store, { username: 'ava', password: `nope-${i}` }))).code).toBe('SIGN_IN_FAILED');
    }
    const locked = await failure(signIn(store, { username: 'ava', password: 'nope-5' }));
    expect(locked.code).toBe('SIGN_IN_LOCKED');
    const until = store.clock.now().getTime() + 15 * 60_000;
    expect(locked.details).toEqual({ lockedUntil: new Date(until).toISOString() });
    // The failure that locks is on record before the lock, and the lock is committed with it.
    expect((await actions(store)).slice(-2)).toEqual(['session.signIn.failed', 'user.locked']);
    expect(await store.db('users').where({ username: 'ava' }).first()).toMatchObject({ failed_sign_ins: 0 });

    store.clock.advanceMinutes(14);
    expect((await failure(signIn(store, { username: 'ava', password: 'correct horse' }))).code).toBe('SIGN_IN_LOCKED');

    store.clock.advanceMinutes(2);
    await expect(signIn(store, { username: 'ava', password: 'correct horse' })).resolves.toMatchObject({ username: 'ava' });
    const log = await actions(store);
    expect(log.filter((a) => a === 'user.locked')).toHaveLength(1);
    expect(log).toContain('session.signIn.refused');
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
  });

  test('a success resets the failure count', async ({ store }) => {
    await createUser(store, { username: 'test' }, { username: 'ava', role: 'agent', password: 'correct horse' });
    for (let i = 0; i < 4; i++) await failure(signIn(store, { username: 'ava', password: 'x' }));
    await signIn(store, { username: 'ava', password: 'correct horse' });
    for (let i = 0; i < 4; i++) expect((await failure(signIn(store, { username: 'ava', password: 'x' }))).code).toBe('SIGN_IN_FAILED');
  });

  test('after a lock runs out the count starts again', async ({ store }) => {
    await createUser(store, { username: 'test' }, { username: 'ava', role: 'agent', password: 'correct horse' });
    for (let i = 0; i < 5; i++) await failure(signIn(store, { username: 'ava', password: 'x' }));
    store.clock.advanceMinutes(16);
    expect((await failure(signIn(store, { username: 'ava', password: 'x' }))).code).toBe('SIGN_IN_FAILED');
  });

  test('new users are validated and unique', async ({ store }) => {
    await createUser(store, { username: 'test' }, { username: 'ava', role: 'agent', password: 'correct horse' });
    expect((await failure(createUser(store, { username: 'test' }, { username: 'AVA', role: 'agent', password: 'another one' }))).message).toBe(
      'A user named ava already exists.',
    );
    expect((await failure(createUser(store, { username: 'test' }, { username: 'bo', role: 'agent', password: 'short' }))).message).toMatch(/at least 8/);
    expect((await failure(createUser(store, { username: 'test' }, { username: 'a b', role: 'agent', password: 'long enough' }))).message).toMatch(
      /username is 2–64 characters/,
    );
    expect(await store.db('users').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });
});
