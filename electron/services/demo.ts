/**
 * The deterministic demo dataset: the same seed always gives the same users,
 * accounts, cards, ledgers and events. Its named fixtures (the cards and accounts
 * testers script against) are derived here too and checked in as
 * `test/fixtures/demo.json`; a test asserts that file matches this code.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { CLAIM_CODE_ALPHABET } from '../../shared/claimCode';
import { AppError } from '../../shared/errors';
import { currencyOf, marketplaceCodes, type Marketplace } from '../../shared/marketplaces';
import { majorToMinor, type Currency } from '../../shared/money';
import type { Role } from '../../shared/roles';
import { foldForSearch } from '../../shared/text';
import type { CardStatus, DeliveryChannel, DemoUser } from '../../shared/types';
import { writeTransaction } from '../db/transaction';
import { toInt } from '../db/values';
import { appendAudit } from './audit';
import { issueCards, type NewCard } from './cardIssue';
import { nameWords } from '../db/search';
import { cardEventRow, type CardEvent } from './cardValue';
import type { Operator, ServiceDeps } from './context';
import { hashPassword, verifyPassword } from './passwords';
import { getSetting, putSetting } from './settings';
import { prng } from './prng';

export const DEMO_SEED = 0x67d35a1;
const CARDS_PER_MARKETPLACE = 55;
const ACCOUNTS_PER_MARKETPLACE = 8;
const DAY = 86_400_000;
const EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);

export const demoUsers = [
  { username: 'ava', password: 'ava-demo', role: 'agent', displayName: 'Ava Thompson' },
  { username: 'sam', password: 'sam-demo', role: 'supervisor', displayName: 'Sam Ortiz' },
  { username: 'sky', password: 'sky-demo', role: 'supervisor', displayName: 'Sky Nakamura' },
  { username: 'ada', password: 'ada-demo', role: 'admin', displayName: 'Ada Lovell' },
] as const satisfies readonly DemoUser[];

export type DemoUsername = (typeof demoUsers)[number]['username'];


const people: Record<Marketplace, { first: string[]; last: string[] }> = {
  US: { first: ['Jane', 'Marcus', 'Olivia', 'Dwayne', 'Priscilla', 'Ethan', 'Rosa', 'Kevin'], last: ['Doe', 'Whitaker', 'Nguyen', 'Johnson', 'García', 'O’Brien', 'Miller', 'Lee'] },
  CA: { first: ['Émilie', 'Liam', 'Chloé', 'Noah', 'Gabrielle', 'Owen', 'Sophie', 'Mathis'], last: ['Tremblay', 'Roy', 'Gagnon', 'MacDonald', 'Côté', 'Wilson', 'Bouchard', 'Singh'] },
  UK: { first: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Poppy', 'Arthur', 'Freya'], last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wright', 'Hughes'] },
  DE: { first: ['Jürgen', 'Zoë', 'Lukas', 'Anna-Lena', 'Maximilian', 'Sören', 'Lea', 'Björn'], last: ['Müller', 'Schäfer', 'Weiß', 'Schmidt', 'Köhler', 'Groß', 'Becker', 'Hoffmann'] },
  JP: { first: ['太郎', '花子', 'Haruto', 'Yui', '蓮', 'Sakura', '大翔', 'Aoi'], last: ['山田', '佐藤', 'Suzuki', 'Takahashi', '田中', 'Watanabe', '伊藤', 'Kobayashi'] },
  IN: { first: ['Priya', 'Arjun', 'Ananya', 'Rohan', 'Kavya', 'Vikram', 'Isha', 'Aditya'], last: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Gupta', 'Nair', 'Mehta', 'Banerjee'] },
};

const streets: Record<Marketplace, string[]> = {
  US: ['1420 Maple Street, Apt 5, Springfield, IL 62704', '88 Ocean Avenue, Santa Cruz, CA 95060', '301 Pine Road, Suite 12, Austin, TX 78701', '17 Elm Street, Burlington, VT 05401'],
  CA: ['250 Rue Sainte-Catherine, Montréal, QC H2X 1L4', '44 King Street West, Toronto, ON M5H 1J8', '910 Granville Street, Vancouver, BC V6Z 1L2', '12 Water Street, St. John’s, NL A1C 1A1'],
  UK: ['221B Baker Street, London NW1 6XE', '14 Queen’s Road, Brighton BN1 3XE', '7 Castle Street, Edinburgh EH2 3AH', '32 Mill Lane, Cambridge CB2 1RX'],
  DE: ['Königstraße 12, 70173 Stuttgart', 'Hauptstraße 5, 69117 Heidelberg', 'Schloßallee 3, 01067 Dresden', 'Müllerstraße 141, 13353 Berlin'],
  JP: ['東京都千代田区丸の内1-9-1', '3-2-1 Umeda, Kita-ku, Osaka 530-0001', '京都府京都市下京区烏丸通七条下ル', '2-4-8 Chuo, Aoba-ku, Sendai 980-0021'],
  IN: ['12 MG Road, Bengaluru, Karnataka 560001', '45 Marine Drive, Mumbai, Maharashtra 400020', '7 Park Street, Kolkata, West Bengal 700016', '221 Anna Salai, Chennai, Tamil Nadu 600002'],
};

const faceValues: Record<Currency, number[]> = {
  USD: [10, 25, 50, 100, 200],
  CAD: [15, 25, 50, 100],
  GBP: [10, 20, 25, 50, 100],
  EUR: [15, 25, 50, 100],
  JPY: [1000, 3000, 5000, 10000],
  INR: [500, 1000, 2000, 5000],
};


export interface DemoAccount {
  id: string;
  marketplace: Marketplace;
  displayName: string;
  email: string;
}

/** A demo card: what any issued card has (cardIssue.ts), plus where the demo puts it. */
export interface DemoCard
  extends Pick<
    NewCard,
    | 'serial'
    | 'claimCode'
    | 'marketplace'
    | 'faceValueMinor'
    | 'status'
    | 'deliveryChannel'
    | 'orderNumber'
    | 'orderedAt'
    | 'purchaserName'
    | 'recipientName'
    | 'deliveryEmail'
    | 'deliveryAddress'
  > {
  currency: Currency;
  redeemedAt: Date | null;
  redeemedTo: string | null;
  voidedAt: Date | null;
  voidReason: string | null;
  /** Index into the card list of the card this one replaces. */
  replaces: number | null;
}

