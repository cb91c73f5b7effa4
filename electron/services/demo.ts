/**
 * The deterministic demo dataset: the same seed always gives the same users,
 * accounts, cards, ledgers and events. Its named fixtures (the cards and accounts
 * testers script against) are derived here too and checked in as
 * `test/fixtures/demo.json`; a test asserts that file matches this code.
 */
import type { Knex } from 'knex';
import { CLAIM_CODE_ALPHABET, claimCodeLast4 } from '../../shared/claimCode';
import { currencyOf, marketplaceCodes, type Marketplace } from '../../shared/marketplaces';
import { majorToMinor, type Currency } from '../../shared/money';
import type { Role } from '../../shared/roles';
import { foldForSearch } from '../../shared/text';
import type { CardStatus, DeliveryChannel, DemoUser } from '../../shared/types';
import { writeTransaction } from '../db/transaction';
import { toInt } from '../db/values';
import { appendAudit } from './audit';
import type { Clock } from './context';
import { hashPassword } from './passwords';
import { getSetting, putSetting } from './settings';
import type { ClaimCodeVault } from './vault';

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

/** mulberry32: small, fast and the same everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

export interface DemoCard {
  serial: string;
  claimCode: string;
  marketplace: Marketplace;
  currency: Currency;
  faceValueMinor: number;
  status: CardStatus;
  deliveryChannel: DeliveryChannel;
  orderNumber: string;
  orderedAt: Date;
  purchaserName: string;
  recipientName: string;
  deliveryEmail: string | null;
  deliveryAddress: string | null;
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

/** True when the store has neither users nor cards. */
export async function isStoreEmpty(db: Knex): Promise<boolean> {
  const [users, cards] = await Promise.all([db('users').count({ n: '*' }).first(), db('cards').count({ n: '*' }).first()]);
  return toInt(users?.n ?? 0) === 0 && toInt(cards?.n ?? 0) === 0;
}

