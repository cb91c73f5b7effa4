import { expect } from 'vitest';
import { lookupCard } from '../../electron/services/cards';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import { AppError } from '../../shared/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const fixtures = demoFixtures();
const ava = { id: 1, username: 'ava', role: 'agent' as const };

async function lookupError(store: TestStore, serial: string): Promise<AppError> {
  const error = await lookupCard(store, ava, { serial }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

forEachEngine(() => {
  test('finds an active card and shows only masked personal data and the last 4 of the code', async ({ demoStore }) => {
    const card = fixtures.cards.activeUS;
    const record = generateDemoDataset().cards.find((c) => c.serial === card.serial)!;
    const details = await lookupCard(demoStore, ava, { serial: card.serial.replace(/(\d{4})/g, '$1 ') });
    expect(details).toMatchObject({
      serial: card.serial,
      status: 'active',
      marketplace: 'US',
      currency: 'USD',
      faceValueMinor: card.faceValueMinor,
      remainingValueMinor: card.faceValueMinor,
      claimCodeLast4: card.claimCode.slice(-4),
      deliveryChannel: 'email',
      redemption: null,
    });
    const text = JSON.stringify(details);
    expect(text).not.toContain(card.claimCode);
    expect(text).not.toContain(record.purchaserName);
    expect(text).not.toContain(record.recipientName);
    expect(text).not.toContain(record.deliveryEmail!);
    expect(text).not.toContain(record.orderNumber);
    expect(details.purchaserName).toMatch(/^\S•+ \S•+$/u);
    expect(details.events.map((e) => e.type)).toEqual(['issued', 'delivered']);
  });

  test('a redeemed card says when and to which account; remaining value is zero', async ({ demoStore }) => {
    const card = fixtures.cards.redeemedUS;
    const details = await lookupCard(demoStore, ava, { serial: card.serial });
    expect(details.status).toBe('redeemed');
    expect(details.remainingValueMinor).toBe(0);
    expect(details.redemption).toMatchObject({ accountId: card.redeemedTo });
    expect(details.events.map((e) => e.type)).toContain('redeemed');
  });

  test('a void card has no remaining value', async ({ demoStore }) => {
    const details = await lookupCard(demoStore, ava, { serial: fixtures.cards.voidUK.serial });
    expect(details).toMatchObject({ status: 'void', remainingValueMinor: 0, currency: 'GBP' });
    expect(details.events.some((e) => e.type === 'voided')).toBe(true);
  });

  test('replacement links are shown both ways', async ({ demoStore }) => {
    const replacement = generateDemoDataset().cards.find((c) => c.replaces !== null)!;
    const original = generateDemoDataset().cards[replacement.replaces!]!;
    const newer = await lookupCard(demoStore, ava, { serial: replacement.serial });
    const older = await lookupCard(demoStore, ava, { serial: original.serial });
    expect(newer.replacesSerial).toBe(original.serial);
    expect(older.replacedBySerial).toBe(replacement.serial);
  });

  test('not found: suggestions one typo away, and the lookup is audited', async ({ demoStore }) => {
    const error = await lookupError(demoStore, fixtures.typoOfActiveUS.typed);
    expect(error.code).toBe('CARD_NOT_FOUND');
    expect(error.details).toEqual({ suggestions: [fixtures.typoOfActiveUS.suggests] });
    const swapped = fixtures.cards.activeUS.serial.slice(0, 17) + fixtures.cards.activeUS.serial.slice(17).split('').reverse().join('');
    if (swapped !== fixtures.cards.activeUS.serial) {
      expect((await lookupError(demoStore, swapped)).details).toEqual({ suggestions: [fixtures.cards.activeUS.serial] });
    }
    const audit = await demoStore.db('audit_log').where({ action: 'card.lookup' }).orderBy('seq').first();
    expect(audit).toMatchObject({ actor: 'ava', subject_id: fixtures.typoOfActiveUS.typed });
    expect(JSON.parse(audit.details)).toEqual({ found: false, suggestions: 1 });
  });

  test('suggestions are capped at 5 and sorted', async ({ store }) => {
    const base = '1700000000000000000';
    const neighbours = ['1700000000000000001', '1700000000000000002', '1700000000000000003', '1700000000000000004', '1700000000000000005', '1700000000000000006', '1700000000000000010'];
    await store.db('cards').insert(
      neighbours.map((serial, i) => ({
        serial,
        marketplace: 'US',
        face_value_minor: 1000,
        status: 'active',
        claim_code_digest: `d${i}`,
        claim_code_last4: 'ABCD',
        claim_code_cipher: 'x',
        delivery_channel: 'email',
        order_number: `o${i}`,
        ordered_at: store.clock.now(),
        purchaser_name: 'P',
        recipient_name: 'R',
        delivery_email: 'r@example.com',
        created_at: store.clock.now(),
      })),
    );
    const error = await lookupError(store, base);
    expect(error.details).toEqual({ suggestions: neighbours.slice(0, 5) });
  });

  test('a malformed serial is refused before any query runs', async ({ demoStore }) => {
    const queries: string[] = [];
    const listen = (q: { sql: string }) => queries.push(q.sql);
    demoStore.db.on('query', listen);
    try {
      const error = await lookupError(demoStore, '1800 1234 5678 9012 345');
      expect(error.toBody()).toEqual({ code: 'SERIAL_INVALID', message: 'A serial number starts with 17.', details: { problem: 'prefix' } });
      expect((await lookupError(demoStore, '17OO')).details).toEqual({ problem: 'characters' });
    } finally {
      demoStore.db.off('query', listen);
    }
    expect(queries).toEqual([]);
  });

  test('every lookup appends an audit entry', async ({ demoStore }) => {
    const before = Number((await demoStore.db('audit_log').count({ n: '*' }).first())!.n);
    await lookupCard(demoStore, ava, { serial: fixtures.cards.activeJP.serial });
    const after = await demoStore.db('audit_log').orderBy('seq', 'desc').first();
    expect(Number(after.seq)).toBe(before + 1);
    expect(after).toMatchObject({ action: 'card.lookup', actor: 'ava', subject_type: 'card', subject_id: fixtures.cards.activeJP.serial });
  });
});