export interface DemoDataset {
  users: typeof demoUsers;
  accounts: DemoAccount[];
  cards: DemoCard[];
}

function asciiLocal(name: string): string {
  const folded = foldForSearch(name).replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '');
  return folded || 'customer';
}

export function generateDemoDataset(seed = DEMO_SEED): DemoDataset {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const serials = new Set<string>();
  const codes = new Set<string>();
  const newSerial = (): string => {
    for (;;) {
      const s = '17' + digits(17);
      if (!serials.has(s)) {
        serials.add(s);
        return s;
      }
    }
  };
  const newCode = (): string => {
    for (;;) {
      const length = rand() < 0.8 ? 14 : 15;
      const c = Array.from({ length }, () => pick([...CLAIM_CODE_ALPHABET])).join('');
      if (!codes.has(c)) {
        codes.add(c);
        return c;
      }
    }
  };
  const personName = (mk: Marketplace) => {
    const p = people[mk];
    return `${pick(p.first)} ${pick(p.last)}`;
  };

  const accounts: DemoAccount[] = [];
  for (const mk of marketplaceCodes) {
    for (let i = 1; i <= ACCOUNTS_PER_MARKETPLACE; i++) {
      const displayName = personName(mk);
      accounts.push({
        id: `ACC-${mk}-${String(1000 + i)}`,
        marketplace: mk,
        displayName,
        email: `${asciiLocal(displayName)}${i}@example.${mk === 'UK' ? 'co.uk' : 'com'}`,
      });
    }
  }

  const cards: DemoCard[] = [];
  for (const mk of marketplaceCodes) {
    const currency = currencyOf(mk);
    const mkAccounts = accounts.filter((a) => a.marketplace === mk);
    for (let i = 0; i < CARDS_PER_MARKETPLACE; i++) {
      const slot = i % 10;
      const status: CardStatus = slot <= 5 ? 'active' : slot <= 8 ? 'redeemed' : 'void';
      const deliveryChannel: DeliveryChannel = rand() < 0.55 ? 'email' : 'physical';
      const orderedAt = new Date(EPOCH + Math.floor(rand() * 280) * DAY + Math.floor(rand() * DAY));
      const recipientName = personName(mk);
      const card: DemoCard = {
        serial: newSerial(),
        claimCode: newCode(),
        marketplace: mk,
        currency,
        faceValueMinor: majorToMinor(pick(faceValues[currency]), currency),
        status,
        deliveryChannel,
        orderNumber: `${digits(3)}-${digits(7)}-${digits(7)}`,
        orderedAt,
        purchaserName: personName(mk),
        recipientName,
        deliveryEmail:
          deliveryChannel === 'email' ? `${asciiLocal(recipientName)}@mail.example.${mk === 'UK' ? 'co.uk' : 'com'}` : null,
        deliveryAddress: deliveryChannel === 'physical' ? pick(streets[mk]) : null,
        redeemedAt: status === 'redeemed' ? new Date(orderedAt.getTime() + (1 + Math.floor(rand() * 20)) * DAY) : null,
        // The first account of each marketplace (the fixtures' customers) gets a long
        // ledger, so that its history and chart have something to show.
        redeemedTo: status === 'redeemed' ? (rand() < 0.4 ? mkAccounts[0]! : pick(mkAccounts)).id : null,
        voidedAt: status === 'void' ? new Date(orderedAt.getTime() + (2 + Math.floor(rand() * 10)) * DAY) : null,
        voidReason: status === 'void' ? pick(['Reported lost in the post', 'Order cancelled', 'Damaged code, replaced']) : null,
        replaces: null,
      };
      cards.push(card);
      // A voided card with a damaged code was replaced: the replacement is a new
      // active card linked both ways.
      if (card.voidReason === 'Damaged code, replaced') {
        cards.push({
          ...card,
          serial: newSerial(),
          claimCode: newCode(),
          status: 'active',
          orderedAt: card.voidedAt!,
          redeemedAt: null,
          redeemedTo: null,
          voidedAt: null,
          voidReason: null,
          replaces: cards.length - 1,
        });
      }
    }
  }
  return { users: demoUsers, accounts, cards };
}

