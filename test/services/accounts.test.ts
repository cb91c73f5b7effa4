import { expect } from 'vitest';
import { getAccount, searchAccounts } from '../../electron/services/accounts';
import { cardBalance } from '../../electron/services/cards';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import { redeemCode } from '../../electron/services/redemption';
import { foldForSearch } from '../../shared/text';
import type { TestClock } from '../support/clock';
import { expectLedgerBalanced, newKey } from '../support/ledger';
import { forEachEngine, storeTest as test } from '../support/store';

const f = demoFixtures();
const data = generateDemoDataset();
const ava = { id: 1, username: 'ava', role: 'agent' as const };
const accented = data.accounts.find((a) => foldForSearch(a.displayName) !== a.displayName.toLowerCase())!;

forEachEngine(() => {
  test('search finds an account by exact id, by e-mail in any case, by name without accents or in any order', async ({ demoStore }) => {
    const us = f.accounts.usCustomer;
    expect((await searchAccounts(demoStore, ava, { query: us.id.toLowerCase() })).map((a) => a.id)).toContain(us.id);
    expect((await searchAccounts(demoStore, ava, { query: us.email.toUpperCase() })).map((a) => a.id)).toEqual([us.id]);
    const [first, last] = us.displayName.split(' ');
    expect((await searchAccounts(demoStore, ava, { query: `${last}, ${first}` })).map((a) => a.id)).toContain(us.id);
    const plain = foldForSearch(accented.displayName);
    expect((await searchAccounts(demoStore, ava, { query: plain })).map((a) => a.id)).toContain(accented.id);
    expect((await searchAccounts(demoStore, ava, { query: accented.displayName.toUpperCase() })).map((a) => a.id)).toContain(accented.id);
  });

  test('search results are masked, bounded, and wildcards in the query are literal', async ({ demoStore }) => {
    const results = await searchAccounts(demoStore, ava, { query: 'acc-us' });
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(20);
    for (const r of results) {
      expect(r.displayName).toContain('•');
      expect(r.email).toContain('•');
    }
    expect(await searchAccounts(demoStore, ava, { query: '%%' })).toEqual([]);
    expect(await searchAccounts(demoStore, ava, { query: '__' })).toEqual([]);
    await expect(searchAccounts(demoStore, ava, { query: 'a' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  test('search is no oracle on masked data: e-mail only exactly or by its whole local part, names by whole words', async ({ demoStore }) => {
    const us = f.accounts.usCustomer;
    const ids = async (query: string) => (await searchAccounts(demoStore, ava, { query })).map((a) => a.id);
    const [local, domain] = us.email.split('@') as [string, string];
    expect(await ids(local.toUpperCase())).toContain(us.id);
    // A piece of the e-mail says nothing, so it cannot be rebuilt letter by letter.
    expect(await ids(local.slice(0, 3))).not.toContain(us.id);
    expect(await ids(local.slice(0, 5))).not.toContain(us.id);
    expect(await ids(local.slice(1))).not.toContain(us.id);
    expect(await ids(`@${domain}`)).toEqual([]);
    expect(await ids(`${local.slice(0, -1)}@${domain}`)).toEqual([]);
    // A name matches by whole words, not by their first letters.
    const [first] = us.displayName.split(' ') as [string];
    expect(await ids(first)).toContain(us.id);
    expect(await ids(first.slice(0, 3))).not.toContain(us.id);
  });

  test('every search is audited with what kind it was and which accounts it showed, never the typed text', async ({ demoStore }) => {
    const us = f.accounts.usCustomer;
    await searchAccounts(demoStore, ava, { query: us.email });
    await searchAccounts(demoStore, ava, { query: 'nobody-at-all' });
    const rows = await demoStore.db('audit_log').where({ action: 'account.search' }).orderBy('seq').select('actor', 'subject_id', 'details');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ actor: 'ava', subject_id: us.id });
    expect(JSON.parse(rows[0]!.details)).toEqual({ kind: 'email', results: 1, accountIds: [us.id] });
    expect(JSON.parse(rows[1]!.details)).toEqual({ kind: 'name', results: 0, accountIds: [] });
    expect(JSON.stringify(rows).toLowerCase()).not.toContain(us.email.toLowerCase());
  });

  test('searches are rate-limited per user, and the refusal says until when', async ({ demoStore }) => {
    const limit = 60;
    for (let i = 0; i < limit; i++) await searchAccounts(demoStore, ava, { query: `acc-us-${1000 + i}` });
    const refused = await searchAccounts(demoStore, ava, { query: 'acc-us' }).then(
      () => null,
      (e: unknown) => e as { code: string; details?: Record<string, unknown> },
    );
    expect(refused).toMatchObject({ code: 'SEARCH_RATE_LIMITED', details: { limit } });
    // Another agent is not slowed down by it.
    expect(await searchAccounts(demoStore, { id: 2, username: 'sam', role: 'supervisor' }, { query: 'acc-us' })).not.toEqual([]);
    // An hour later the agent searches again.
    (demoStore.clock as TestClock).advance(61 * 60_000);
    expect(await searchAccounts(demoStore, ava, { query: 'acc-us' })).not.toEqual([]);
  });

  test('an account shows its balance, ledger newest first in pages, and history oldest first; viewing is audited', async ({ demoStore }) => {
    const withLedger = data.accounts.find((a) => data.cards.filter((c) => c.redeemedTo === a.id).length >= 3)!;
    const first = await getAccount(demoStore, ava, { accountId: withLedger.id, limit: 2 });
    expect(first.ledger).toHaveLength(2);
    expect(first.ledger[0]!.id).toBeGreaterThan(first.ledger[1]!.id);
    expect(first.ledger[0]!.balanceAfterMinor).toBe(first.balanceMinor);
    expect(first.nextBeforeId).toBe(first.ledger[1]!.id);
    const next = await getAccount(demoStore, ava, { accountId: withLedger.id, limit: 2, beforeId: first.nextBeforeId! });
    expect(next.ledger[0]!.id).toBeLessThan(first.ledger[1]!.id);
    const balances = first.history.map((h) => h.balanceMinor);
    expect(balances).toEqual(first.history.map((h) => h.balanceMinor).sort((a, b) => a - b));
    expect(first.history.at(-1)!.balanceMinor).toBe(first.balanceMinor);
    expect(first.ledger[0]).toMatchObject({ type: 'redemption', actor: 'ava' });
    expect(first.ledger[0]!.cardSerial).toMatch(/^17\d{17}$/);
    // One audit entry for the view, none for paging on.
    expect(await demoStore.db('audit_log').where({ action: 'account.viewed', subject_id: withLedger.id })).toHaveLength(1);
    await expect(getAccount(demoStore, ava, { accountId: 'ACC-NOPE', limit: 5 })).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  test('a redemption shows on the account right away', async ({ demoStore }) => {
    const account = f.accounts.usCustomer.id;
    const before = await getAccount(demoStore, ava, { accountId: account, limit: 5 });
    await redeemCode(demoStore, ava, { claimCode: f.cards.activeUS.claimCode, accountId: account, ticketId: 'T-9', idempotencyKey: newKey() });
    const after = await getAccount(demoStore, ava, { accountId: account, limit: 5 });
    expect(after.balanceMinor).toBe(before.balanceMinor + f.cards.activeUS.faceValueMinor);
    expect(after.ledger[0]).toMatchObject({ type: 'redemption', amountMinor: f.cards.activeUS.faceValueMinor, ticketId: 'T-9', cardSerial: f.cards.activeUS.serial });
    await expectLedgerBalanced(demoStore);
  });

  test('balance inquiry: active, redeemed and void cards, without changing anything', async ({ demoStore }) => {
    expect(await cardBalance(demoStore, ava, { serial: f.cards.activeUS.serial })).toEqual({
      serial: f.cards.activeUS.serial,
      status: 'active',
      marketplace: 'US',
      currency: 'USD',
      faceValueMinor: f.cards.activeUS.faceValueMinor,
      remainingValueMinor: f.cards.activeUS.faceValueMinor,
      redeemable: true,
      notRedeemableReason: null,
      redeemedAt: null,
      redeemedToAccountId: null,
    });
    expect(await cardBalance(demoStore, ava, { serial: f.cards.redeemedUS.serial })).toMatchObject({
      status: 'redeemed',
      remainingValueMinor: 0,
      redeemable: false,
      notRedeemableReason: 'redeemed',
      redeemedToAccountId: f.cards.redeemedUS.redeemedTo,
    });
    expect(await cardBalance(demoStore, ava, { serial: f.cards.voidUK.serial })).toMatchObject({
      status: 'void',
      remainingValueMinor: 0,
      redeemable: false,
      notRedeemableReason: 'void',
    });
    expect((await demoStore.db('cards').where({ serial: f.cards.activeUS.serial }).first()).status).toBe('active');
    const audits = await demoStore.db('audit_log').where({ action: 'card.balanceInquiry' }).orderBy('seq');
    expect(audits.map((a: { subject_id: string }) => a.subject_id)).toEqual([f.cards.activeUS.serial, f.cards.redeemedUS.serial, f.cards.voidUK.serial]);
    await expect(cardBalance(demoStore, ava, { serial: f.typoOfActiveUS.typed })).rejects.toMatchObject({
      code: 'CARD_NOT_FOUND',
      details: { suggestions: [f.typoOfActiveUS.suggests] },
    });
    await expect(cardBalance(demoStore, ava, { serial: '1700' })).rejects.toMatchObject({ code: 'SERIAL_INVALID' });
  });
});
