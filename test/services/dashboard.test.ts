/**
 * The supervisor dashboard's figures, on both engines, against numbers worked out by
 * hand: the demo store as seeded (the liability), then a scripted week at the desk with
 * a fixed clock (credits decided and expired, recovery checks and an unlock, refused
 * redemptions up to the rate limit, personal-data reveals). And each chart is one
 * statement: the summary sends exactly seven queries, whatever the data.
 */
import { expect } from 'vitest';
import { recordAudit } from '../../electron/services/audit';
import { approveCredit, rejectCredit, requestCredit, type CreditRequestInput } from '../../electron/services/credits';
import { dashboardSummary } from '../../electron/services/dashboard';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import { redeemCode } from '../../electron/services/redemption';
import { resolveRecovery, unlockRecovery, verifyRecovery, type VerifyInput } from '../../electron/services/recovery';
import { PERIOD_BACKWARDS, PERIOD_TOO_LONG } from '../../shared/dashboard';
import { newKey } from '../support/ledger';
import { refusal } from '../support/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const f = demoFixtures();
const data = generateDemoDataset();
const ava = { id: 1, username: 'ava', role: 'agent' as const };
const sam = { id: 2, username: 'sam', role: 'supervisor' as const };
const sky = { id: 3, username: 'sky', role: 'supervisor' as const };
const us = f.accounts.usCustomer.id;
const ca = f.accounts.caCustomer.id;
const jp = data.accounts.find((a) => a.marketplace === 'JP')!.id;
const uk = data.accounts.find((a) => a.marketplace === 'UK')!.id;
const HOUR = 3_600_000;

/** The demo store as seeded, counted by hand from generateDemoDataset(): active cards (count, value) and redeemed value per currency. */
const DEMO_LIABILITY = [
  { currency: 'CAD', activeCards: 37, activeCardsMinor: 144_000, accounts: 7, balancesMinor: 60_500, totalMinor: 204_500 },
  { currency: 'EUR', activeCards: 37, activeCardsMinor: 191_000, accounts: 8, balancesMinor: 66_000, totalMinor: 257_000 },
  { currency: 'GBP', activeCards: 37, activeCardsMinor: 171_000, accounts: 6, balancesMinor: 73_000, totalMinor: 244_000 },
  { currency: 'INR', activeCards: 38, activeCardsMinor: 9_050_000, accounts: 6, balancesMinor: 3_550_000, totalMinor: 12_600_000 },
  { currency: 'JPY', activeCards: 38, activeCardsMinor: 192_000, accounts: 7, balancesMinor: 74_000, totalMinor: 266_000 },
  { currency: 'USD', activeCards: 35, activeCardsMinor: 279_500, accounts: 7, balancesMinor: 75_500, totalMinor: 355_000 },
];

const credit = (overrides: Partial<CreditRequestInput>): CreditRequestInput => ({
  accountId: us,
  amountMinor: 2500,
  currency: 'USD',
  reason: 'GOODWILL',
  ticketId: 'T-700',
  idempotencyKey: newKey(),
  ...overrides,
});

const card = f.cards.damagedEmailUS;
const facts = (overrides: Partial<VerifyInput> = {}): VerifyInput => ({
  serial: card.serial,
  orderNumber: card.orderNumber,
  purchaserName: card.purchaserName,
  recipientName: card.recipientName,
  deliveryAddress: card.deliveryAddress,
  claimCodeFragment: card.claimCodeFragment,
  ticketId: 'T-701',
  ...overrides,
});

const redeem = (store: TestStore, claimCode: string, accountId: string) =>
  refusal(redeemCode(store, ava, { claimCode, accountId, ticketId: 'T-702', idempotencyKey: newKey() }));

const reveal = (store: TestStore, actor: string, field: string) =>
  recordAudit(store.db, store.clock, {
    actor,
    action: 'pii.revealed',
    subjectType: 'card',
    subjectId: card.serial,
    ticketId: 'T-703',
    details: { field, reason: 'Caller asked to confirm the name' },
  });