export interface CardFixture {
  serial: string;
  claimCode: string;
  marketplace: Marketplace;
  currency: Currency;
  faceValueMinor: number;
  status: CardStatus;
}

export interface DamagedCardFixture extends CardFixture {
  deliveryChannel: DeliveryChannel;
  orderNumber: string;
  purchaserName: string;
  recipientName: string;
  deliveryAddress: string;
  claimCodeFragment: string;
}

export interface DemoFixtures {
  users: Record<DemoUsername, { username: DemoUsername; password: string; role: Role }>;
  cards: {
    activeUS: CardFixture;
    activeJP: CardFixture;
    redeemedUS: CardFixture & { redeemedTo: string };
    voidUK: CardFixture;
    damagedEmailUS: DamagedCardFixture;
    damagedPhysicalCA: DamagedCardFixture;
  };
  accounts: { usCustomer: DemoAccount; caCustomer: DemoAccount };
  /** A well-formed serial that is not in the store, one typo away from `activeUS`. */
  typoOfActiveUS: { typed: string; suggests: string };
}

function cardFixture(card: DemoCard): CardFixture {
  return {
    serial: card.serial,
    claimCode: card.claimCode,
    marketplace: card.marketplace,
    currency: card.currency,
    faceValueMinor: card.faceValueMinor,
    status: card.status,
  };
}

/** The legible part of a scratched code: the middle characters are unreadable. */
function scratched(code: string): string {
  return code
    .split('')
    .map((c, i) => (i >= 4 && i < 9 ? '?' : c))
    .join('');
}

function damagedFixture(card: DemoCard): DamagedCardFixture {
  return {
    ...cardFixture(card),
    deliveryChannel: card.deliveryChannel,
    orderNumber: card.orderNumber,
    purchaserName: card.purchaserName,
    recipientName: card.recipientName,
    deliveryAddress: (card.deliveryChannel === 'email' ? card.deliveryEmail : card.deliveryAddress) ?? '',
    claimCodeFragment: scratched(card.claimCode),
  };
}

