/**
 * Serial lookup: the card as an agent may see it (personal data masked, only the
 * last 4 characters of the claim code), its timeline, and for a well-formed serial
 * that is not found, up to 5 existing serials one typo away.
 */
import type { Knex } from 'knex';
import type { AuditAction } from '../../shared/auditActions';
import { isCardEventType, type CardEventType } from '../../shared/cardEvents';
import { AppError } from '../../shared/errors';
import { maskAddress, maskEmail, maskName } from '../../shared/mask';
import { currencyOf, isMarketplace } from '../../shared/marketplaces';
import { parseSerial, serialTypoCandidates } from '../../shared/serial';
import type { CardBalance, CardDetails, CardEventView, CardStatus, DeliveryChannel } from '../../shared/types';
import { parseJsonObject, toInt, toIso, toIsoOrNull } from '../db/values';
import { recordAudit } from './audit';
import type { Actor, Clock, ServiceDeps } from './context';

export const MAX_SUGGESTIONS = 5;

export interface CardRow {
  id: unknown;
  serial: string;
  marketplace: string;
  face_value_minor: unknown;
  status: CardStatus;
  claim_code_last4: string;
  delivery_channel: DeliveryChannel;
  ordered_at: unknown;
  purchaser_name: string;
  recipient_name: string;
  delivery_email: string | null;
  delivery_address: string | null;
  redeemed_at: unknown;
  redeemed_account_id: string | null;
  replaces_card_id: unknown;
  replaced_by_card_id: unknown;
  recovery_locked_at: unknown;
}

/** Parses a typed serial or answers SERIAL_INVALID, before any query runs. */
export function requireSerial(raw: string): string {
  const parsed = parseSerial(raw);
  if (!parsed.ok) throw new AppError('SERIAL_INVALID', parsed.message, { problem: parsed.problem });
  return parsed.serial;
}

/** Existing serials one typo away, in one indexed query over the candidate set. */
export async function findSerialSuggestions(db: Knex, serial: string): Promise<string[]> {
  const rows: { serial: string }[] = await db('cards')
    .whereIn('serial', serialTypoCandidates(serial))
    .orderBy('serial')
    .limit(MAX_SUGGESTIONS)
    .select('serial');
  return rows.map((r) => r.serial);
}

const eventSummaries: Record<CardEventType, (d: Record<string, unknown>) => string> = {
  issued: (d) => `Card issued for ${d['channel'] === 'physical' ? 'delivery by post' : 'delivery by e-mail'}`,
  delivered: (d) => `Delivered by ${d['channel'] === 'physical' ? 'post' : 'e-mail'}`,
  redeemed: (d) => `Redeemed to account ${String(d['accountId'] ?? '')}${d['via'] === 'recovery' ? ' (damaged-code recovery)' : ''}`,
  recovery_check: (d) => (d['outcome'] === 'verified' ? 'Recovery check: caller verified' : 'Recovery check: not verified'),
  recovery_locked: (d) => `Recovery locked after ${String(d['failures'] ?? 'repeated')} failed checks`,
  recovery_unlocked: (d) => `Recovery unlocked${d['reason'] ? `: ${String(d['reason'])}` : ''}`,
  delivery_queued: (d) => `Replacement queued for delivery by ${d['channel'] === 'physical' ? 'post' : 'e-mail'}`,
  voided: (d) => `Voided${d['reason'] ? `: ${String(d['reason'])}` : ''}`,
  replaced: (d) => `Replaced by card ${String(d['replacementSerial'] ?? '')}`.trim(),
  replacement: (d) => `Issued as replacement for card ${String(d['originalSerial'] ?? '')}`.trim(),
};

/** Rows hold plain strings: one of a later version reads as its own name. */
export function summarizeCardEvent(type: string, details: Record<string, unknown>): string {
  return isCardEventType(type) ? eventSummaries[type](details) : type.replace(/[._]/g, ' ');
}

