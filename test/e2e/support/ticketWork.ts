/**
 * Work done under one ticket through the real channels, as the signed-in user: a check
 * of the caller's details, a redemption and a manual credit request (the ticket view's
 * spec and its screenshot).
 */
import { expect, type Page } from '@playwright/test';
import { demo } from './demo';
import { answerFromPage } from './pageCalls';

export const TICKET = 'T-E2E-7781';
const emailCard = demo.cards.damagedEmailUS;
const usCard = demo.cards.activeUS;
const us = demo.accounts.usCustomer.id;

/** Three things done under one ticket, through the real channels: a check of the caller, a redemption, a credit request. */
export async function workTheTicket(page: Page): Promise<void> {
  const checked = await answerFromPage(page, 'recovery:verify', {
    serial: emailCard.serial,
    orderNumber: emailCard.orderNumber,
    purchaserName: emailCard.purchaserName,
    recipientName: emailCard.recipientName,
    deliveryAddress: emailCard.deliveryAddress,
    ticketId: TICKET,
  });
  expect(checked.ok, JSON.stringify(checked.error)).toBe(true);
  const redeemed = await answerFromPage(page, 'cards:redeem', { claimCode: usCard.claimCode, accountId: us, ticketId: TICKET, idempotencyKey: 'e2e-ticket-redeem-1' });
  expect(redeemed.ok, JSON.stringify(redeemed.error)).toBe(true);
  const requested = await answerFromPage(page, 'credits:request', {
    accountId: us,
    amountMinor: 500,
    currency: 'USD',
    reason: 'GOODWILL',
    ticketId: TICKET,
    idempotencyKey: 'e2e-ticket-credit-1',
  });
  expect(requested.ok, JSON.stringify(requested.error)).toBe(true);
}