export function demoFixtures(data: DemoDataset = generateDemoDataset()): DemoFixtures {
  const find = (label: string, predicate: (c: DemoCard, i: number) => boolean): DemoCard => {
    const found = data.cards.find(predicate);
    if (!found) throw new Error(`demo dataset has no card for fixture ${label}`);
    return found;
  };
  const standalone = (c: DemoCard) => c.replaces === null && !data.cards.some((o) => o.replaces !== null && data.cards[o.replaces] === c);
  const activeUS = find('activeUS', (c) => c.marketplace === 'US' && c.status === 'active' && c.deliveryChannel === 'email' && standalone(c));
  const damagedEmailUS = find(
    'damagedEmailUS',
    (c) => c !== activeUS && c.marketplace === 'US' && c.status === 'active' && c.deliveryChannel === 'email' && standalone(c),
  );
  const redeemedUS = find('redeemedUS', (c) => c.marketplace === 'US' && c.status === 'redeemed');
  const serials = new Set(data.cards.map((c) => c.serial));
  // Change the last digit until the result is free: a typo that must suggest activeUS.
  let typed = activeUS.serial;
  for (let d = 1; d <= 9 && (typed === activeUS.serial || serials.has(typed)); d++) {
    const last = (Number(activeUS.serial.slice(-1)) + d) % 10;
    typed = activeUS.serial.slice(0, -1) + String(last);
  }
  return {
    users: Object.fromEntries(
      data.users.map((u) => [u.username, { username: u.username, password: u.password, role: u.role }]),
    ) as DemoFixtures['users'],
    cards: {
      activeUS: cardFixture(activeUS),
      activeJP: cardFixture(find('activeJP', (c) => c.marketplace === 'JP' && c.status === 'active' && standalone(c))),
      redeemedUS: { ...cardFixture(redeemedUS), redeemedTo: redeemedUS.redeemedTo! },
      voidUK: cardFixture(find('voidUK', (c) => c.marketplace === 'UK' && c.status === 'void')),
      damagedEmailUS: damagedFixture(damagedEmailUS),
      damagedPhysicalCA: damagedFixture(
        find('damagedPhysicalCA', (c) => c.marketplace === 'CA' && c.status === 'active' && c.deliveryChannel === 'physical' && standalone(c)),
      ),
    },
    accounts: {
      usCustomer: data.accounts.find((a) => a.marketplace === 'US')!,
      caCustomer: data.accounts.find((a) => a.marketplace === 'CA')!,
    },
    typoOfActiveUS: { typed, suggests: activeUS.serial },
  };
}

const DEMO_SETTING = 'demo.seededAt';
/**
 * A digest of each demo user's password hash as seeded. A hash is rewritten (with a new
 * random salt) whenever a password is set, so an unchanged hash proves the published
 * password still opens the account without running scrypt at every start.
 */
const DEMO_HASHES_SETTING = 'demo.seededPasswordHashes';

function hashDigest(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('hex');
}

/** Why a team store never gets the demo dataset (the console's start-up and the CLI say it). */
export const DEMO_TEAM_REFUSED =
  'The demo dataset has users with published passwords, so Giftdesk never seeds it into a team store (PostgreSQL). ' +
  'Unset GIFTDESK_DEMO, or try the demo on a solo store (no GIFTDESK_DATABASE_URL).';

/** True when the store has neither users nor cards. */
export async function isStoreEmpty(db: Knex): Promise<boolean> {
  const [users, cards] = await Promise.all([db('users').count({ n: '*' }).first(), db('cards').count({ n: '*' }).first()]);
  return toInt(users?.n ?? 0) === 0 && toInt(cards?.n ?? 0) === 0;
}

/** True when the store was seeded with the demo dataset (its users' passwords are published). */
export async function isDemoStore(db: Knex): Promise<boolean> {
  return (await getSetting(db, DEMO_SETTING)) !== undefined;
}

export const DEMO_REAL_STORE_REFUSED =
  'GIFTDESK_DEMO=1 asks for the demo dataset, but this store already has its own users: Giftdesk never adds the demo users (published passwords) to it. ' +
  'Unset GIFTDESK_DEMO, or point GIFTDESK_DATA_DIR at an empty directory to try the demo.';

/** SQLite refuses multi-row inserts above 500 rows per statement. */
async function insertBatched(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await trx(table).insert(rows.slice(i, i + 500));
}

/**
 * Writes the demo dataset into an empty store in one transaction; returns false (and
 * writes nothing) when the store already has data. Every step writes rows in the
 * dataset's order, so ids (and the whole store) come out the same every time.
 */
