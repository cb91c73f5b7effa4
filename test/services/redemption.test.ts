import { expect } from 'vitest';
import { createKnex } from '../../electron/db/store';
import { verifyAuditChain } from '../../electron/services/audit';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import { redeemCode, recentRedemptionFailures } from '../../electron/services/redemption';
import { formatClaimCode } from '../../shared/claimCode';
import { formatMoney } from '../../shared/money';
import { expectLedgerBalanced, newKey } from '../support/ledger';
import { race, RACE_TIMEOUT_MS } from '../support/race';
import { refusal } from '../support/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const f = demoFixtures();
const data = generateDemoDataset();
const ava = { id: 1, username: 'ava', role: 'agent' as const };
const usAccount = f.accounts.usCustomer.id;
const otherUsAccount = data.accounts.find((a) => a.marketplace === 'US' && a.id !== usAccount)!.id;
const jpAccount = data.accounts.find((a) => a.marketplace === 'JP')!.id;
const inAccount = data.accounts.find((a) => a.marketplace === 'IN')!.id;
const activeIN = data.cards.find((c) => c.marketplace === 'IN' && c.status === 'active')!;

async function balance(store: TestStore, accountId: string): Promise<number> {
  return (await store.db('accounts').where({ id: accountId }).first('balance_minor')).balance_minor;
}


const redeem = (store: TestStore, claimCode: string, accountId: string, key = newKey()) =>
  redeemCode(store, ava, { claimCode, accountId, ticketId: 'T-100', idempotencyKey: key });

