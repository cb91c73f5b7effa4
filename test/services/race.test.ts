import { expect } from 'vitest';
import { createUser } from '../../electron/services/auth';
import { verifyAuditChain } from '../../electron/services/audit';
import { race, RACE_TIMEOUT_MS } from '../support/race';
import { forEachEngine, storeTest as test } from '../support/store';

forEachEngine(() => {
  test('10 processes failing to sign in at once lock the user exactly at the limit', { timeout: RACE_TIMEOUT_MS }, async ({ store }) => {
    await createUser(store, { username: 'test' }, { username: 'ava', role: 'agent', password: 'correct horse' });
    const outcomes = await race(store, 10, 'signIn', { username: 'ava', password: 'wrong horse' });
    const codes = outcomes.map((o) => (o.ok ? 'OK' : o.code)).sort();
    // Attempts 1–4 fail, the 5th locks, the rest are refused while locked.
    expect(codes.filter((c) => c === 'SIGN_IN_FAILED')).toHaveLength(4);
    expect(codes.filter((c) => c === 'SIGN_IN_LOCKED')).toHaveLength(6);
    const count = async (action: string) =>
      (await store.db('audit_log').where({ action }).count({ n: '*' }).first())?.n;
    expect(await count('session.signIn.failed')).toBe(5);
    expect(await count('user.locked')).toBe(1);
    expect(await count('session.signIn.refused')).toBe(5);
    const user = await store.db('users').where({ username: 'ava' }).first();
    expect(user.locked_until).not.toBeNull();
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
  });

  test('6 processes appending to the audit log at once keep one unbroken chain', { timeout: RACE_TIMEOUT_MS }, async ({ store }) => {
    const outcomes = await race(store, 6, 'appendAudit', (i) => ({ actor: `console-${i}`, count: 10 }));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const seqs = outcomes.flatMap((o) => (o.ok ? (o.value as number[]) : [])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await verifyAuditChain(store.db)).toEqual({ intact: true, checked: 60, headSeq: 60 });
  });
});