export async function seedDemo(
  deps: ServiceDeps,
  actor: Operator = { username: 'system' },
  options: { teamStoreForTests?: boolean } = {},
): Promise<boolean> {
  if (deps.kind === 'postgres' && !options.teamStoreForTests) throw new AppError('FORBIDDEN', DEMO_TEAM_REFUSED);
  const data = generateDemoDataset();
  const hashes = await Promise.all(data.users.map((u) => hashPassword(u.password)));
  return writeTransaction(deps.db, async (trx) => {
    if (!(await isStoreEmpty(trx))) return false;
    const userId = await insertUsers(trx, data.users, hashes);
    await insertAccounts(trx, data.accounts);
    const cardId = await issueCards(trx, deps.vault, data.cards.map(newCardOf));
    await linkReplacements(trx, data.cards, cardId);
    const history = redemptions(data.cards, cardId, userId('ava'));
    const events = [...cardLives(data.cards, cardId, userId('sam')), ...history.events];
    await insertBatched(trx, 'card_events', events.map(cardEventRow));
    await insertBatched(trx, 'ledger_entries', history.ledger);
    for (const [accountId, balance] of history.balances) {
      await trx('accounts').where({ id: accountId }).update({ balance_minor: balance });
    }
    await putSetting(trx, DEMO_SETTING, deps.clock.now().toISOString(), deps.clock.now());
    const digests = Object.fromEntries(data.users.map((u, i) => [u.username, hashDigest(hashes[i]!)]));
    await putSetting(trx, DEMO_HASHES_SETTING, digests, deps.clock.now());
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'demo.seeded',
      details: { users: data.users.length, accounts: data.accounts.length, cards: data.cards.length },
    });
    return true;
  });
}

/** Users and accounts exist from a month before the first order. */
const STORE_OPENED = new Date(EPOCH - 30 * DAY);

/** Inserts the demo users; answers their ids by username. */
async function insertUsers(
  trx: Knex.Transaction,
  users: DemoDataset['users'],
  passwordHashes: string[],
): Promise<(username: DemoUsername) => number> {
  await trx('users').insert(
    users.map((u, i) => ({
      username: u.username,
      display_name: u.displayName,
      role: u.role,
      password_hash: passwordHashes[i],
      failed_sign_ins: 0,
      active: true,
      created_at: STORE_OPENED,
    })),
  );
  const rows: { id: unknown; username: string }[] = await trx('users').select('id', 'username');
  return (username) => toInt(rows.find((u) => u.username === username)!.id);
}

async function insertAccounts(trx: Knex.Transaction, accounts: DemoAccount[]): Promise<void> {
  await insertBatched(
    trx,
    'accounts',
    accounts.map((a) => ({
      id: a.id,
      marketplace: a.marketplace,
      display_name: a.displayName,
      email: a.email,
      search_text: foldForSearch(`${a.displayName} ${a.email} ${a.id}`),
      name_words: nameWords(a.displayName),
      balance_minor: 0,
      created_at: STORE_OPENED,
    })),
  );
}

/** A demo card as issued: its state as of the dataset; replacement links come after. */
function newCardOf(c: DemoCard): NewCard {
  return {
    serial: c.serial,
    claimCode: c.claimCode,
    marketplace: c.marketplace,
    faceValueMinor: c.faceValueMinor,
    status: c.status,
    deliveryChannel: c.deliveryChannel,
    orderNumber: c.orderNumber,
    orderedAt: c.orderedAt,
    purchaserName: c.purchaserName,
    recipientName: c.recipientName,
    deliveryEmail: c.deliveryEmail,
    deliveryAddress: c.deliveryAddress,
    redeemedAt: c.redeemedAt,
    redeemedAccountId: c.redeemedTo,
    voidedAt: c.voidedAt,
    createdAt: c.orderedAt,
  };
}

/** Replacement links, both ways: only now do both cards have ids. */
async function linkReplacements(trx: Knex.Transaction, cards: DemoCard[], cardId: Map<string, number>): Promise<void> {
  for (const card of cards) {
    if (card.replaces === null) continue;
    const original = cards[card.replaces]!;
    await trx('cards').where({ serial: card.serial }).update({ replaces_card_id: cardId.get(original.serial) });
    await trx('cards').where({ serial: original.serial }).update({ replaced_by_card_id: cardId.get(card.serial) });
  }
}

