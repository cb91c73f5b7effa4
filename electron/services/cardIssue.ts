/**
 * Cards Giftdesk writes itself — the demo dataset and the replacement a recovery
 * issues — go into the store through `issueCards`: one row shape, and one place that
 * turns a claim code into what is stored (keyed digest, last 4, ciphertext bound to
 * the card's serial; never the code). Also new serials and codes for replacements.
 */
import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { CLAIM_CODE_ALPHABET, claimCodeLast4 } from '../../shared/claimCode';
import type { Marketplace } from '../../shared/marketplaces';
import { SERIAL_LENGTH, SERIAL_PREFIX } from '../../shared/serial';
import type { CardStatus, DeliveryChannel } from '../../shared/types';
import { toInt } from '../db/values';
import type { ClaimCodeVault } from './vault';

export interface NewCard {
  serial: string;
  /** Canonical; stored only as digest, last 4 and ciphertext. */
  claimCode: string;
  marketplace: Marketplace;
  faceValueMinor: number;
  status: CardStatus;
  deliveryChannel: DeliveryChannel;
  orderNumber: string;
  orderedAt: Date;
  purchaserName: string;
  recipientName: string;
  deliveryEmail: string | null;
  deliveryAddress: string | null;
  redeemedAt?: Date | null;
  redeemedAccountId?: string | null;
  voidedAt?: Date | null;
  replacesCardId?: number | null;
  createdAt: Date;
}

/** SQLite refuses multi-row inserts above 500 rows per statement. */
const BATCH = 500;

function cardRow(vault: ClaimCodeVault, card: NewCard): Record<string, unknown> {
  return {
    serial: card.serial,
    marketplace: card.marketplace,
    face_value_minor: card.faceValueMinor,
    status: card.status,
    claim_code_digest: vault.digest(card.claimCode),
    claim_code_last4: claimCodeLast4(card.claimCode),
    claim_code_cipher: vault.encrypt(card.claimCode, card.serial),
    delivery_channel: card.deliveryChannel,
    order_number: card.orderNumber,
    ordered_at: card.orderedAt,
    purchaser_name: card.purchaserName,
    recipient_name: card.recipientName,
    delivery_email: card.deliveryEmail,
    delivery_address: card.deliveryAddress,
    redeemed_at: card.redeemedAt ?? null,
    redeemed_account_id: card.redeemedAccountId ?? null,
    voided_at: card.voidedAt ?? null,
    replaces_card_id: card.replacesCardId ?? null,
    created_at: card.createdAt,
  };
}

/** Inserts the cards in the given order, in the caller's transaction; answers their ids by serial. */
export async function issueCards(trx: Knex.Transaction, vault: ClaimCodeVault, cards: NewCard[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < cards.length; i += BATCH) {
    const rows: { id: unknown; serial: string }[] = await trx('cards')
      .insert(cards.slice(i, i + BATCH).map((card) => cardRow(vault, card)))
      .returning(['id', 'serial']);
    for (const row of rows) ids.set(row.serial, toInt(row.id));
  }
  return ids;
}

export async function newUnusedSerial(trx: Knex.Transaction): Promise<string> {
  for (;;) {
    let serial = SERIAL_PREFIX;
    while (serial.length < SERIAL_LENGTH) serial += String(randomInt(10));
    if (!(await trx('cards').where({ serial }).first('id'))) return serial;
  }
}

/** A fresh 14-character code; the digest's unique index rules out a (vanishingly rare) repeat. */
export async function newUnusedClaimCode(trx: Knex.Transaction, digest: (code: string) => string): Promise<string> {
  for (;;) {
    const code = Array.from({ length: 14 }, () => CLAIM_CODE_ALPHABET[randomInt(CLAIM_CODE_ALPHABET.length)]).join('');
    if (!(await trx('cards').where({ claim_code_digest: digest(code) }).first('id'))) return code;
  }
}
