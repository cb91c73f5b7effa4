/**
 * Cards Giftdesk writes — the demo dataset, the replacement a recovery issues and the
 * cards of an imported batch — go into the store through here: one row shape, and one place that
 * turns a claim code into what is stored (keyed digest, last 4, ciphertext bound to
 * the card's serial; never the code). Also new serials and codes for replacements.
 */
import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { CLAIM_CODE_ALPHABET, claimCodeLast4 } from '../../shared/claimCode';
import type { Marketplace } from '../../shared/marketplaces';
import { SERIAL_LENGTH, SERIAL_PREFIX } from '../../shared/serial';
import type { CardStatus, DeliveryChannel } from '../../shared/types';
import { storeKind } from '../db/dialect';
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

/** A card as the `cards` table stores it: the claim code already sealed (digest, last 4, ciphertext). */
export type SealedCardRow = ReturnType<typeof cardRow>;

function cardRow(vault: ClaimCodeVault, card: NewCard) {
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

const COLUMNS = Object.keys(
  cardRow({ digest: () => '', encrypt: () => '' } as unknown as ClaimCodeVault, {
    serial: '',
    claimCode: '',
    marketplace: 'US',
    faceValueMinor: 0,
    status: 'active',
    deliveryChannel: 'email',
    orderNumber: '',
    orderedAt: new Date(0),
    purchaserName: '',
    recipientName: '',
    deliveryEmail: null,
    deliveryAddress: null,
    createdAt: new Date(0),
  }),
) as (keyof SealedCardRow)[];

/**
 * Rows per INSERT statement. Written as one multi-row VALUES statement (knex's own
 * multi-row insert on sqlite3 is a compound SELECT, capped at 500 rows, and costs more
 * to build than the rows cost to write): SQLite allows 32 766 bound values per
 * statement, PostgreSQL 65 535; 19 columns × 1 000 rows stays under both.
 */
export const INSERT_ROWS_PER_STATEMENT = 1000;

/**
 * Seals each card's claim code (digest, last 4, ciphertext bound to the serial) into the
 * row the table stores. The only place a claim code becomes what is stored.
 */
export function sealCards(vault: ClaimCodeVault, cards: readonly NewCard[]): SealedCardRow[] {
  return cards.map((card) => cardRow(vault, card));
}

const placeholderCache = new Map<number, string>();

function insertSql(rowCount: number, returning: boolean): string {
  let values = placeholderCache.get(rowCount);
  if (values === undefined) {
    const one = `(${COLUMNS.map(() => '?').join(',')})`;
    values = Array.from({ length: rowCount }, () => one).join(',');
    placeholderCache.set(rowCount, values);
  }
  return `insert into cards (${COLUMNS.join(',')}) values ${values}${returning ? ' returning id, serial' : ''}`;
}

const SQLITE_JSON_INSERT = `insert into cards (${COLUMNS.join(',')}) select ${COLUMNS.map((_, i) => `value->>${i}`).join(',')} from json_each(?)`;

/**
 * Inserts sealed rows in the caller's transaction, in order, many rows per statement.
 * With `ids`, answers the new ids by serial.
 */
export async function insertSealedCards(
  trx: Knex.Transaction,
  rows: readonly SealedCardRow[],
  options: { ids?: boolean } = {},
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const sqlite = storeKind(trx) === 'sqlite';
  for (let i = 0; i < rows.length; i += INSERT_ROWS_PER_STATEMENT) {
    const slice = rows.slice(i, i + INSERT_ROWS_PER_STATEMENT);
    if (sqlite && !options.ids) {
      // One bound value instead of 19 000: the rows as one JSON array, unpacked by SQLite
      // (a third less CPU than binding each value). Timestamps as epoch milliseconds, as
      // the sqlite3 driver stores a bound Date.
      const json = JSON.stringify(slice.map((row) => COLUMNS.map((column) => {
        const value = row[column];
        return value instanceof Date ? value.getTime() : value;
      })));
      await trx.raw(SQLITE_JSON_INSERT, [json]);
      continue;
    }
    const bindings: unknown[] = [];
    for (const row of slice) for (const column of COLUMNS) bindings.push(row[column]);
    const result: unknown = await trx.raw(insertSql(slice.length, options.ids ?? false), bindings as Knex.RawBinding[]);
    if (options.ids) {
      // sqlite3 answers the rows; pg a result with `rows`.
      const returned = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { id: unknown; serial: string }[];
      for (const row of returned) ids.set(row.serial, toInt(row.id));
    }
  }
  return ids;
}

/** Inserts the cards in the given order, in the caller's transaction; answers their ids by serial. */
export async function issueCards(trx: Knex.Transaction, vault: ClaimCodeVault, cards: NewCard[]): Promise<Map<string, number>> {
  return insertSealedCards(trx, sealCards(vault, cards), { ids: true });
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
