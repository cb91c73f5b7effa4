/**
 * Synthetic card batches for trials and benchmarks (`giftdesk cards generate`):
 * realistic rows in the import's CSV format, the same file for the same seed and
 * count, streamed to the output (any count, constant memory).
 *
 * Serials and claim codes are unique by construction, not by memory: each is an
 * affine step through a range (a step coprime with the range's size visits every value
 * once), so row i's serial and code differ from every other row's. Every marketplace
 * appears with its currency and face values usual there; names carry accents (and
 * Japanese names in kanji); delivery is by e-mail or to a shipping address (some with
 * commas and a second line, so fields are quoted). Order dates lie in 2026 before
 * November, never in the future.
 */
import { stringify } from 'csv-stringify';
import { CARD_IMPORT_COLUMNS, type CardImportColumn } from '../../shared/cardImport';
import { CLAIM_CODE_ALPHABET } from '../../shared/claimCode';
import { currencyOf, marketplaceCodes, type Marketplace } from '../../shared/marketplaces';
import { minorToDecimalString, majorToMinor } from '../../shared/money';
import { SERIAL_PREFIX } from '../../shared/serial';
import { prng } from './prng';


/** A seed from any text (FNV-1a), so `--seed winter-trial` works as well as `--seed 42`. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const FACE_VALUES: Record<Marketplace, number[]> = {
  US: [10, 15, 25, 50, 100, 200],
  CA: [15, 25, 50, 100],
  UK: [10, 20, 25, 50, 100],
  DE: [15, 25, 50, 100],
  JP: [1000, 3000, 5000, 10000, 20000],
  IN: [500, 1000, 2000, 5000],
};

const FIRST: Record<Marketplace, string[]> = {
  US: ['José', 'Zoë', 'Chloé', 'Renée', 'Mateo', 'Ava', 'Noah', 'Dolores', 'Ángel', 'Jalen'],
  CA: ['Françoise', 'Hélène', 'Étienne', 'Geneviève', 'Noël', 'Liam', 'Maëlle', 'Rémi'],
  UK: ['Siân', 'Niamh', 'Oliver', 'Eóin', 'Zoë', 'Amélie', 'Harry', 'Dafydd'],
  DE: ['Jürgen', 'Günther', 'Lukas', 'Jörg', 'Björn', 'Anneliese', 'Søren', 'Łukasz', 'Zoë'],
  JP: ['太郎', '花子', 'Yūki', 'Shōta', 'Ayaka', '健', 'Ren', 'Kōji'],
  IN: ['Aarav', 'Ananyā', 'Priya', 'Rāhul', 'Saanvi', 'Vihaan', 'Ishaan', 'Diya'],
};

const LAST: Record<Marketplace, string[]> = {
  US: ['García', 'Núñez', 'Smith', 'Johnson', 'Peña', 'Brown', 'Muñoz', 'Lee'],
  CA: ['Côté', 'Bélanger', 'Tremblay', 'Gagné', 'Lévesque', 'Roy', 'Bouchard'],
  UK: ['Ó Briain', 'Jones', 'Williams', 'MacLeòid', 'Taylor', 'Brontë', 'Evans'],
  DE: ['Müller', 'Schröder', 'Weiß', 'Groß', 'Köhler', 'Dvořák', 'Schäfer'],
  JP: ['山田', '佐藤', 'Tanaka', 'Itō', 'Kōno', '鈴木', 'Saitō'],
  IN: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Nāir', 'Gupta', 'Rao'],
};

const STREETS: Record<Marketplace, string[]> = {
  US: ['Main St', 'Oak Avenue', 'Elm St, Apt 4B', 'Sunset Blvd', 'Peña Blvd'],
  CA: ['Rue Saint-Denis', 'Chemin de la Côte-des-Neiges', 'Yonge St, Unit 12', 'Rue Sainte-Catherine'],
  UK: ['High Street', 'Station Road, Flat 2', 'Church Lane', 'Victoria Road'],
  DE: ['Hauptstraße', 'Schloßallee', 'Königstraße', 'Bahnhofstraße'],
  JP: ['Shibuya 2-chōme', 'Umeda 1-chōme', 'Ginza 4-chōme'],
  IN: ['MG Road', 'Park Street', 'Linking Road, Bandra'],
};

const CITIES: Record<Marketplace, string[]> = {
  US: ['Springfield, IL 62701', 'Austin, TX 73301', 'Portland, OR 97201'],
  CA: ['Montréal, QC H2X 1Y4', 'Québec, QC G1R 4P5', 'Toronto, ON M5V 2T6'],
  UK: ['London SW1A 1AA', 'Cardiff CF10 1AA', 'Leeds LS1 4AP'],
  DE: ['10115 Berlin', '80331 München', '50667 Köln'],
  JP: ['Tōkyō 150-0002', 'Ōsaka 530-0001'],
  IN: ['Bengaluru 560001', 'Kolkata 700016', 'Mumbai 400050'],
};

/** 2026-01-01 to 2026-10-31: in the past for any run from the date on. */
const FIRST_ORDER = Date.parse('2026-01-01T00:00:00Z');
const ORDER_SPAN_MS = Date.parse('2026-11-01T00:00:00Z') - FIRST_ORDER;

