/**
 * The ticket view (issue 14) lists `audit:list {ticketId}` as the timeline of everything
 * done under a ticket. So every operation that carries a ticket writes its audit entry
 * with it — the act and its refusals, and what happens later to what it started (an
 * approval, rejection, cancellation or expiry of a credit request carries the request's
 * ticket; a resolution the case's). Each step of the desk's work below runs under its own
 * ticket, and each ticket's timeline must show exactly its steps, newest first.
 */
import { expect } from 'vitest';
import { listAudit } from '../../electron/services/audit';
import { approveCredit, cancelCredit, rejectCredit, requestCredit } from '../../electron/services/credits';
import { demoFixtures } from '../../electron/services/demo';
import { resolveRecovery, verifyRecovery, type VerifyInput } from '../../electron/services/recovery';
import { redeemCode } from '../../electron/services/redemption';
import { newKey } from '../support/ledger';
import { refusal } from '../support/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const f = demoFixtures();
const ava = { id: 1, username: 'ava', role: 'agent' as const };
const sam = { id: 2, username: 'sam', role: 'supervisor' as const };
const sky = { id: 3, username: 'sky', role: 'supervisor' as const };
const us = f.accounts.usCustomer.id;
const ca = f.accounts.caCustomer.id;

function facts(card: typeof f.cards.damagedEmailUS, ticketId: string, overrides: Partial<VerifyInput> = {}): VerifyInput {
  return {
    serial: card.serial,
    orderNumber: card.orderNumber,
    purchaserName: card.purchaserName,
    recipientName: card.recipientName,
    deliveryAddress: card.deliveryAddress,
    claimCodeFragment: card.claimCodeFragment,
    ticketId,
    ...overrides,
  };
}

async function timeline(store: TestStore, ticketId: string): Promise<string[]> {
  const page = await listAudit(store, sam, { ticketId, limit: 200 });
  expect(page.entries.every((e) => e.ticketId === ticketId)).toBe(true);
  return page.entries.map((e) => `${e.actor ?? 'system'} ${e.action}${typeof e.details['code'] === 'string' ? ` ${e.details['code']}` : ''}`).reverse();
}

const credit = (ticketId: string, overrides: Partial<Parameters<typeof requestCredit>[2]> = {}) => ({
  accountId: us,
  amountMinor: 2500,
  currency: 'USD',
  reason: 'GOODWILL' as const,
  ticketId,
  idempotencyKey: newKey(),
  ...overrides,
});

