/**
 * Work done under one ticket through the real channels, as the signed-in user: a check
 * of the caller's details, a redemption and a manual credit request (the ticket view's
 * spec and its screenshot).
 */
import { expect, type Page } from '@playwright/test';
import { demo } from './demo';

type Answer = { ok: boolean; error?: { code: string; message: string }; data?: unknown };

/** Calls `window.giftdesk.<domain>.<verb>` from the page, as the signed-in user. */
export function call(page: Page, domain: string, verb: string, input: unknown): Promise<Answer> {
  return page.evaluate(
    ([d, v, i]) =>
      (window as unknown as { giftdesk: Record<string, Record<string, (input: unknown) => Promise<Answer>>> }).giftdesk[d]![v]!(i),
    [domain, verb, input] as const,
  );
}

export const TICKET = 'T-E2E-7781';
const emailCard = demo.cards.damagedEmailUS;
const usCard = demo.cards.activeUS;
const us = demo.accounts.usCustomer.id;

/** Three things done under one ticket, through the real channels: a check of the caller, a redemption, a credit request. */
export async function workTheTicket(page: Page): Promise<void> {
  const checked = await call(page, 'recovery', 'verify', {
    serial: emailCard.serial,
    orderNumber: emailCard.orderNumber,
    purchaserName: emailCard.purchaserName,
    recipientName: emailCard.recipientName,
    deliveryAddress: emailCard.deliveryAddress,
    ticketId: TICKET,
  });
  expect(checked.ok, JSON.stringify(checked.error)).toBe(true);
  const redeemed = await call(page, 'cards', 'redeem', { claimCode: usCard.claimCode, accountId: us, ticketId: TICKET, idempotencyKey: 'e2e-ticket-redeem-1' });
  expect(redeemed.ok, JSON.stringify(redeemed.error)).toBe(true);
  const requested = await call(page, 'credits', 'request', {
    accountId: us,
    amountMinor: 500,
    currency: 'USD',
    reason: 'GOODWILL',
    ticketId: TICKET,
    idempotencyKey: 'e2e-ticket-credit-1',
  });
  expect(requested.ok, JSON.stringify(requested.error)).toBe(true);
}