/** Each card's timeline up to redemption: issued (or issued as a replacement), delivered, voided and replaced. */
function cardLives(cards: DemoCard[], cardId: Map<string, number>, supervisor: number): CardEvent[] {
  const events: CardEvent[] = [];
  const system = { actorUserId: null, ticketId: null };
  for (const card of cards) {
    const id = cardId.get(card.serial)!;
    const original = card.replaces === null ? null : cards[card.replaces]!;
    events.push(
      original
        ? { ...system, cardId: id, type: 'replacement', at: card.orderedAt, details: { originalSerial: original.serial } }
        : { ...system, cardId: id, type: 'issued', at: card.orderedAt, details: { channel: card.deliveryChannel } },
      {
        ...system,
        cardId: id,
        type: 'delivered',
        at: new Date(card.orderedAt.getTime() + (card.deliveryChannel === 'email' ? 60_000 : 3 * DAY)),
        details: { channel: card.deliveryChannel },
      },
    );
    if (!card.voidedAt) continue;
    const bySupervisor = { cardId: id, at: card.voidedAt, actorUserId: supervisor, ticketId: `T-${card.serial.slice(-6)}` };
    events.push({ ...bySupervisor, type: 'voided', details: { reason: card.voidReason } });
    const replacement = cards.find((c) => c.replaces !== null && cards[c.replaces] === card);
    if (replacement) events.push({ ...bySupervisor, type: 'replaced', details: { replacementSerial: replacement.serial } });
  }
  return events;
}

/**
 * Redemptions in time order (so each account's ledger runs forward): the card's
 * event, the ledger entry with the balance after it, and each account's final balance.
 */
function redemptions(
  cards: DemoCard[],
  cardId: Map<string, number>,
  agent: number,
): { events: CardEvent[]; ledger: Record<string, unknown>[]; balances: Map<string, number> } {
  const events: CardEvent[] = [];
  const ledger: Record<string, unknown>[] = [];
  const balances = new Map<string, number>();
  const chronological = [...cards].sort(
    (a, b) => (a.redeemedAt?.getTime() ?? 0) - (b.redeemedAt?.getTime() ?? 0) || a.serial.localeCompare(b.serial),
  );
  for (const card of chronological) {
    if (!card.redeemedAt || !card.redeemedTo) continue;
    const balance = (balances.get(card.redeemedTo) ?? 0) + card.faceValueMinor;
    balances.set(card.redeemedTo, balance);
    events.push({
      cardId: cardId.get(card.serial),
      type: 'redeemed',
      at: card.redeemedAt,
      actorUserId: null,
      ticketId: null,
      details: { accountId: card.redeemedTo },
    });
    ledger.push({
      account_id: card.redeemedTo,
      amount_minor: card.faceValueMinor,
      currency: card.currency,
      type: 'redemption',
      reason: null,
      card_id: cardId.get(card.serial),
      actor_user_id: agent,
      ticket_id: null,
      balance_after_minor: balance,
      created_at: card.redeemedAt,
    });
  }
  return { events, ledger, balances };
}

/**
 * The demo sign-ins the sign-in screen may offer: only in a store seeded with the demo
 * dataset, and only the demo users still active with their published demo password
 * (a user whose password was changed is a real account now, and its name is not
 * advertised). Null when there are none.
 */
export async function presentDemoUsers(db: Knex): Promise<DemoUser[] | null> {
  if ((await getSetting(db, DEMO_SETTING)) === undefined) return null;
  const rows: { username: string; password_hash: string; active: unknown }[] = await db('users')
    .whereIn('username', demoUsers.map((u) => u.username))
    .select('username', 'password_hash', 'active');
  const digests = ((await getSetting(db, DEMO_HASHES_SETTING)) ?? null) as Record<string, string> | null;
  const offered = await Promise.all(
    demoUsers.map(async (user) => {
      const row = rows.find((r) => r.username === user.username);
      if (!row || !(row.active === true || row.active === 1 || row.active === '1')) return null;
      // A store seeded before the digests were kept: check the password itself.
      const still = digests ? digests[user.username] === hashDigest(row.password_hash) : await demoPasswordStill(row.password_hash, user.password);
      return still ? user : null;
    }),
  );
  const users = offered.filter((u): u is (typeof demoUsers)[number] => u !== null);
  return users.length > 0 ? users : null;
}

/**
 * scrypt is slow on purpose: remember the verdict per stored hash (a changed password is
 * a new hash). The verification in flight is shared too, so windows (or, on a team
 * server, consoles) asking at once pay for one, not one each.
 */
const demoPasswordVerdicts = new Map<string, Promise<boolean>>();
function demoPasswordStill(hash: string, password: string): Promise<boolean> {
  const key = `${password}\u0000${hash}`;
  let verdict = demoPasswordVerdicts.get(key);
  if (verdict === undefined) {
    if (demoPasswordVerdicts.size > 64) demoPasswordVerdicts.clear();
    verdict = verifyPassword(password, hash);
    demoPasswordVerdicts.set(key, verdict);
    // A failed verification is not remembered: the next call tries again.
    verdict.catch(() => demoPasswordVerdicts.delete(key));
  }
  return verdict;
}
