/**
 * What every way of using a card's value shares: a card event on its timeline, and
 * moving the value of a still-active card into an account (redemption, and recovery
 * to an account) — card state, ledger entry, balance and event in the caller's
 * write transaction.
 */
import type { Knex } from 'knex';
import type { CardEventType } from '../../shared/cardEvents';
import type { LedgerEntryType } from '../../shared/types';
import type { Currency } from '../../shared/money';
import { postLedgerEntry } from './ledger';

export interface CardEvent {
  cardId: unknown;
  type: CardEventType;
  at: Date;
  actorUserId: number | null;
  ticketId: string | null;
  details?: Record<string, unknown>;
}

export function cardEventRow(event: CardEvent): Record<string, unknown> {
  return {
    card_id: event.cardId,
    type: event.type,
    at: event.at,
    actor_user_id: event.actorUserId,
    ticket_id: event.ticketId,
    details: JSON.stringify(event.details ?? {}),
  };
}

export async function addCardEvents(trx: Knex.Transaction, ...events: CardEvent[]): Promise<void> {
  await trx('card_events').insert(events.map(cardEventRow));
}

export interface MoveValue {
  card: { id: unknown; serial: string };
  accountId: string;
  amountMinor: number;
  currency: Currency;
  ledgerType: LedgerEntryType;
  reason?: string | null;
  actorUserId: number;
  ticketId: string;
  at: Date;
  /** Shown on the card's timeline ("damaged-code recovery"). */
  via?: 'recovery';
}

/** Guarded: only a still-active card changes; anything else is a bug in the caller's checks. */
export async function moveCardValueToAccount(
  trx: Knex.Transaction,
  move: MoveValue,
): Promise<{ ledgerEntryId: number; balanceAfterMinor: number }> {
  const changed = await trx('cards')
    .where({ id: move.card.id, status: 'active' })
    .update({ status: 'redeemed', redeemed_at: move.at, redeemed_account_id: move.accountId });
  if (changed !== 1) throw new Error(`card ${move.card.serial} changed while its value was being moved`);
  const posted = await postLedgerEntry(trx, {
    accountId: move.accountId,
    amountMinor: move.amountMinor,
    currency: move.currency,
    type: move.ledgerType,
    reason: move.reason ?? null,
    cardId: Number(move.card.id),
    actorUserId: move.actorUserId,
    ticketId: move.ticketId,
    at: move.at,
  });
  await addCardEvents(trx, {
    cardId: move.card.id,
    type: 'redeemed',
    at: move.at,
    actorUserId: move.actorUserId,
    ticketId: move.ticketId,
    details: move.via ? { accountId: move.accountId, via: move.via } : { accountId: move.accountId },
  });
  return posted;
}
