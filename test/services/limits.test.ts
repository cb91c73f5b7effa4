/**
 * The limits screen's service (issue 13): `limits:get` and `limits:set` over the general
 * limits, credit limits per currency and supervisors' own approval limits. Every rule
 * refuses on record and changes nothing; every change is audited with old and new; the
 * same value again changes nothing and says so.
 */
import { expect } from 'vitest';
import { verifyAuditChain } from '../../electron/services/audit';
import { approveCredit, creditLimitsFor, requestCredit } from '../../electron/services/credits';
import { demoFixtures } from '../../electron/services/demo';
import { limitsOverview, setLimit } from '../../electron/services/limits';
import { getLimits } from '../../electron/services/settings';
import type { ParsedInputOf } from '../../shared/contract';
import { channelInput } from '../../shared/contract';
import { defaultLimits, limitNames, limitRules } from '../../shared/limits';
import { newKey } from '../support/ledger';
import { refusal } from '../support/errors';
import { race } from '../support/race';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const f = demoFixtures();
const ava = { id: 1, username: 'ava', role: 'agent' as const };
const sam = { id: 2, username: 'sam', role: 'supervisor' as const };
const ada = { id: 4, username: 'ada', role: 'admin' as const };

/** As the wrapper does it: the contract parses the input, then the service runs. */
const set = (store: TestStore, input: unknown) => setLimit(store, ada, channelInput('limits:set').parse(input) as ParsedInputOf<'limits:set'>);

/** Settings, approval limits and audit entries: what a refusal must leave as it was (but one refusal entry). */
async function snapshot(store: TestStore) {
  return {
    settings: await store.db('settings').orderBy('key').select('key', 'value'),
    approval: await store.db('approval_limits').orderBy(['user_id', 'currency']).select('user_id', 'currency', 'limit_minor'),
    changes: await store.db('audit_log').where('action', 'like', 'limits.%').whereNot('action', 'limits.set.refused').count({ n: '*' }).first(),
  };
}

async function refusals(store: TestStore) {
  return store.db('audit_log').where({ action: 'limits.set.refused' }).orderBy('seq').select('actor', 'subject_id', 'details');
}

const lastAudit = async (store: TestStore, action: string) => {
  const row = await store.db('audit_log').where({ action }).orderBy('seq', 'desc').first('actor', 'subject_type', 'subject_id', 'details');
  return { ...row, details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details };
};