async function cardEvents(db: Knex, cardId: number): Promise<CardEventView[]> {
  const rows = await db('card_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .where('e.card_id', cardId)
    .orderBy([{ column: 'e.at', order: 'asc' }, { column: 'e.id', order: 'asc' }])
    .select('e.id', 'e.at', 'e.type', 'e.ticket_id', 'e.details', 'u.username');
  return rows.map((r: Record<string, unknown>) => {
    const details = parseJsonObject(r['details']);
    return {
      id: toInt(r['id']),
      at: toIso(r['at']),
      type: String(r['type']),
      actor: (r['username'] as string | null) ?? null,
      ticketId: (r['ticket_id'] as string | null) ?? null,
      summary: summarizeCardEvent(String(r['type']), details),
    };
  });
}

async function serialOf(db: Knex, cardId: unknown): Promise<string | null> {
  if (cardId === null || cardId === undefined) return null;
  const row = await db('cards').where({ id: cardId }).first('serial');
  return row ? (row.serial as string) : null;
}

export async function toCardDetails(db: Knex, card: CardRow): Promise<CardDetails> {
  if (!isMarketplace(card.marketplace)) throw new Error(`card ${card.serial} has an unknown marketplace`);
  const faceValueMinor = toInt(card.face_value_minor);
  let redemption: CardDetails['redemption'] = null;
  if (card.redeemed_account_id) {
    const account = await db('accounts').where({ id: card.redeemed_account_id }).first('display_name');
    redemption = {
      redeemedAt: toIso(card.redeemed_at),
      accountId: card.redeemed_account_id,
      accountName: account ? maskName(String(account.display_name)) : '',
    };
  }
  const events = await cardEvents(db, toInt(card.id));
  const address = card.delivery_channel === 'email' ? maskEmail(card.delivery_email ?? '') : maskAddress(card.delivery_address ?? '');
  return {
    serial: card.serial,
    status: card.status,
    marketplace: card.marketplace,
    currency: currencyOf(card.marketplace),
    faceValueMinor,
    remainingValueMinor: card.status === 'active' ? faceValueMinor : 0,
    claimCodeLast4: card.claim_code_last4,
    deliveryChannel: card.delivery_channel,
    purchaserName: maskName(card.purchaser_name),
    recipientName: maskName(card.recipient_name),
    deliveryAddress: address,
    orderDate: toIso(card.ordered_at),
    redemption,
    replacedBySerial: await serialOf(db, card.replaced_by_card_id),
    replacesSerial: await serialOf(db, card.replaces_card_id),
    recoveryLockedAt: toIsoOrNull(card.recovery_locked_at),
    // Counted from the card's own history (the events just read), so the count cannot drift from it.
    recoveryUnlockCount: events.filter((event) => event.type === 'recovery_unlocked').length,
    events,
  };
}

/**
 * The card with this serial, or CARD_NOT_FOUND with "did you mean" suggestions. A
 * miss is audited here under `action` (and the ticket, when the work has one); a hit is
 * the caller's to audit.
 */
export async function findCard(
  deps: { db: Knex; clock: Clock },
  actor: Actor,
  rawSerial: string,
  action: AuditAction,
  ticketId: string | null = null,
): Promise<CardRow> {
  const serial = requireSerial(rawSerial);
  const card: CardRow | undefined = await deps.db('cards').where({ serial }).first();
  if (card) return card;
  const suggestions = await findSerialSuggestions(deps.db, serial);
  await recordAudit(deps.db, deps.clock, {
    actor: actor.username,
    action,
    subjectType: 'card',
    subjectId: serial,
    ticketId,
    details: { found: false, suggestions: suggestions.length },
  });
  throw new AppError(
    'CARD_NOT_FOUND',
    suggestions.length > 0
      ? 'No card has this serial number. Did the caller mean one of these?'
      : 'No card has this serial number. Check it with the caller digit by digit.',
    { suggestions },
  );
}

export async function lookupCard(
  deps: ServiceDeps,
  actor: Actor,
  input: { serial: string },
): Promise<CardDetails> {
  const card = await findCard(deps, actor, input.serial, 'card.lookup');
  // The audit entry and the card's details side by side (on PostgreSQL, two connections
  // at once); the details reach the caller only once the entry is committed.
  const [, details] = await Promise.all([
    recordAudit(deps.db, deps.clock, {
      actor: actor.username,
      action: 'card.lookup',
      subjectType: 'card',
      subjectId: card.serial,
      details: { found: true, status: card.status },
    }),
    toCardDetails(deps.db, card),
  ]);
  return details;
}

/** Balance inquiry: what is left on the card and whether it can be redeemed; audited, changes nothing. */
export async function cardBalance(
  deps: ServiceDeps,
  actor: Actor,
  input: { serial: string },
): Promise<CardBalance> {
  const card = await findCard(deps, actor, input.serial, 'card.balanceInquiry');
  if (!isMarketplace(card.marketplace)) throw new Error(`card ${card.serial} has an unknown marketplace`);
  const faceValueMinor = toInt(card.face_value_minor);
  const balance: CardBalance = {
    serial: card.serial,
    status: card.status,
    marketplace: card.marketplace,
    currency: currencyOf(card.marketplace),
    faceValueMinor,
    remainingValueMinor: card.status === 'active' ? faceValueMinor : 0,
    redeemable: card.status === 'active',
    notRedeemableReason: card.status === 'active' ? null : card.status,
    redeemedAt: toIsoOrNull(card.redeemed_at),
    redeemedToAccountId: card.redeemed_account_id,
  };
  await recordAudit(deps.db, deps.clock, {
    actor: actor.username,
    action: 'card.balanceInquiry',
    subjectType: 'card',
    subjectId: card.serial,
    details: { found: true, status: card.status, remainingValueMinor: balance.remainingValueMinor },
  });
  return balance;
}
