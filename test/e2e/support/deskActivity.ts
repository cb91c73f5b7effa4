/**
 * A little desk activity for the dashboard's specs and screenshot, through the real
 * preload and wrapper as the signed-in user (the calls a screen would make).
 */
import { expect, type Page } from '@playwright/test';
import { demo } from './demo';
import { answerFromPage as api } from './pageCalls';

const us = demo.accounts.usCustomer.id;
const ca = demo.accounts.caCustomer.id;
const card = demo.cards.damagedEmailUS;

let keys = 0;
const key = () => `e2e-dashboard-${Date.now()}-${++keys}`;

/** The agent's part: three credit requests, three failed recovery checks (a lock), refused redemptions up to the limit. */
export async function agentActivity(page: Page): Promise<number[]> {
  const ids: number[] = [];
  for (const [accountId, currency, reason] of [
    [us, 'USD', 'GOODWILL'],
    [us, 'USD', 'DAMAGED_CODE'],
    [ca, 'CAD', 'SERVICE_RECOVERY'],
  ] as const) {
    const answer = await api(page, 'credits:request', { accountId, amountMinor: 1250, currency, reason, ticketId: 'T-9601', idempotencyKey: key() });
    expect(answer.ok).toBe(true);
    ids.push(answer.data.id as number);
  }
  for (let n = 0; n < 3; n++) {
    const answer = await api(page, 'recovery:verify', {
      serial: card.serial,
      orderNumber: '999-0000000-0000000',
      purchaserName: card.purchaserName,
      recipientName: card.recipientName,
      deliveryAddress: card.deliveryAddress,
      ticketId: 'T-9602',
    });
    expect(answer.ok).toBe(true);
  }
  for (let n = 0; n < 10; n++) {
    const answer = await api(page, 'cards:redeem', { claimCode: `ZZZZZ${'23456789AB'[n]}ZZZZZZZZ`, accountId: ca, ticketId: 'T-9603', idempotencyKey: key() });
    expect(answer.error?.code).toBe('CLAIM_CODE_NOT_FOUND');
  }
  expect((await api(page, 'cards:redeem', { claimCode: 'ZZZZZZZZZZZZZZ', accountId: ca, ticketId: 'T-9603', idempotencyKey: key() })).error?.code).toBe(
    'REDEMPTION_RATE_LIMITED',
  );
  expect((await api(page, 'cards:redeem', { claimCode: demo.cards.voidUK.claimCode, accountId: us, ticketId: 'T-9604', idempotencyKey: key() })).error?.code).toBe(
    'CARD_VOID',
  );
  return ids;
}

/** The supervisor's part: approve one, reject one, unlock the card. */
export async function supervisorActivity(page: Page, [approve, reject]: number[]): Promise<void> {
  expect((await api(page, 'credits:approve', { requestId: approve, idempotencyKey: key() })).ok).toBe(true);
  expect((await api(page, 'credits:reject', { requestId: reject, reason: 'Not a damaged code' })).ok).toBe(true);
  expect((await api(page, 'recovery:unlock', { serial: card.serial, reason: 'Caller called back' })).ok).toBe(true);
}