forEachEngine(() => {
  test('redemptions and their refusals are under the ticket they were asked for', async ({ demoStore: store }) => {
    await redeemCode(store, ava, { claimCode: f.cards.activeUS.claimCode, accountId: us, ticketId: 'T-R1', idempotencyKey: newKey() });
    await refusal(redeemCode(store, ava, { claimCode: f.cards.activeUS.claimCode, accountId: us, ticketId: 'T-R2', idempotencyKey: newKey() }));
    await refusal(redeemCode(store, ava, { claimCode: f.cards.voidUK.claimCode, accountId: us, ticketId: 'T-R2', idempotencyKey: newKey() }));
    expect(await timeline(store, 'T-R1')).toEqual(['ava card.redeemed']);
    expect(await timeline(store, 'T-R2')).toEqual(['ava card.redeem.refused CARD_ALREADY_REDEEMED', 'ava card.redeem.refused CARD_VOID']);
  });

  test('recovery: checks (verified, failed, locked, refused, unknown serial) and resolutions are under the ticket', async ({ demoStore: store }) => {
    const card = f.cards.damagedEmailUS;
    const check = await verifyRecovery(store, ava, facts(card, 'T-V1'));
    expect(check.outcome).toBe('verified');
    await resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-V1', action: 'redeemToAccount', accountId: us, idempotencyKey: newKey() });
    expect(await timeline(store, 'T-V1')).toEqual(['ava recovery.verify', 'ava recovery.resolved']);

    // A resolution asked under another ticket is refused under the case's ticket; a case that does not exist, under the one asked for.
    const other = f.cards.damagedPhysicalCA;
    const second = await verifyRecovery(store, ava, facts(other, 'T-V2'));
    await refusal(resolveRecovery(store, ava, { caseId: second.caseId, ticketId: 'T-V9', action: 'redeemToAccount', accountId: ca, idempotencyKey: newKey() }));
    await refusal(resolveRecovery(store, ava, { caseId: '00000000-0000-4000-8000-000000000000', ticketId: 'T-V3', action: 'reissue', idempotencyKey: newKey() }));
    expect(await timeline(store, 'T-V2')).toEqual(['ava recovery.verify', 'ava recovery.resolve.refused FORBIDDEN']);
    expect(await timeline(store, 'T-V3')).toEqual(['ava recovery.resolve.refused CASE_NOT_FOUND']);

    // Failed checks until recovery locks, then a refused check: all under the caller's ticket.
    const wrong = facts(f.cards.activeUS as typeof card, 'T-V4', { orderNumber: '999-0000000-0000000', purchaserName: 'Nobody', recipientName: 'Nobody', deliveryAddress: 'nowhere@example.com', claimCodeFragment: '' });
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) outcomes.push((await verifyRecovery(store, ava, wrong)).outcome);
    expect(outcomes).toEqual(['failed', 'failed', 'locked']);
    expect((await refusal(verifyRecovery(store, ava, { ...wrong, ticketId: 'T-V5' }))).code).toBe('RECOVERY_LOCKED');
    expect(await timeline(store, 'T-V4')).toEqual(['ava recovery.verify', 'ava recovery.verify', 'ava recovery.verify', 'ava recovery.locked']);
    expect(await timeline(store, 'T-V5')).toEqual(['ava recovery.verify.refused RECOVERY_LOCKED']);

    // A serial that names no card: the miss is on record under the ticket too.
    expect((await refusal(verifyRecovery(store, ava, { ...wrong, serial: f.typoOfActiveUS.typed, ticketId: 'T-V6' }))).code).toBe('CARD_NOT_FOUND');
    expect(await timeline(store, 'T-V6')).toEqual(['ava recovery.verify']);
  });

  test('credit requests: the request, its refusals, approvals, rejection, cancellation and expiry are all under its ticket', async ({ demoStore: store }) => {
    const approved = await requestCredit(store, sam, credit('T-C1'));
    await refusal(approveCredit(store, sam, { requestId: approved.id, idempotencyKey: newKey() }));
    await approveCredit(store, sky, { requestId: approved.id, idempotencyKey: newKey() });
    // Approving a request that is no longer pending: refused, still under its ticket.
    await refusal(approveCredit(store, sam, { requestId: approved.id, idempotencyKey: newKey() }));
    expect(await timeline(store, 'T-C1')).toEqual([
      'sam credit.requested',
      'sam credit.approve.refused SELF_APPROVAL_FORBIDDEN',
      'sky credit.approved',
      'sam credit.approve.refused REQUEST_NOT_PENDING',
    ]);

    const rejected = await requestCredit(store, ava, credit('T-C2'));
    await rejectCredit(store, sam, { requestId: rejected.id, reason: 'Not eligible' });
    expect(await timeline(store, 'T-C2')).toEqual(['ava credit.requested', 'sam credit.rejected']);

    const cancelled = await requestCredit(store, ava, credit('T-C3'));
    await cancelCredit(store, ava, { requestId: cancelled.id });
    expect(await timeline(store, 'T-C3')).toEqual(['ava credit.requested', 'ava credit.cancelled']);

    // Refused requests: over the most per credit, and a currency that is not the account's.
    expect((await refusal(requestCredit(store, ava, credit('T-C4', { amountMinor: 99_999_999 })))).code).toBe('AMOUNT_OVER_LIMIT');
    expect((await refusal(requestCredit(store, ava, credit('T-C4', { currency: 'CAD' })))).code).toBe('CURRENCY_MISMATCH');
    expect(await timeline(store, 'T-C4')).toEqual(['ava credit.request.refused AMOUNT_OVER_LIMIT', 'ava credit.request.refused CURRENCY_MISMATCH']);
    expect(await store.db('credit_requests').where({ ticket_id: 'T-C4' })).toEqual([]);

    // Expiry: the housekeeping entry carries the request's ticket.
    const stale = await requestCredit(store, ava, credit('T-C5'));
    store.clock.advance(8 * 86_400_000);
    await refusal(approveCredit(store, sam, { requestId: stale.id, idempotencyKey: newKey() }));
    expect(await timeline(store, 'T-C5')).toEqual(['ava credit.requested', 'system credit.expired', 'sam credit.approve.refused REQUEST_NOT_PENDING']);

    // An approval of a request that does not exist has no ticket to go under.
    await refusal(approveCredit(store, sam, { requestId: 999_999, idempotencyKey: newKey() }));
    const [missing] = (await listAudit(store, sam, { action: 'credit.approve.refused', subject: '999999', limit: 5 })).entries;
    expect(missing).toMatchObject({ ticketId: null, details: { code: 'REQUEST_NOT_FOUND' } });
  });
});