forEachEngine(() => {
  test('a redemption moves the value to the account in one step: card, ledger, balance, event, audit', async ({ demoStore: store }) => {
    const card = f.cards.activeUS;
    const before = await balance(store, usAccount);
    const result = await redeem(store, formatClaimCode(card.claimCode).toLowerCase().replace(/-/g, ' - '), usAccount);
    expect(result).toMatchObject({
      serial: card.serial,
      claimCodeLast4: card.claimCode.slice(-4),
      accountId: usAccount,
      amountMinor: card.faceValueMinor,
      currency: 'USD',
      balanceMinor: before + card.faceValueMinor,
    });
    const row = await store.db('cards').where({ serial: card.serial }).first();
    expect(row).toMatchObject({ status: 'redeemed', redeemed_account_id: usAccount });
    const entries = await store.db('ledger_entries').where({ card_id: row.id });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ account_id: usAccount, amount_minor: card.faceValueMinor, type: 'redemption', ticket_id: 'T-100' });
    expect(await balance(store, usAccount)).toBe(before + card.faceValueMinor);
    expect(await store.db('card_events').where({ card_id: row.id, type: 'redeemed' })).toHaveLength(1);
    const audit = await store.db('audit_log').where({ action: 'card.redeemed' }).first();
    expect(audit).toMatchObject({ actor: 'ava', subject_id: card.serial, ticket_id: 'T-100' });
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
    await expectLedgerBalanced(store);
  });

  test('the same idempotency key twice returns the first result and posts once', async ({ demoStore: store }) => {
    const key = newKey();
    const first = await redeem(store, f.cards.activeUS.claimCode, usAccount, key);
    const second = await redeem(store, f.cards.activeUS.claimCode, usAccount, key);
    expect(second).toEqual(first);
    expect(await store.db('ledger_entries').where({ account_id: usAccount, type: 'redemption' }).where('created_at', '>=', store.clock.now())).toHaveLength(1);
    expect(await store.db('audit_log').where({ action: 'card.redeemed' })).toHaveLength(1);
    const conflict = await refusal(redeem(store, f.cards.damagedEmailUS.claimCode, usAccount, key));
    expect(conflict.code).toBe('IDEMPOTENCY_CONFLICT');
    // The other code is untouched by the refused request.
    expect((await store.db('cards').where({ serial: f.cards.damagedEmailUS.serial }).first()).status).toBe('active');
    await expectLedgerBalanced(store);
  });

  test('each refusal says why, in words, with the details the screen needs', async ({ demoStore: store }) => {
    expect((await refusal(redeem(store, 'ABC-123', usAccount))).toBody()).toEqual({
      code: 'CLAIM_CODE_INVALID',
      message: 'A claim code has 14 or 15 characters; this one has 6.',
    });
    expect((await refusal(redeem(store, 'ZZZZ-ZZZZZZ-ZZZZ', usAccount))).toBody()).toEqual({
      code: 'CLAIM_CODE_NOT_FOUND',
      message: 'No gift card has this claim code.',
    });
    expect((await refusal(redeem(store, f.cards.voidUK.claimCode, usAccount))).code).toBe('CARD_VOID');
    const mismatch = await refusal(redeem(store, f.cards.activeJP.claimCode, usAccount));
    expect(mismatch.toBody()).toEqual({
      code: 'MARKETPLACE_MISMATCH',
      message: 'This is a Japan card; it cannot be added to a United States account.',
      details: { cardMarketplace: 'JP', accountMarketplace: 'US' },
    });
    const elsewhere = await refusal(redeem(store, f.cards.redeemedUS.claimCode, usAccount === f.cards.redeemedUS.redeemedTo ? otherUsAccount : usAccount));
    expect(elsewhere.code).toBe('CARD_ALREADY_REDEEMED');
    expect(elsewhere.details).toMatchObject({ sameAccount: false });
    expect(elsewhere.message).toMatch(/already redeemed on .*, to a different account/);
    const same = await refusal(redeem(store, f.cards.redeemedUS.claimCode, f.cards.redeemedUS.redeemedTo));
    expect(same.details).toMatchObject({ sameAccount: true });
    expect(same.message).toMatch(/already added to this account/);
    expect((await refusal(redeem(store, f.cards.activeUS.claimCode, 'ACC-NOPE'))).code).toBe('ACCOUNT_NOT_FOUND');
    // Nothing moved, and the probing failures were counted (not the typo, not the same-account repeat).
    expect((await store.db('cards').where({ serial: f.cards.activeJP.serial }).first()).status).toBe('active');
    expect(await recentRedemptionFailures(store.db, usAccount, store.clock.now())).toBe(usAccount === f.cards.redeemedUS.redeemedTo ? 3 : 4);
    expect(await store.db('audit_log').where({ action: 'card.redeem.refused' })).toHaveLength(6);
    await expectLedgerBalanced(store);
  });

  test('10 failed attempts in an hour lock redemption on that account until the oldest ages out', async ({ demoStore: store }) => {
    for (let i = 0; i < 10; i++) {
      store.clock.advanceMinutes(1);
      expect((await refusal(redeem(store, `WRONGCODE${String(i).padStart(5, '0')}`, usAccount))).code).toBe('CLAIM_CODE_NOT_FOUND');
    }
    const limited = await refusal(redeem(store, f.cards.activeUS.claimCode, usAccount));
    expect(limited.code).toBe('REDEMPTION_RATE_LIMITED');
    const firstFailure = new Date(Date.parse('2026-11-22T09:01:00.000Z'));
    expect(limited.details).toEqual({ retryAt: new Date(firstFailure.getTime() + 3_600_000).toISOString(), limit: 10 });
    // Another account is not affected.
    await expect(redeem(store, f.cards.damagedEmailUS.claimCode, otherUsAccount)).resolves.toMatchObject({ accountId: otherUsAccount });
    store.clock.advanceMinutes(51); // 09:61 = 10:01, the first failure is an hour old
    await expect(redeem(store, f.cards.activeUS.claimCode, usAccount)).resolves.toMatchObject({ accountId: usAccount });
    await expectLedgerBalanced(store);
  });

  test('JPY and INR values land exactly and sum right', async ({ demoStore: store }) => {
    const jpBefore = await balance(store, jpAccount);
    const inBefore = await balance(store, inAccount);
    const jp = await redeem(store, f.cards.activeJP.claimCode, jpAccount);
    const inr = await redeem(store, activeIN.claimCode, inAccount);
    expect(jp).toMatchObject({ currency: 'JPY', amountMinor: f.cards.activeJP.faceValueMinor, balanceMinor: jpBefore + f.cards.activeJP.faceValueMinor });
    expect(inr).toMatchObject({ currency: 'INR', amountMinor: activeIN.faceValueMinor, balanceMinor: inBefore + activeIN.faceValueMinor });
    expect(formatMoney(f.cards.activeJP.faceValueMinor, 'JPY', 'ja-JP')).not.toContain('.');
    expect(formatMoney(jp.balanceMinor, 'JPY', 'ja-JP')).toMatch(/^￥[\d,]+$/);
    expect(formatMoney(inr.balanceMinor, 'INR', 'en-IN')).toMatch(/^₹[\d,]+\.\d\d$/);
    await expectLedgerBalanced(store);
  });

  test('two redemptions of one code on separate connections: exactly one succeeds', async ({ demoStore: store }) => {
    const other = createKnex({ dataDir: store.dataDir, databaseUrl: store.config.databaseUrl }).db;
    try {
      const before = await balance(store, usAccount);
      const results = await Promise.allSettled([
        redeem(store, f.cards.activeUS.claimCode, usAccount),
        redeemCode({ ...store, db: other }, ava, { claimCode: f.cards.activeUS.claimCode, accountId: usAccount, ticketId: 'T-2', idempotencyKey: newKey() }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect(rejected.reason).toMatchObject({ code: 'CARD_ALREADY_REDEEMED', details: { sameAccount: true } });
      expect(await balance(store, usAccount)).toBe(before + f.cards.activeUS.faceValueMinor);
    } finally {
      await other.destroy();
    }
    await expectLedgerBalanced(store);
  });

  test('8 processes redeeming one code at once: one ledger entry, the rest told it is already redeemed', { timeout: RACE_TIMEOUT_MS }, async ({ demoStore: store }) => {
    const before = await balance(store, usAccount);
    const outcomes = await race(store, 8, 'redeem', (i) => ({
      actor: { id: 1, username: 'ava' },
      input: { claimCode: f.cards.activeUS.claimCode, accountId: usAccount, ticketId: `T-${i}`, idempotencyKey: `race-${i}-${Date.now()}` },
    }));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.code === 'CARD_ALREADY_REDEEMED')).toHaveLength(7);
    const card = await store.db('cards').where({ serial: f.cards.activeUS.serial }).first();
    expect(await store.db('ledger_entries').where({ card_id: card.id })).toHaveLength(1);
    expect(await balance(store, usAccount)).toBe(before + f.cards.activeUS.faceValueMinor);
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
    await expectLedgerBalanced(store);
  });

  test('8 processes replaying one request (same key) post once and all get the same result', { timeout: RACE_TIMEOUT_MS }, async ({ demoStore: store }) => {
    const key = `replay-${Date.now()}`;
    const outcomes = await race(store, 8, 'redeem', {
      actor: { id: 1, username: 'ava' },
      input: { claimCode: f.cards.activeUS.claimCode, accountId: usAccount, ticketId: 'T-1', idempotencyKey: key },
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const values = outcomes.map((o) => (o.ok ? JSON.stringify(o.value) : ''));
    expect(new Set(values).size).toBe(1);
    expect(await store.db('audit_log').where({ action: 'card.redeemed' })).toHaveLength(1);
    await expectLedgerBalanced(store);
  });
});