/**
 * The week, on the test clock (it starts at 2026-11-22 09:00 UTC):
 *  22 Nov 09:00  A (USD, goodwill) approved by sam; B (USD, damaged code) rejected by sky;
 *                C (JPY, goodwill) requested, never decided: expires 29 Nov 09:00;
 *                recovery on one card: failed, failed, locked (ava), unlocked (sam), verified (ava);
 *                a void UK card redeemed: CARD_VOID; sam reveals two purchaser names.
 *  28 Nov 23:30  ten unknown codes on the CA account (CLAIM_CODE_NOT_FOUND), then two more:
 *                REDEMPTION_RATE_LIMITED; sky reveals a delivery e-mail;
 *                D (USD, service recovery) and E (CAD, other) requested and left waiting.
 *  30 Nov 12:00  the summary: C is past its expiry (still `pending` in the table).
 */
async function scriptedWeek(store: TestStore): Promise<void> {
  const a = await requestCredit(store, ava, credit({}));
  await approveCredit(store, sam, { requestId: a.id, idempotencyKey: newKey() });
  const b = await requestCredit(store, ava, credit({ reason: 'DAMAGED_CODE', amountMinor: 1000 }));
  await rejectCredit(store, sky, { requestId: b.id, reason: 'Not our fault' });
  await requestCredit(store, ava, credit({ accountId: jp, currency: 'JPY', amountMinor: 1000 }));

  const wrong = facts({ orderNumber: '999-0000000-0000000' });
  for (let n = 0; n < 3; n++) await verifyRecovery(store, ava, wrong);
  await unlockRecovery(store, sam, { serial: card.serial, reason: 'Caller verified by phone' });
  expect((await verifyRecovery(store, ava, facts())).outcome).toBe('verified');

  expect((await redeem(store, f.cards.voidUK.claimCode, uk)).code).toBe('CARD_VOID');
  await reveal(store, 'sam', 'purchaserName');
  await reveal(store, 'sam', 'purchaserName');

  store.clock.advance(6 * 24 * HOUR + 14.5 * HOUR); // 28 Nov 23:30 UTC
  for (let n = 0; n < 10; n++) expect((await redeem(store, `ZZZZ${String(n).replace(/[01]/, 'A')}ZZZZZZZZZ`, ca)).code).toBe('CLAIM_CODE_NOT_FOUND');
  for (let n = 0; n < 2; n++) expect((await redeem(store, 'ZZZZZZZZZZZZZZ', ca)).code).toBe('REDEMPTION_RATE_LIMITED');
  await reveal(store, 'sky', 'deliveryEmail');
  await requestCredit(store, ava, credit({ reason: 'SERVICE_RECOVERY', amountMinor: 3000 }));
  await requestCredit(store, ava, credit({ accountId: ca, currency: 'CAD', reason: 'OTHER', note: 'Promised on the phone', amountMinor: 4000 }));

  store.clock.advance(36.5 * HOUR); // 30 Nov 12:00 UTC
}

