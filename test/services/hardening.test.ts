/**
 * Small holes from the insider review (issue 11, item 9), each shown by a test first:
 * a password typed into the username field must not become readable in the audit log;
 * a failed query must not carry its bound values into an error message (and so into
 * a log line); the data directory and the files in it are the OS user's alone.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { test as plainTest } from 'vitest';
import { signIn } from '../../electron/services/auth';
import { startRuntime } from '../../electron/runtime';
import { refusal as failure } from '../support/errors';
import { forEachEngine, storeTest as test } from '../support/store';

forEachEngine(() => {
  test('a failed sign-in for an unknown name records a keyed pseudonym, never the typed text', async ({ store }) => {
    const typed = 'Tr0ub4dor&3-typed-in-the-wrong-field';
    expect((await failure(signIn(store, { username: typed, password: 'whatever it is' }))).code).toBe('SIGN_IN_FAILED');
    const rows = await store.db('audit_log').where({ action: 'session.signIn.failed' }).select('subject_id', 'details');
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    expect(stored.toLowerCase()).not.toContain(typed.toLowerCase());
    // The same name gives the same pseudonym, so repeated guesses can still be grouped.
    await failure(signIn(store, { username: typed, password: 'again' }));
    const again = await store.db('audit_log').where({ action: 'session.signIn.failed' }).orderBy('seq').select('subject_id');
    expect(again[1]!.subject_id).toBe(again[0]!.subject_id);
    expect(again[0]!.subject_id).toMatch(/^unknown:[0-9a-f]{16}$/);
  });

  test('a failed query does not put its bound values into the error message', async ({ store }) => {
    const secret = 'bound-value-that-must-not-leak';
    const error = await store
      .db('users')
      .insert({ id: 1, username: secret })
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toContain(secret);
  });
});

describe('file permissions (POSIX)', () => {
  plainTest.skipIf(process.platform === 'win32')('the data directory is 0700, the store and key files 0600', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'giftdesk-perm-')), 'data');
    const runtime = await startRuntime({ dataDir, databaseUrl: null, demo: false, testHooks: false, secretKey: null });
    try {
      const mode = async (file: string) => (await stat(path.join(dataDir, file))).mode & 0o777;
      expect(await mode('.')).toBe(0o700);
      expect(await mode('giftdesk.sqlite')).toBe(0o600);
      expect(await mode('claim-code.key')).toBe(0o600);
    } finally {
      await runtime.close();
      await rm(path.dirname(dataDir), { recursive: true, force: true });
    }
  });
});
