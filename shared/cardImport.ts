/**
 * Card batch files (issue 13): the header every file has and the rules every row must
 * meet, written once over the app's own rules (serial, claim code, marketplace, money,
 * text). The main process checks each row with these; a screen may show them.
 */
import { parseClaimCode } from './claimCode';
import { currencyOf, isMarketplace, marketplaceCodes, type Marketplace } from './marketplaces';
import { parseAmount } from './money';
import { parseSerial } from './serial';
import { TEXT_PROBLEM_MESSAGES, textProblem } from './text';
import type { DeliveryChannel } from './types';

/** The header row, in this order in the files Giftdesk writes; any order is read. */
export const CARD_IMPORT_COLUMNS = [
  'serial',
  'claim_code',
  'marketplace',
  'face_value',
  'order_number',
  'ordered_at',
  'purchaser_name',
  'recipient_name',
  'delivery_channel',
  'delivery_email',
  'shipping_address',
] as const;

export type CardImportColumn = (typeof CARD_IMPORT_COLUMNS)[number];

/** One refused row: its line in the file (where the row starts), the column at fault (null: the whole row) and why. */
export interface ImportProblem {
  line: number;
  column: CardImportColumn | null;
  reason: string;
}

export interface ImportSummary {
  batchId: number;
  fileName: string;
  /** SHA-256 of the file's bytes (hex). */
  checksum: string;
  rowsRead: number;
  imported: number;
  /** Rows identical to a card already in the store: a re-import changes nothing. */
  alreadyPresent: number;
  rejected: number;
  /** The first problems (at most IMPORT_PROBLEMS_LISTED), when rows were rejected. */
  problems: ImportProblem[];
  seconds: number;
}

export interface ImportProgress {
  rowsRead: number;
  bytesRead: number;
  imported: number;
  alreadyPresent: number;
  rejected: number;
  /** The file's size when the reader knows it (the Import screen's bar: bytesRead of totalBytes). */
  totalBytes?: number;
}

/** How many problems an answer lists; the counts cover the rest. */
export const IMPORT_PROBLEMS_LISTED = 20;

/** A row as checked: what goes into the store (the claim code only ever sealed). */
export interface CheckedCardRow {
  serial: string;
  claimCode: string;
  marketplace: Marketplace;
  faceValueMinor: number;
  orderNumber: string;
  orderedAt: Date;
  purchaserName: string;
  recipientName: string;
  deliveryChannel: DeliveryChannel;
  deliveryEmail: string | null;
  deliveryAddress: string | null;
}

export type RowCheck = { ok: true; card: CheckedCardRow } | { ok: false; column: CardImportColumn | null; reason: string };

export const NAME_MAX = 200;
export const ORDER_NUMBER_MAX = 32;
export const EMAIL_MAX = 254;
export const ADDRESS_MAX = 1000;

/** Control characters other than the line breaks and tabs an address may hold. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
const CONTROL_OR_BREAK = /\p{Cc}/u;

/** One line of text (a name, an order number): well-formed, no control characters, NFC, trimmed. */
function singleLine(value: string, what: string, max: number): { ok: true; text: string } | { ok: false; reason: string } {
  const problem = textProblem(value);
  if (problem) return { ok: false, reason: `The ${what} ${TEXT_PROBLEM_MESSAGES[problem]}.` };
  if (CONTROL_OR_BREAK.test(value)) return { ok: false, reason: `The ${what} is one line of text, without control characters.` };
  const text = value.normalize('NFC').trim();
  if (text === '') return { ok: false, reason: `The ${what} is empty.` };
  if (text.length > max) return { ok: false, reason: `The ${what} has more than ${max} characters.` };
  return { ok: true, text };
}

/** An e-mail address: one @, something on both sides, a dot in the domain, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

/** ISO 8601: a date, or a date and time with Z or an offset. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseOrderedAt(value: string, now: Date): { ok: true; at: Date } | { ok: false; reason: string } {
  const text = value.trim();
  const dateOnly = ISO_DATE.test(text);
  if (!dateOnly && !ISO_DATE_TIME.test(text)) {
    return { ok: false, reason: 'The order date is an ISO date (2026-03-14) or date and time with its zone (2026-03-14T09:30:00Z).' };
  }
  // Date reads 2026-02-30 as 2 March: the day must exist as written.
  const day = new Date(`${text.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text.slice(0, 10)) {
    return { ok: false, reason: 'The order date is not a real date.' };
  }
  const at = dateOnly ? day : new Date(text);
  if (Number.isNaN(at.getTime())) return { ok: false, reason: 'The order date is not a real date and time.' };
  if (at.getTime() > now.getTime() + 24 * 3600_000) return { ok: false, reason: 'The order date is in the future.' };
  return { ok: true, at };
}

/**
 * Checks one row (its fields by column name) with the app's rules; the first problem
 * found is the row's reason. `now` bounds the order date (not in the future).
 */