forEachEngine(() => {
  test('limits:get: every general limit, credit limits per currency, supervisors and their own limits', async ({ demoStore: store }) => {
    const view = await limitsOverview(store, ada);
    expect(view.general).toEqual(defaultLimits);
    expect(view.credits).toContainEqual({ currency: 'USD', maxPerRequestMinor: 50_000, dualApprovalMinor: 25_000 });
    expect(view.credits).toContainEqual({ currency: 'JPY', maxPerRequestMinor: 50_000, dualApprovalMinor: 25_000 });
    expect(view.credits).toHaveLength(6);
    expect(view.supervisors.map((s) => s.username)).toEqual(['sam', 'sky']);
    expect(view.approvalLimits).toEqual([]);
    await set(store, { kind: 'approval', username: 'sam', currency: 'USD', amount: '150.50' });
    expect((await limitsOverview(store, ada)).approvalLimits).toEqual([
      { username: 'sam', displayName: expect.any(String), currency: 'USD', amountMinor: 15_050 },
    ]);
  });

  test('a general limit: changed within its bounds, audited with old and new, read by the services', async ({ demoStore: store }) => {
    const change = await set(store, { kind: 'general', name: 'idleLockMinutes', value: 10 });
    expect(change).toEqual({
      changed: true,
      message: 'Idle lock: 10 minutes (was 15 minutes). It takes effect at the next sign-in; open sessions keep the value they started with.',
    });
    expect((await getLimits(store.db)).idleLockMinutes).toBe(10);
    expect(await lastAudit(store, 'limits.generalChanged')).toMatchObject({
      actor: 'ada',
      subject_type: 'setting',
      subject_id: 'limits.idleLockMinutes',
      details: { name: 'idleLockMinutes', old: 15, new: 10 },
    });
    expect((await set(store, { kind: 'general', name: 'signInMaxFailures', value: 3 })).message).toBe(
      'Failed sign-ins before the lock: 3 failures (was 5 failures).',
    );
    // Both bounds are allowed.
    for (const name of limitNames) {
      await set(store, { kind: 'general', name, value: limitRules[name].min });
      await set(store, { kind: 'general', name, value: limitRules[name].max });
    }
    expect((await getLimits(store.db)).sessionMaxHours).toBe(24);
    expect((await verifyAuditChain(store.db)).intact).toBe(true);
  });

  test('the same value again changes nothing and says so (nothing written, nothing audited)', async ({ demoStore: store }) => {
    const before = await snapshot(store);
    expect(await set(store, { kind: 'general', name: 'idleLockMinutes', value: 15 })).toEqual({
      changed: false,
      message: 'Idle lock is already 15 minutes; nothing changed.',
    });
    expect(await set(store, { kind: 'creditMax', currency: 'USD', amount: '500' })).toEqual({
      changed: false,
      message: 'Most per manual credit in USD is already $500.00; nothing changed.',
    });
    expect(await set(store, { kind: 'dualApproval', currency: 'JPY', amount: '25,000' })).toMatchObject({ changed: false });
    expect(await set(store, { kind: 'approval', username: 'sam', currency: 'USD', amount: null })).toEqual({
      changed: false,
      message: 'sam has no own USD approval limit (approves up to the most per request, $500.00); nothing changed.',
    });
    await set(store, { kind: 'approval', username: 'sam', currency: 'USD', amount: '100' });
    const after = await snapshot(store);
    expect(await set(store, { kind: 'approval', username: 'SAM', currency: 'USD', amount: '100.00' })).toEqual({
      changed: false,
      message: 'sam already approves USD credits up to $100.00; nothing changed.',
    });
    expect(await snapshot(store)).toEqual(after);
    expect(Number(after.changes?.n)).toBe(Number(before.changes?.n) + 1);
    expect(await refusals(store)).toEqual([]);
  });

  test('every rule refuses in words, on record, and changes nothing', async ({ demoStore: store }) => {
    await set(store, { kind: 'approval', username: 'sky', currency: 'USD', amount: '300' });
    const before = await snapshot(store);
    const refused: [unknown, string, string][] = [
      // general limits: bounds and whole numbers
      [{ kind: 'general', name: 'idleLockMinutes', value: 0 }, 'VALIDATION_FAILED', 'Idle lock must be 1 to 240 minutes.'],
      [{ kind: 'general', name: 'idleLockMinutes', value: 241 }, 'VALIDATION_FAILED', 'Idle lock must be 1 to 240 minutes.'],
      [{ kind: 'general', name: 'idleLockMinutes', value: 7.5 }, 'VALIDATION_FAILED', 'Idle lock is a whole number of minutes.'],
      [{ kind: 'general', name: 'signInMaxFailures', value: 2 }, 'VALIDATION_FAILED', 'Failed sign-ins before the lock must be 3 to 20 failures.'],
      [{ kind: 'general', name: 'sessionMaxHours', value: 25 }, 'VALIDATION_FAILED', 'Longest session must be 1 to 24 hours.'],
      [{ kind: 'general', name: 'signInLockMinutes', value: 1441 }, 'VALIDATION_FAILED', 'Sign-in lock must be 1 to 1,440 minutes.'],
      [{ kind: 'general', name: 'redemptionFailuresPerHour', value: 101 }, 'VALIDATION_FAILED', 'Failed redemptions per hour must be 3 to 100 failures.'],
      [{ kind: 'general', name: 'recoveryMaxFailures', value: 11 }, 'VALIDATION_FAILED', 'Failed recovery checks before the lock must be 1 to 10 failures.'],
      [{ kind: 'general', name: 'recoveryWindowHours', value: 169 }, 'VALIDATION_FAILED', 'Recovery failure window must be 1 to 168 hours.'],
      [{ kind: 'general', name: 'recoveryCaseMinutes', value: 4 }, 'VALIDATION_FAILED', 'Time to resolve a recovery case must be 5 to 240 minutes.'],
      [{ kind: 'general', name: 'accountSearchesPerHour', value: 1001 }, 'VALIDATION_FAILED', 'Account searches per hour must be 10 to 1,000 searches.'],
      // credit limits: the cap and the dual-approval threshold against the maximum
      [{ kind: 'creditMax', currency: 'USD', amount: '1000000.01' }, 'AMOUNT_INVALID', 'A limit is at most $1,000,000.00.'],
      [{ kind: 'creditMax', currency: 'USD', amount: '0' }, 'AMOUNT_INVALID', 'A limit must be more than zero.'],
      [
        { kind: 'dualApproval', currency: 'USD', amount: '500.01' },
        'VALIDATION_FAILED',
        'Two approvals from $500.01 would be above the most per request, $500.00: no credit would ever need a second supervisor.',
      ],
      [
        { kind: 'creditMax', currency: 'USD', amount: '249.99' },
        'VALIDATION_FAILED',
        'The most per request, $249.99, would be below two approvals from $250.00: lower the two-approval threshold first.',
      ],
      [
        { kind: 'creditMax', currency: 'USD', amount: '299.99' },
        'VALIDATION_FAILED',
        'The most per request, $299.99, would be below the approval limit of sky ($300.00): lower or clear it first.',
      ],
      // supervisors' own limits: only supervisors, never above the maximum
      [
        { kind: 'approval', username: 'sam', currency: 'USD', amount: '500.01' },
        'VALIDATION_FAILED',
        "sam's approval limit, $500.01, would be above the most per request, $500.00.",
      ],
      [{ kind: 'approval', username: 'ava', currency: 'USD', amount: '10' }, 'VALIDATION_FAILED', 'ava is not a supervisor; only supervisors approve credits.'],
      [{ kind: 'approval', username: 'nobody', currency: 'USD', amount: '10' }, 'VALIDATION_FAILED', 'There is no user nobody.'],
      [{ kind: 'approval', username: 'sam', currency: 'JPY', amount: '2000000' }, 'AMOUNT_INVALID', 'A limit is at most ¥1,000,000.'],
    ];
    for (const [input, code, message] of refused) {
      const error = await refusal(set(store, input));
      expect({ input, code: error.code, message: error.message }).toEqual({ input, code, message });
    }
    expect(await snapshot(store)).toEqual(before);
    const recorded = await refusals(store);
    expect(recorded).toHaveLength(refused.length);
    expect(recorded.every((row) => row.actor === 'ada')).toBe(true);
    expect((await verifyAuditChain(store.db)).intact).toBe(true);
  });

  test('an amount that is not one in its currency is refused under the amount, before anything runs', async ({ demoStore: store }) => {
    const before = await snapshot(store);
    for (const [input, message] of [
      [{ kind: 'creditMax', currency: 'JPY', amount: '10.5' }, 'JPY has no minor unit; enter a whole number.'],
      [{ kind: 'dualApproval', currency: 'USD', amount: '12.345' }, 'USD amounts have at most 2 decimal places.'],
      [{ kind: 'approval', username: 'sam', currency: 'EUR', amount: 'ten' }, 'Type the amount as a number, for example 12.50.'],
      [{ kind: 'creditMax', currency: 'USD', amount: '-5' }, 'The amount must be more than zero.'],
    ] as const) {
      expect((await refusal(set(store, input))).toBody()).toEqual({ code: 'VALIDATION_FAILED', message, details: { fields: [{ path: 'amount', message }] } });
    }
    // The contract refuses what is not a limit at all.
    expect(channelInput('limits:set').safeParse({ kind: 'general', name: 'nope', value: 5 }).success).toBe(false);
    expect(channelInput('limits:set').safeParse({ kind: 'creditMax', currency: 'XYZ', amount: '5' }).success).toBe(false);
    expect(channelInput('limits:set').safeParse({ kind: 'creditMax', currency: 'USD', amount: '5', extra: 1 }).success).toBe(false);
    expect(await snapshot(store)).toEqual(before);
  });

  test('credit limits and approval limits: audited with old and new, and the credit desk follows them', async ({ demoStore: store }) => {
    expect((await set(store, { kind: 'creditMax', currency: 'USD', amount: '400' })).message).toBe(
      'Most per manual credit in USD: $400.00 (was $500.00).',
    );
    expect(await lastAudit(store, 'limits.creditMaxChanged')).toMatchObject({
      subject_id: 'credits.maxPerRequest.USD',
      details: { currency: 'USD', oldMinor: 50_000, newMinor: 40_000 },
    });
    expect((await set(store, { kind: 'dualApproval', currency: 'USD', amount: '100' })).message).toBe(
      'Two-approval threshold in USD: $100.00 (was $250.00).',
    );
    expect(await lastAudit(store, 'limits.dualApprovalChanged')).toMatchObject({ details: { currency: 'USD', oldMinor: 25_000, newMinor: 10_000 } });
    // The threshold may equal the maximum (every credit at the maximum needs two).
    await set(store, { kind: 'dualApproval', currency: 'USD', amount: '400' });
    await set(store, { kind: 'dualApproval', currency: 'USD', amount: '100' });

    expect((await set(store, { kind: 'approval', username: 'sam', currency: 'USD', amount: '50' })).message).toBe(
      'sam approves USD credits up to $50.00 (was the most per request).',
    );
    expect(await lastAudit(store, 'limits.approvalChanged')).toMatchObject({
      subject_type: 'user',
      subject_id: 'sam',
      details: { currency: 'USD', oldMinor: null, newMinor: 5_000 },
    });
    // The credit request dialog's channel sees the new limits.
    expect(await creditLimitsFor(store, sam)).toMatchObject({
      maxPerRequestMinor: { USD: 40_000 },
      dualApprovalMinor: { USD: 10_000 },
      myApprovalLimitMinor: { USD: 5_000 },
    });
    const request = await requestCredit(store, ava, {
      accountId: f.accounts.usCustomer.id,
      amountMinor: 6_000,
      currency: 'USD',
      reason: 'GOODWILL',
      ticketId: 'T-LIM-1',
      idempotencyKey: newKey(),
    });
    expect((await refusal(approveCredit(store, sam, { requestId: request.id, idempotencyKey: newKey() }))).code).toBe('APPROVAL_LIMIT_EXCEEDED');

    expect((await set(store, { kind: 'approval', username: 'sam', currency: 'USD', amount: null })).message).toBe(
      'sam approves USD credits up to the most per request, $400.00 (was $50.00).',
    );
    expect(await lastAudit(store, 'limits.approvalChanged')).toMatchObject({ details: { currency: 'USD', oldMinor: 5_000, newMinor: null } });
    expect((await verifyAuditChain(store.db)).intact).toBe(true);
  });

  test('two admins racing (separate processes): lowering the maximum and raising the threshold cannot both pass', async ({ demoStore: store }) => {
    // From $500 / $250, each change alone keeps the rule; both together would not.
    const [lower, raise] = await Promise.all([
      race(store, 1, 'setCreditLimit', { actor: ada, kind: 'maxPerRequest', currency: 'USD', amountMinor: 30_000 }),
      race(store, 1, 'setCreditLimit', { actor: ada, kind: 'dualApproval', currency: 'USD', amountMinor: 40_000 }),
    ]);
    const outcomes = [lower[0]!, raise[0]!];
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    const usd = (await limitsOverview(store, ada)).credits.find((row) => row.currency === 'USD')!;
    expect(usd.dualApprovalMinor).toBeLessThanOrEqual(usd.maxPerRequestMinor);
    expect(await store.db('audit_log').where({ action: 'limits.set.refused' })).toHaveLength(1);
  });
});