function chunks<T>(rows: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Writes the demo dataset into an empty store in one transaction; returns false (and
 * writes nothing) when the store already has data.
 */
export async function seedDemo(
  deps: { db: Knex; clock: Clock; vault: ClaimCodeVault },
  actorName = 'system',
): Promise<boolean> {
  const data = generateDemoDataset();
  const hashes = await Promise.all(data.users.map((u) => hashPassword(u.password)));
  return writeTransaction(deps.db, async (trx) => {
    if (!(await isStoreEmpty(trx))) return false;
    const createdAt = new Date(EPOCH - 30 * DAY);
    await trx('users').insert(
      data.users.map((u, i) => ({
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        password_hash: hashes[i],
        failed_sign_ins: 0,
        active: true,
        created_at: createdAt,
      })),
    );
    const users: { id: unknown; username: string }[] = await trx('users').select('id', 'username');
    const userId = (name: string) => users.find((u) => u.username === name)!.id;

    for (const batch of chunks(data.accounts)) {
      await trx('accounts').insert(
        batch.map((a) => ({
          id: a.id,
          marketplace: a.marketplace,
          display_name: a.displayName,
          email: a.email,
          search_text: foldForSearch(`${a.displayName} ${a.email} ${a.id}`),
          balance_minor: 0,
          created_at: createdAt,
        })),
      );
    }

    for (const batch of chunks(data.cards)) {
      await trx('cards').insert(
        batch.map((c) => ({
          serial: c.serial,
          marketplace: c.marketplace,
          face_value_minor: c.faceValueMinor,
          status: c.status,
          claim_code_digest: deps.vault.digest(c.claimCode),
          claim_code_last4: claimCodeLast4(c.claimCode),
          claim_code_cipher: deps.vault.encrypt(c.claimCode),
          delivery_channel: c.deliveryChannel,
          order_number: c.orderNumber,
          ordered_at: c.orderedAt,
          purchaser_name: c.purchaserName,
          recipient_name: c.recipientName,
          delivery_email: c.deliveryEmail,
          delivery_address: c.deliveryAddress,
          redeemed_at: c.redeemedAt,
          redeemed_account_id: c.redeemedTo,
          voided_at: c.voidedAt,
          created_at: c.orderedAt,
        })),
      );
    }
    const idRows: { id: unknown; serial: string }[] = await trx('cards').select('id', 'serial');
    const cardId = new Map(idRows.map((r) => [r.serial, toInt(r.id)]));

    // Replacement links, both ways.
    for (const card of data.cards) {
      if (card.replaces === null) continue;
      const original = data.cards[card.replaces]!;
      await trx('cards').where({ serial: card.serial }).update({ replaces_card_id: cardId.get(original.serial) });
      await trx('cards').where({ serial: original.serial }).update({ replaced_by_card_id: cardId.get(card.serial) });
    }

    const events: Record<string, unknown>[] = [];
    const ledger: Record<string, unknown>[] = [];
    const balances = new Map<string, number>();
    const agent = userId('ava');
    const chronological = [...data.cards].sort(
      (a, b) => (a.redeemedAt?.getTime() ?? 0) - (b.redeemedAt?.getTime() ?? 0) || a.serial.localeCompare(b.serial),
    );
    for (const card of data.cards) {
      const id = cardId.get(card.serial)!;
      const original = card.replaces === null ? null : data.cards[card.replaces]!;
      events.push({
        card_id: id,
        type: original ? 'replacement' : 'issued',
        at: card.orderedAt,
        actor_user_id: null,
        ticket_id: null,
        details: JSON.stringify(original ? { originalSerial: original.serial } : { channel: card.deliveryChannel }),
      });
      events.push({
        card_id: id,
        type: 'delivered',
        at: new Date(card.orderedAt.getTime() + (card.deliveryChannel === 'email' ? 60_000 : 3 * DAY)),
        actor_user_id: null,
        ticket_id: null,
        details: JSON.stringify({ channel: card.deliveryChannel }),
      });
      if (card.voidedAt) {
        const replacement = data.cards.find((c) => c.replaces !== null && data.cards[c.replaces] === card);
        events.push({
          card_id: id,
          type: 'voided',
          at: card.voidedAt,
          actor_user_id: userId('sam'),
          ticket_id: `T-${card.serial.slice(-6)}`,
          details: JSON.stringify({ reason: card.voidReason }),
        });
        if (replacement) {
          events.push({
            card_id: id,
            type: 'replaced',
            at: card.voidedAt,
            actor_user_id: userId('sam'),
            ticket_id: `T-${card.serial.slice(-6)}`,
            details: JSON.stringify({ replacementSerial: replacement.serial }),
          });
        }
      }
    }
    for (const card of chronological) {
      if (!card.redeemedAt || !card.redeemedTo) continue;
      const balance = (balances.get(card.redeemedTo) ?? 0) + card.faceValueMinor;
      balances.set(card.redeemedTo, balance);
      events.push({
        card_id: cardId.get(card.serial),
        type: 'redeemed',
        at: card.redeemedAt,
        actor_user_id: null,
        ticket_id: null,
        details: JSON.stringify({ accountId: card.redeemedTo }),
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
    for (const batch of chunks(events)) await trx('card_events').insert(batch);
    for (const batch of chunks(ledger)) await trx('ledger_entries').insert(batch);
    for (const [accountId, balance] of balances) {
      await trx('accounts').where({ id: accountId }).update({ balance_minor: balance });
    }
    await putSetting(trx, DEMO_SETTING, deps.clock.now().toISOString(), deps.clock.now());
    await appendAudit(trx, deps.clock, {
      actor: actorName,
      action: 'demo.seeded',
      details: { users: data.users.length, accounts: data.accounts.length, cards: data.cards.length },
    });
    return true;
  });
}

/** The demo sign-ins still present in the store, or null when it holds no demo data. */
export async function presentDemoUsers(db: Knex): Promise<DemoUser[] | null> {
  if ((await getSetting(db, DEMO_SETTING)) === undefined) return null;
  const present = new Set(
    (await db('users').whereIn('username', demoUsers.map((u) => u.username)).select('username')).map(
      (r: { username: string }) => r.username,
    ),
  );
  const users = demoUsers.filter((u) => present.has(u.username));
  return users.length > 0 ? users : null;
}
