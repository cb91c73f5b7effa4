import { expect } from 'vitest';
import { verifyAuditChain } from '../../electron/services/audit';
import {
  approveCredit,
  awaitingApproval,
  cancelCredit,
  creditLimitsFor,
  listCredits,
  rejectCredit,
  requestCredit,
  setApprovalLimit,
  setCreditLimit,
  type CreditRequestInput,
} from '../../electron/services/credits';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import { expectLedgerBalanced, newKey } from '../support/ledger';
import { race, RACE_TIMEOUT_MS } from '../support/race';
import { refusal } from '../support/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const f = demoFixtures();
const data = generateDemoDataset();
const ava = { id: 1, username: 'ava', role: 'agent' as const };
const sam = { id: 2, username: 'sam', role: 'supervisor' as const };
const sky = { id: 3, username: 'sky', role: 'supervisor' as const };
const ada = { id: 4, username: 'ada', role: 'admin' as const };

async function ledgerSum(store: TestStore, accountId: string): Promise<number> {
  const row = await store.db('ledger_entries').where({ account_id: accountId }).sum({ total: 'amount_minor' }).first();
  return Number(row?.total ?? 0);
}
const us = f.accounts.usCustomer.id;
const jp = data.accounts.find((a) => a.marketplace === 'JP')!.id;
const inAccount = data.accounts.find((a) => a.marketplace === 'IN')!.id;

const input = (overrides: Partial<CreditRequestInput> = {}): CreditRequestInput => ({
  accountId: us,
  amountMinor: 2500,
  currency: 'USD',
  reason: 'GOODWILL',
  ticketId: 'T-900',
  idempotencyKey: newKey(),
  ...overrides,
});


async function balance(store: TestStore, accountId: string): Promise<number> {
  return (await store.db('accounts').where({ id: accountId }).first('balance_minor')).balance_minor;
}

const approve = (store: TestStore, actor: typeof sam, requestId: number) =>
  approveCredit(store, actor, { requestId, idempotencyKey: newKey() });