forEachEngine(() => {
  test('the demo store as seeded: the liability per currency, nothing else to show', async ({ demoStore: store }) => {
    const summary = await dashboardSummary(store, sam, {});
    expect(summary.liability).toEqual(DEMO_LIABILITY);
    expect(summary).toMatchObject({ credits: [], queue: [], recovery: [], refusals: [], rateLimitTrips: [], reveals: [] });
    // Default period: the 30 days up to now (the test clock), in UTC days.
    expect(summary.period).toMatchObject({ from: '2026-10-23T09:00:00.000Z', to: '2026-11-22T09:00:00.000Z', utcOffsetMinutes: 0, at: '2026-11-22T09:00:00.000Z' });
    expect(summary.period.days).toHaveLength(31);
    expect(summary.period.days[0]).toBe('2026-10-23');
    expect(summary.period.days.at(-1)).toBe('2026-11-22');
  });

  test('a week at the desk: every figure as worked out by hand', async ({ demoStore: store }) => {
    await scriptedWeek(store);
    const summary = await dashboardSummary(store, sam, {});

    expect(summary.credits).toEqual([
      { day: '2026-11-22', reason: 'DAMAGED_CODE', outcome: 'rejected', count: 1 },
      { day: '2026-11-22', reason: 'GOODWILL', outcome: 'approved', count: 1 },
      { day: '2026-11-29', reason: 'GOODWILL', outcome: 'expired', count: 1 },
    ]);
    // D waited since 28 Nov 23:30: 36.5 hours at 30 Nov 12:00.
    expect(summary.queue).toEqual([
      { currency: 'CAD', waiting: 1, oldestCreatedAt: '2026-11-28T23:30:00.000Z', oldestAgeMs: 36.5 * HOUR },
      { currency: 'USD', waiting: 1, oldestCreatedAt: '2026-11-28T23:30:00.000Z', oldestAgeMs: 36.5 * HOUR },
    ]);
    expect(summary.recovery).toEqual([{ day: '2026-11-22', verified: 1, failed: 2, locked: 1, unlocked: 1 }]);
    expect(summary.refusals).toEqual([
      { code: 'CLAIM_CODE_NOT_FOUND', count: 10 },
      { code: 'REDEMPTION_RATE_LIMITED', count: 2 },
      { code: 'CARD_VOID', count: 1 },
    ]);
    expect(summary.rateLimitTrips).toEqual([{ day: '2026-11-28', count: 2, accounts: 1 }]);
    expect(summary.reveals).toEqual([
      { actor: 'sam', field: 'purchaserName', count: 2 },
      { actor: 'sky', field: 'deliveryEmail', count: 1 },
    ]);
    // The approved 25.00 is now owed to the US customer.
    const usd = summary.liability.find((entry) => entry.currency === 'USD');
    // (The US customer already held redeemed value: still seven accounts with a balance.)
    expect(usd).toEqual({ ...DEMO_LIABILITY.at(-1), balancesMinor: 75_500 + 2500, totalMinor: 355_000 + 2500 });
  });

  test("the supervisor's days: an hour east of UTC, 23:30 UTC falls on the next day", async ({ demoStore: store }) => {
    await scriptedWeek(store);
    const summary = await dashboardSummary(store, sam, { utcOffsetMinutes: 60 });
    expect(summary.rateLimitTrips).toEqual([{ day: '2026-11-29', count: 2, accounts: 1 }]);
    expect(summary.credits.map((row) => row.day)).toEqual(['2026-11-22', '2026-11-22', '2026-11-29']);
    const west = await dashboardSummary(store, sam, { utcOffsetMinutes: -600 });
    // 22 Nov 09:00 UTC is 21 Nov 23:00 ten hours west.
    expect(west.recovery.map((row) => row.day)).toEqual(['2026-11-21']);
  });

  test('the period bounds every count; the queue and the liability are as of now', async ({ demoStore: store }) => {
    await scriptedWeek(store);
    const firstDay = await dashboardSummary(store, sam, { from: '2026-11-22T00:00:00Z', to: '2026-11-23T00:00:00Z' });
    expect(firstDay.period.days).toEqual(['2026-11-22']);
    expect(firstDay.credits).toHaveLength(2);
    expect(firstDay.refusals).toEqual([{ code: 'CARD_VOID', count: 1 }]);
    expect(firstDay.rateLimitTrips).toEqual([]);
    expect(firstDay.reveals).toEqual([{ actor: 'sam', field: 'purchaserName', count: 2 }]);
    expect(firstDay.queue).toHaveLength(2);
    // `to` is exclusive: nothing at exactly 28 Nov 23:30 is in a period that ends then.
    const before = await dashboardSummary(store, sam, { from: '2026-11-23T00:00:00Z', to: '2026-11-28T23:30:00Z' });
    expect(before).toMatchObject({ credits: [], recovery: [], refusals: [], rateLimitTrips: [], reveals: [] });
  });

  test('a period that ends before it starts, or is longer than 366 days, is refused in words', async ({ demoStore: store }) => {
    const backwards = await refusal(dashboardSummary(store, sam, { from: '2026-11-22T00:00:00Z', to: '2026-11-21T00:00:00Z' }));
    expect(backwards).toMatchObject({ code: 'VALIDATION_FAILED', message: PERIOD_BACKWARDS });
    const long = await refusal(dashboardSummary(store, sam, { from: '2025-11-01T00:00:00Z', to: '2026-11-22T00:00:00Z' }));
    expect(long).toMatchObject({ code: 'VALIDATION_FAILED', message: PERIOD_TOO_LONG });
    expect((await dashboardSummary(store, sam, { from: '2025-11-21T00:00:00Z', to: '2026-11-22T00:00:00Z' })).period.days).toHaveLength(366);
  });

  test('the liability totals the triggers keep equal a full recount after redemptions, credits and a reissue', async ({ demoStore: store }) => {
    await scriptedWeek(store);
    // A card redeemed (active → redeemed, the value moves to a balance), and a verified case reissued (old card void, a new active one).
    await redeemCode(store, ava, { claimCode: f.cards.activeUS.claimCode, accountId: us, ticketId: 'T-704', idempotencyKey: newKey() });
    const physical = f.cards.damagedPhysicalCA;
    const verified = await verifyRecovery(store, ava, {
      serial: physical.serial,
      orderNumber: physical.orderNumber,
      purchaserName: physical.purchaserName,
      recipientName: physical.recipientName,
      deliveryAddress: physical.deliveryAddress,
      ticketId: 'T-705',
    });
    expect(verified.outcome).toBe('verified');
    await resolveRecovery(store, ava, { caseId: verified.caseId, ticketId: 'T-705', action: 'reissue', idempotencyKey: newKey() });
    const recount = async () => {
      const cards: { marketplace: string; n: unknown; total: unknown }[] = await store
        .db('cards')
        .where({ status: 'active' })
        .groupBy('marketplace')
        .select('marketplace', store.db.raw('count(*) AS n'), store.db.raw('sum(face_value_minor) AS total'));
      const accounts: { marketplace: string; n: unknown; total: unknown }[] = await store
        .db('accounts')
        .groupBy('marketplace')
        .select('marketplace', store.db.raw('sum(CASE WHEN balance_minor <> 0 THEN 1 ELSE 0 END) AS n'), store.db.raw('sum(balance_minor) AS total'));
      const currencyOf: Record<string, string> = { US: 'USD', CA: 'CAD', UK: 'GBP', DE: 'EUR', JP: 'JPY', IN: 'INR' };
      return Object.entries(currencyOf)
        .map(([marketplace, currency]) => {
          const c = cards.find((row) => row.marketplace === marketplace);
          const a = accounts.find((row) => row.marketplace === marketplace);
          const entry = { activeCards: Number(c?.n ?? 0), activeCardsMinor: Number(c?.total ?? 0), accounts: Number(a?.n ?? 0), balancesMinor: Number(a?.total ?? 0) };
          return { currency, ...entry, totalMinor: entry.activeCardsMinor + entry.balancesMinor };
        })
        .sort((x, y) => x.currency.localeCompare(y.currency));
    };
    const summary = await dashboardSummary(store, sam, {});
    expect(summary.liability).toEqual(await recount());
    // By hand: USD lost the redeemed card from the active ones and gained it (and the approved credit) in balances.
    expect(summary.liability.find((entry) => entry.currency === 'USD')).toMatchObject({
      activeCards: 34,
      activeCardsMinor: 279_500 - f.cards.activeUS.faceValueMinor,
      balancesMinor: 75_500 + 2500 + f.cards.activeUS.faceValueMinor,
      totalMinor: 355_000 + 2500,
    });
    // CAD: the reissued card replaced the void one, same value: the owed figure did not move.
    expect(summary.liability.find((entry) => entry.currency === 'CAD')).toMatchObject({ activeCards: 37, activeCardsMinor: 144_000 });
  });

  test('each chart is one statement: seven queries for the whole summary, none of them per row', async ({ demoStore: store }) => {
    await scriptedWeek(store);
    const queries: string[] = [];
    const listener = (query: { sql: string }) => queries.push(query.sql);
    store.db.on('query', listener);
    try {
      await dashboardSummary(store, sam, {});
    } finally {
      store.db.off('query', listener);
    }
    expect(queries).toHaveLength(7);
    expect(queries.filter((sql) => /credit_requests/.test(sql))).toHaveLength(2);
    expect(queries.filter((sql) => /audit_log/.test(sql))).toHaveLength(4);
    expect(queries.filter((sql) => /FROM liability_totals/.test(sql))).toHaveLength(1);
    // Every grouped statement groups in the database.
    expect(queries.every((sql) => /GROUP BY/.test(sql))).toBe(true);
  });
});