/** Serials: 17 + an 8-digit batch prefix from the seed + 9 digits stepping through 10^9 values. */
const SERIAL_SPACE = 1_000_000_000;
/** Codes: 6 characters stepping through 32^6 values, then 8 random characters. */
const CODE_SPACE = 32 ** 6;

function ascii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
}

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Called every 10 000 rows with the rows written so far. */
  onProgress?: (rows: number) => void;
}

/** At most 10^9 rows (the serials' range). */
export const GENERATE_MAX = SERIAL_SPACE;

/** One row as the file holds it (every value a string). */
export function* generateCardRows(count: number, seed: number): Generator<Record<CardImportColumn, string>> {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const serialBatch = String(Math.floor(rand() * 1e8)).padStart(8, '0');
  // Steps coprime with 10^9 (odd, not a multiple of 5) and with 32^6 (odd).
  let serialStep = 1 + 2 * Math.floor(rand() * 2e8);
  if (serialStep % 5 === 0) serialStep += 2;
  const codeStep = 1 + 2 * Math.floor(rand() * (CODE_SPACE / 2 - 1));
  let serialAt = Math.floor(rand() * SERIAL_SPACE);
  let codeAt = Math.floor(rand() * CODE_SPACE);
  const orderBase = Math.floor(rand() * 9e9);
  for (let i = 0; i < count; i++) {
    const marketplace = marketplaceCodes[i % marketplaceCodes.length]!;
    const currency = currencyOf(marketplace);
    const serial = SERIAL_PREFIX + serialBatch + String(serialAt).padStart(9, '0');
    serialAt = (serialAt + serialStep) % SERIAL_SPACE;
    let code = '';
    for (let c = codeAt, k = 0; k < 6; k++, c = Math.floor(c / 32)) code += CLAIM_CODE_ALPHABET[c % 32];
    codeAt = (codeAt + codeStep) % CODE_SPACE;
    for (let k = 0; k < 8; k++) code += CLAIM_CODE_ALPHABET[Math.floor(rand() * 32)];
    const purchaser = `${pick(FIRST[marketplace])} ${pick(LAST[marketplace])}`;
    const recipient = rand() < 0.3 ? purchaser : `${pick(FIRST[marketplace])} ${pick(LAST[marketplace])}`;
    const email = rand() < 0.6;
    const ordered = new Date(FIRST_ORDER + Math.floor(rand() * ORDER_SPAN_MS / 1000) * 1000);
    const [first, last] = recipient.split(' ');
    const street = `${1 + Math.floor(rand() * 240)} ${pick(STREETS[marketplace])}`;
    yield {
      serial,
      claim_code: code,
      marketplace,
      face_value: minorToDecimalString(majorToMinor(pick(FACE_VALUES[marketplace]), currency), currency),
      order_number: `ORD-${String((orderBase + i) % 1e10).padStart(10, '0')}`,
      ordered_at: ordered.toISOString().replace('.000Z', 'Z'),
      purchaser_name: purchaser,
      recipient_name: recipient,
      delivery_channel: email ? 'email' : 'physical',
      delivery_email: email ? `${ascii(first ?? '') || 'guest'}.${ascii(last ?? '') || 'card'}${i % 1000}@example.${marketplace === 'US' ? 'com' : marketplace.toLowerCase()}` : '',
      shipping_address: email ? '' : rand() < 0.2 ? `${recipient}\n${street}, ${pick(CITIES[marketplace])}` : `${street}, ${pick(CITIES[marketplace])}`,
    };
  }
}

/** Writes `count` rows (with the header) to `out`, minding back-pressure; resolves when all is flushed. */
export async function generateCards(out: NodeJS.WritableStream, options: GenerateOptions): Promise<void> {
  if (!Number.isSafeInteger(options.count) || options.count < 1 || options.count > GENERATE_MAX) {
    throw new RangeError(`count must be from 1 to ${GENERATE_MAX}`);
  }
  const csv = stringify({ header: true, columns: [...CARD_IMPORT_COLUMNS], record_delimiter: 'unix' });
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    csv.once('error', reject);
  });
  csv.pipe(out);
  let written = 0;
  for (const row of generateCardRows(options.count, options.seed)) {
    if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
    written += 1;
    if (written % 10_000 === 0) options.onProgress?.(written);
  }
  csv.end();
  await finished;
  options.onProgress?.(written);
}