forEachEngine(() => {
  test('a request is pending until a supervisor approves; approval posts the credit in the same step', async ({ demoStore: store }) => {
    const before = await balance(store, us);
    const request = await requestCredit(store, ava, input({ serial: f.cards.activeUS.serial, note: '  Apology for the delay ' }));
    expect(request).toMatchObject({
      status: 'pending',
      amountMinor: 2500,
      currency: 'USD',
      requiredApprovals: 1,
      approvals: [],
      note: 'Apology for the delay',
      serial: f.cards.activeUS.serial,
      requester: { username: 'ava' },
      ledgerEntryId: null,
    });
    expect(await balance(store, us)).toBe(before);
    const approved = await approveCredit(store, sam, { requestId: request.id, note: 'ok', idempotencyKey: newKey() });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'sam', approvals: [{ approver: 'sam', note: 'ok' }] });
    expect(approved.ledgerEntryId).not.toBeNull();
    expect(await balance(store, us)).toBe(before + 2500);
    const entry = await store.db('ledger_entries').where({ id: approved.ledgerEntryId }).first();
    expect(entry).toMatchObject({ type: 'manual_credit', reason: 'GOODWILL', ticket_id: 'T-900', amount_minor: 2500 });
    const actions = (await store.db('audit_log').orderBy('seq').select('action')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['credit.requested', 'credit.approved']));
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
    await expectLedgerBalanced(store);
  });

  test('bad requests are refused with the reason', async ({ demoStore: store }) => {
    for (const amountMinor of [0, -5, 12.5, Number.MAX_SAFE_INTEGER + 2]) {
      expect((await refusal(requestCredit(store, ava, input({ amountMinor })))).code).toBe('AMOUNT_INVALID');
    }
    expect((await refusal(requestCredit(store, ava, input({ accountId: 'ACC-NOPE' })))).code).toBe('ACCOUNT_NOT_FOUND');
    expect((await refusal(requestCredit(store, ava, input({ currency: 'CAD' })))).toBody()).toMatchObject({
      code: 'CURRENCY_MISMATCH',
      details: { accountCurrency: 'USD', requestCurrency: 'CAD' },
    });
    expect((await refusal(requestCredit(store, ava, input({ amountMinor: 50_001 })))).toBody()).toMatchObject({
      code: 'AMOUNT_OVER_LIMIT',
      details: { maxMinor: 50_000 },
    });
    expect((await refusal(requestCredit(store, ava, input({ reason: 'OTHER' })))).toBody()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ path: 'note' }] },
    });
    expect((await refusal(requestCredit(store, ava, input({ serial: f.typoOfActiveUS.typed })))).code).toBe('CARD_NOT_FOUND');
    expect(await store.db('credit_requests')).toHaveLength(0);
    // At the limit exactly is fine.
    await expect(requestCredit(store, ava, input({ amountMinor: 50_000 }))).resolves.toMatchObject({ requiredApprovals: 2 });
  });

  test('the same idempotency key returns the first request; a different payload conflicts', async ({ demoStore: store }) => {
    const key = newKey();
    const first = await requestCredit(store, ava, input({ idempotencyKey: key }));
    expect(await requestCredit(store, ava, input({ idempotencyKey: key }))).toEqual(first);
    expect((await refusal(requestCredit(store, ava, input({ idempotencyKey: key, amountMinor: 2600 })))).code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await store.db('credit_requests')).toHaveLength(1);
    const approveKey = newKey();
    const approved = await approveCredit(store, sam, { requestId: first.id, idempotencyKey: approveKey });
    expect(await approveCredit(store, sam, { requestId: first.id, idempotencyKey: approveKey })).toEqual(approved);
    expect(await store.db('ledger_entries').where({ type: 'manual_credit' })).toHaveLength(1);
    await expectLedgerBalanced(store);
  });

  test('nobody approves their own request; agents cannot approve at all (role), duplicates and limits are refused', async ({ demoStore: store }) => {
    const own = await requestCredit(store, sam, input());
    expect((await refusal(approve(store, sam, own.id))).code).toBe('SELF_APPROVAL_FORBIDDEN');
    const dual = await requestCredit(store, ava, input({ amountMinor: 30_000 }));
    expect(dual.requiredApprovals).toBe(2);
    const once = await approve(store, sam, dual.id);
    expect(once).toMatchObject({ status: 'pending', approvals: [{ approver: 'sam' }], ledgerEntryId: null });
    expect((await refusal(approve(store, sam, dual.id))).code).toBe('DUPLICATE_APPROVER');
    await setApprovalLimit(store, ada, { username: 'sky', currency: 'USD', amountMinor: 20_000 });
    expect((await refusal(approve(store, sky, dual.id))).toBody()).toMatchObject({
      code: 'APPROVAL_LIMIT_EXCEEDED',
      details: { limitMinor: 20_000, currency: 'USD' },
    });
    await setApprovalLimit(store, ada, { username: 'sky', currency: 'USD', amountMinor: null });
    const twice = await approve(store, sky, dual.id);
    expect(twice).toMatchObject({ status: 'approved', approvals: [{ approver: 'sam' }, { approver: 'sky' }], decidedBy: 'sky' });
    expect((await refusal(approve(store, sky, dual.id))).code).toBe('REQUEST_NOT_PENDING');
    expect(await store.db('audit_log').where({ action: 'credit.approve.refused' })).toHaveLength(4);
    await expectLedgerBalanced(store);
  });

  test('limits follow the currency: JPY 50 000 / 25 000, INR 40 000 / 20 000', async ({ demoStore: store }) => {
    expect((await refusal(requestCredit(store, ava, input({ accountId: jp, currency: 'JPY', amountMinor: 50_001 })))).code).toBe('AMOUNT_OVER_LIMIT');
    expect(await requestCredit(store, ava, input({ accountId: jp, currency: 'JPY', amountMinor: 24_999 }))).toMatchObject({ requiredApprovals: 1 });
    expect(await requestCredit(store, ava, input({ accountId: jp, currency: 'JPY', amountMinor: 25_000 }))).toMatchObject({ requiredApprovals: 2 });
    expect((await refusal(requestCredit(store, ava, input({ accountId: inAccount, currency: 'INR', amountMinor: 4_000_001 })))).code).toBe('AMOUNT_OVER_LIMIT');
    expect(await requestCredit(store, ava, input({ accountId: inAccount, currency: 'INR', amountMinor: 2_000_000 }))).toMatchObject({ requiredApprovals: 2 });
    const jpBefore = await balance(store, jp);
    const small = await requestCredit(store, ava, input({ accountId: jp, currency: 'JPY', amountMinor: 500 }));
    await approve(store, sam, small.id);
    expect(await balance(store, jp)).toBe(jpBefore + 500);
    const limits = await creditLimitsFor(store, sam);
    expect(limits.maxPerRequestMinor).toMatchObject({ USD: 50_000, JPY: 50_000, INR: 4_000_000 });
    expect(limits.dualApprovalMinor).toMatchObject({ USD: 25_000, JPY: 25_000, INR: 2_000_000 });
    expect(limits.myApprovalLimitMinor).toMatchObject({ USD: 50_000 });
    expect((await creditLimitsFor(store, ava)).myApprovalLimitMinor).toBeNull();
    // The two-approval threshold first: it is never above the maximum (shared/credits.ts).
    await setCreditLimit(store, ada, { kind: 'dualApproval', currency: 'USD', amountMinor: 5_000 });
    await setCreditLimit(store, ada, { kind: 'maxPerRequest', currency: 'USD', amountMinor: 10_000 });
    expect((await refusal(requestCredit(store, ava, input({ amountMinor: 10_001 })))).code).toBe('AMOUNT_OVER_LIMIT');
    await expectLedgerBalanced(store);
  });

  test('limits are capped at a million in the currency, so no run of credits can take a balance past exact integers', async ({ demoStore: store }) => {
    const over = await refusal(setCreditLimit(store, ada, { kind: 'maxPerRequest', currency: 'USD', amountMinor: 100_000_001 }));
    expect(over).toMatchObject({ code: 'AMOUNT_INVALID' });
    expect(over.message).toContain('$1,000,000.00');
    expect((await refusal(setCreditLimit(store, ada, { kind: 'dualApproval', currency: 'JPY', amountMinor: 1_000_001 }))).code).toBe('AMOUNT_INVALID');
    expect((await refusal(setApprovalLimit(store, ada, { username: 'sky', currency: 'USD', amountMinor: Number.MAX_SAFE_INTEGER }))).code).toBe(
      'AMOUNT_INVALID',
    );
    await setCreditLimit(store, ada, { kind: 'maxPerRequest', currency: 'USD', amountMinor: 100_000_000 });
    // The ledger itself refuses an entry that would take a balance past 2^53 - 1.
    const target = f.accounts.usCustomer.id;
    await store.db('accounts').where({ id: target }).update({ balance_minor: Number.MAX_SAFE_INTEGER - 10 });
    await store.db('ledger_entries').insert({
      account_id: target,
      amount_minor: Number.MAX_SAFE_INTEGER - 10 - (await ledgerSum(store, target)),
      currency: 'USD',
      type: 'manual_credit',
      balance_after_minor: Number.MAX_SAFE_INTEGER - 10,
      created_at: store.clock.now(),
    });
    const big = await requestCredit(store, ava, input({ amountMinor: 20_000 }));
    expect((await refusal(approve(store, sam, big.id))).code).toBe('BALANCE_LIMIT');
    expect((await store.db('credit_requests').where({ id: big.id }).first()).status).toBe('pending');
    await expectLedgerBalanced(store);
  });

  test('reject needs a supervisor and records the reason; the requester may cancel while pending', async ({ demoStore: store }) => {
    const a = await requestCredit(store, ava, input());
    const rejected = await rejectCredit(store, sam, { requestId: a.id, reason: 'No record of the complaint' });
    expect(rejected).toMatchObject({ status: 'rejected', decidedBy: 'sam', rejectionReason: 'No record of the complaint' });
    expect((await refusal(approve(store, sky, a.id))).code).toBe('REQUEST_NOT_PENDING');
    const b = await requestCredit(store, ava, input());
    expect((await refusal(cancelCredit(store, sam, { requestId: b.id }))).code).toBe('FORBIDDEN');
    expect(await cancelCredit(store, ava, { requestId: b.id })).toMatchObject({ status: 'cancelled' });
    expect((await refusal(cancelCredit(store, ava, { requestId: b.id }))).code).toBe('REQUEST_NOT_PENDING');
    expect(await store.db('ledger_entries').where({ type: 'manual_credit' })).toHaveLength(0);
  });

  test('pending requests expire after 7 days, on read', async ({ demoStore: store }) => {
    const request = await requestCredit(store, ava, input());
    store.clock.advance(7 * 86_400_000 - 60_000);
    expect((await listCredits(store, sam, { status: 'pending', limit: 50 })).requests.map((r) => r.id)).toEqual([request.id]);
    store.clock.advance(120_000);
    expect((await listCredits(store, sam, { status: 'pending', limit: 50 })).requests).toEqual([]);
    expect((await listCredits(store, ava, { limit: 50 })).requests[0]).toMatchObject({ id: request.id, status: 'expired' });
    expect((await refusal(approve(store, sam, request.id))).toBody()).toMatchObject({ code: 'REQUEST_NOT_PENDING', details: { status: 'expired' } });
    expect(await store.db('audit_log').where({ action: 'credit.expired' })).toHaveLength(1);
  });

  test('lists: agents see their own; the queue is oldest first; the badge counts what awaits me', async ({ demoStore: store }) => {
    const first = await requestCredit(store, ava, input());
    store.clock.advanceMinutes(5);
    const second = await requestCredit(store, sam, input({ amountMinor: 30_000 }));
    store.clock.advanceMinutes(5);
    const third = await requestCredit(store, ava, input({ amountMinor: 1000 }));
    expect((await listCredits(store, ava, { limit: 50 })).requests.map((r) => r.id)).toEqual([third.id, first.id]);
    expect((await listCredits(store, sky, { status: 'pending', limit: 50 })).requests.map((r) => r.id)).toEqual([first.id, second.id, third.id]);
    const page = await listCredits(store, sky, { status: 'pending', limit: 2 });
    expect(page.nextCursor).toBe(second.id);
    expect((await listCredits(store, sky, { status: 'pending', limit: 2, cursor: page.nextCursor! })).requests.map((r) => r.id)).toEqual([third.id]);
    expect(await awaitingApproval(store, sam)).toEqual({ awaitingMe: 2 }); // not their own
    expect(await awaitingApproval(store, sky)).toEqual({ awaitingMe: 3 });
    await approve(store, sky, second.id); // first of two approvals
    expect(await awaitingApproval(store, sky)).toEqual({ awaitingMe: 2 });
    expect(await awaitingApproval(store, ava)).toEqual({ awaitingMe: 0 });
  });

  test('20 processes approving one request at once: one ledger entry, the rest told it is not pending', { timeout: RACE_TIMEOUT_MS }, async ({ demoStore: store }) => {
    const before = await balance(store, us);
    const request = await requestCredit(store, ava, input({ amountMinor: 4200 }));
    const outcomes = await race(store, 20, 'approveCredit', (i) => ({
      actor: i % 2 === 0 ? sam : sky,
      requestId: request.id,
      idempotencyKey: `approve-race-${i}-${Date.now()}`,
    }));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.code === 'REQUEST_NOT_PENDING')).toHaveLength(19);
    expect(await store.db('ledger_entries').where({ type: 'manual_credit' })).toHaveLength(1);
    expect(await balance(store, us)).toBe(before + 4200);
    await expectLedgerBalanced(store);
  });

  test('an approval racing a cancel: exactly one of them wins', { timeout: RACE_TIMEOUT_MS }, async ({ demoStore: store }) => {
    const request = await requestCredit(store, ava, input({ amountMinor: 1500 }));
    const [approval, cancel] = await Promise.all([
      race(store, 1, 'approveCredit', { actor: sam, requestId: request.id, idempotencyKey: `ac-${Date.now()}` }),
      race(store, 1, 'cancelCredit', { actor: ava, requestId: request.id }),
    ]);
    const wins = [approval[0]!, cancel[0]!].filter((o) => o.ok);
    expect(wins).toHaveLength(1);
    const loser = [approval[0]!, cancel[0]!].find((o) => !o.ok)!;
    expect(loser).toMatchObject({ ok: false, code: 'REQUEST_NOT_PENDING' });
    const status = (await store.db('credit_requests').where({ id: request.id }).first()).status;
    expect(await store.db('ledger_entries').where({ type: 'manual_credit' })).toHaveLength(status === 'approved' ? 1 : 0);
    await expectLedgerBalanced(store);
  });
});