export function checkCardRow(row: Record<CardImportColumn, string>, now: Date): RowCheck {
  const fail = (column: CardImportColumn | null, reason: string): RowCheck => ({ ok: false, column, reason });
  for (const column of CARD_IMPORT_COLUMNS) {
    const problem = textProblem(row[column]);
    if (problem) return fail(column, `This field ${TEXT_PROBLEM_MESSAGES[problem]}.`);
    // What a byte that is not UTF-8 decodes to: the file was saved in another encoding (Latin-1, say).
    if (row[column].includes('\uFFFD')) return fail(column, 'This field is not UTF-8 text (a file saved as Latin-1 or Windows-1252?); save the file as UTF-8.');
  }
  const serial = parseSerial(row.serial);
  if (!serial.ok) return fail('serial', serial.message);
  const code = parseClaimCode(row.claim_code);
  if (!code.ok) return fail('claim_code', code.message);
  const marketplace = row.marketplace.trim().toUpperCase();
  if (!isMarketplace(marketplace)) return fail('marketplace', `The marketplace is one of ${marketplaceCodes.join(', ')}.`);
  const currency = currencyOf(marketplace);
  const amount = parseAmount(row.face_value, currency);
  if (!amount.ok) return fail('face_value', `${amount.message} (The face value is in ${currency}, the currency of ${marketplace}.)`);
  if (amount.minor <= 0) return fail('face_value', 'The face value must be more than zero.');
  const orderNumber = singleLine(row.order_number, 'order number', ORDER_NUMBER_MAX);
  if (!orderNumber.ok) return fail('order_number', orderNumber.reason);
  const orderedAt = parseOrderedAt(row.ordered_at, now);
  if (!orderedAt.ok) return fail('ordered_at', orderedAt.reason);
  const purchaser = singleLine(row.purchaser_name, 'purchaser name', NAME_MAX);
  if (!purchaser.ok) return fail('purchaser_name', purchaser.reason);
  const recipient = singleLine(row.recipient_name, 'recipient name', NAME_MAX);
  if (!recipient.ok) return fail('recipient_name', recipient.reason);
  const channel = row.delivery_channel.trim().toLowerCase();
  if (channel !== 'email' && channel !== 'physical') return fail('delivery_channel', 'The delivery channel is email or physical.');
  const email = row.delivery_email.trim();
  const address = row.shipping_address.normalize('NFC').trim();
  let deliveryEmail: string | null = null;
  let deliveryAddress: string | null = null;
  if (channel === 'email') {
    if (email === '') return fail('delivery_email', 'A card delivered by e-mail needs the delivery e-mail address.');
    if (email.length > EMAIL_MAX || !EMAIL.test(email) || CONTROL_OR_BREAK.test(email)) {
      return fail('delivery_email', 'The delivery e-mail is not an e-mail address (name@example.com).');
    }
    if (address !== '') return fail('shipping_address', 'A card delivered by e-mail has no shipping address; leave it empty.');
    deliveryEmail = email.normalize('NFC');
  } else {
    if (address === '') return fail('shipping_address', 'A physical card needs the shipping address.');
    if (address.length > ADDRESS_MAX) return fail('shipping_address', `The shipping address has more than ${ADDRESS_MAX} characters.`);
    if (CONTROL.test(address)) return fail('shipping_address', 'The shipping address has control characters.');
    if (email !== '') return fail('delivery_email', 'A physical card has no delivery e-mail; leave it empty.');
    deliveryAddress = address;
  }
  return {
    ok: true,
    card: {
      serial: serial.serial,
      claimCode: code.code,
      marketplace,
      faceValueMinor: amount.minor,
      orderNumber: orderNumber.text,
      orderedAt: orderedAt.at,
      purchaserName: purchaser.text,
      recipientName: recipient.text,
      deliveryChannel: channel,
      deliveryEmail,
      deliveryAddress,
    },
  };
}

/** Why a header row is not the card-file header, or null: every column once, none unknown. */
export function headerProblem(header: readonly string[]): string | null {
  const names = header.map((name) => name.trim().toLowerCase());
  const known = new Set<string>(CARD_IMPORT_COLUMNS);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    return `Unknown column${unknown.length > 1 ? 's' : ''} in the header row: ${unknown.map((n) => `"${n}"`).join(', ')}. The columns are ${CARD_IMPORT_COLUMNS.join(', ')}.`;
  }
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) return `The header row names ${[...new Set(twice)].join(', ')} more than once.`;
  const missing = CARD_IMPORT_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) return `The header row lacks ${missing.join(', ')}. The columns are ${CARD_IMPORT_COLUMNS.join(', ')}.`;
  return null;
}
