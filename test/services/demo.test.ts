import { expect } from 'vitest';
import { demoFixtures, generateDemoDataset, seedDemo } from '../../electron/services/demo';
import { verifyAuditChain } from '../../electron/services/audit';
import { marketplaceCodes } from '../../shared/marketplaces';
import { forEachEngine, storeTest as test } from '../support/store';

test('the dataset is deterministic and covers every marketplace and state', () => {
  const a = generateDemoDataset();
  const b = generateDemoDataset();
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  expect(a.cards.length).toBeGreaterThanOrEqual(300);
  for (const mk of marketplaceCodes) {
    for (const status of ['active', 'redeemed', 'void'] as const) {
      expect(a.cards.some((c) => c.marketplace === mk && c.status === status), `${mk} ${status}`).toBe(true);
    }
  }
  expect(new Set(a.cards.map((c) => c.serial)).size).toBe(a.cards.length);
  expect(new Set(a.cards.map((c) => c.claimCode)).size).toBe(a.cards.length);
  expect(a.cards.every((c) => /^17\d{17}$/.test(c.serial) && /^[A-Z0-9]{14,15}$/.test(c.claimCode))).toBe(true);
});

test('test/fixtures/demo.json is generated from this code (npm run demo:fixtures rewrites it)', async () => {
  await expect(JSON.stringify(demoFixtures(), null, 2) + '\n').toMatchFileSnapshot('../fixtures/demo.json');
});

test('fixtures name what they say', () => {
  const f = demoFixtures();
  expect(f.cards.activeUS).toMatchObject({ marketplace: 'US', currency: 'USD', status: 'active' });
  expect(f.cards.activeJP).toMatchObject({ marketplace: 'JP', currency: 'JPY', status: 'active' });
  expect(f.cards.redeemedUS).toMatchObject({ marketplace: 'US', status: 'redeemed' });
  expect(f.cards.voidUK).toMatchObject({ marketplace: 'UK', currency: 'GBP', status: 'void' });
  expect(f.cards.damagedEmailUS).toMatchObject({ marketplace: 'US', status: 'active', deliveryChannel: 'email' });
  expect(f.cards.damagedEmailUS.deliveryAddress).toMatch(/@/);
  expect(f.cards.damagedPhysicalCA).toMatchObject({ marketplace: 'CA', currency: 'CAD', status: 'active', deliveryChannel: 'physical' });
  for (const damaged of [f.cards.damagedEmailUS, f.cards.damagedPhysicalCA]) {
    expect(damaged.claimCodeFragment).toHaveLength(damaged.claimCode.length);
    expect(damaged.claimCodeFragment).toContain('?');
    [...damaged.claimCodeFragment].forEach((c, i) => c !== '?' && expect(c).toBe(damaged.claimCode[i]));
  }
  expect(f.accounts.usCustomer.marketplace).toBe('US');
  expect(f.accounts.caCustomer.marketplace).toBe('CA');
  expect(f.typoOfActiveUS.typed).not.toBe(f.typoOfActiveUS.suggests);
  expect(Object.keys(f.users)).toEqual(['ava', 'sam', 'sky', 'ada']);
});

forEachEngine(() => {
  test('the seeded store matches the fixtures', async ({ demoStore }) => {
    const f = demoFixtures();
    for (const card of Object.values(f.cards)) {
      const row = await demoStore.db('cards').where({ serial: card.serial }).first();
      expect(row, card.serial).toBeDefined();
      expect(row).toMatchObject({ marketplace: card.marketplace, status: card.status, claim_code_last4: card.claimCode.slice(-4) });
      expect(Number(row.face_value_minor)).toBe(card.faceValueMinor);
      expect(row.claim_code_digest).toBe(demoStore.vault.digest(card.claimCode));
      expect(demoStore.vault.decrypt(row.claim_code_cipher, card.serial)).toBe(card.claimCode);
      expect(row.claim_code_cipher).not.toContain(card.claimCode);
    }
    const redeemed = await demoStore.db('cards').where({ serial: f.cards.redeemedUS.serial }).first();
    expect(redeemed.redeemed_account_id).toBe(f.cards.redeemedUS.redeemedTo);
    for (const damaged of [f.cards.damagedEmailUS, f.cards.damagedPhysicalCA]) {
      const row = await demoStore.db('cards').where({ serial: damaged.serial }).first();
      expect(row).toMatchObject({ order_number: damaged.orderNumber, purchaser_name: damaged.purchaserName, recipient_name: damaged.recipientName });
      expect(row.delivery_email ?? row.delivery_address).toBe(damaged.deliveryAddress);
    }
    for (const account of Object.values(f.accounts)) {
      expect(await demoStore.db('accounts').where({ id: account.id }).first()).toMatchObject({
        display_name: account.displayName,
        email: account.email,
        marketplace: account.marketplace,
      });
    }
    expect(await demoStore.db('cards').where({ serial: f.typoOfActiveUS.typed }).first()).toBeUndefined();
    const users = await demoStore.db('users').orderBy('id').select('username', 'role');
    expect(users).toEqual(Object.values(f.users).map((u) => ({ username: u.username, role: u.role })));
  });

  test('every account balance equals the sum of its ledger, and ledgers run in order', async ({ demoStore }) => {
    const accounts = await demoStore.db('accounts').select('id', 'balance_minor');
    let withLedger = 0;
    for (const account of accounts) {
      const entries = await demoStore.db('ledger_entries').where({ account_id: account.id }).orderBy('id');
      let running = 0;
      for (const entry of entries) {
        running += Number(entry.amount_minor);
        expect(Number(entry.balance_after_minor)).toBe(running);
      }
      expect(Number(account.balance_minor)).toBe(running);
      if (entries.length > 0) withLedger++;
    }
    expect(withLedger).toBeGreaterThan(20);
  });

  test('seeding only fills an empty store, and is audited', async ({ demoStore }) => {
    const cards = await demoStore.db('cards').count({ n: '*' }).first();
    // On PostgreSQL the demo store is a test's team store: the explicit opt-in, or seeding refuses outright.
    expect(await seedDemo(demoStore, undefined, { teamStoreForTests: demoStore.kind === 'postgres' })).toBe(false);
    expect(await demoStore.db('cards').count({ n: '*' }).first()).toEqual(cards);
    expect(await demoStore.db('audit_log').where({ action: 'demo.seeded' }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    expect(await verifyAuditChain(demoStore.db)).toMatchObject({ intact: true });
  });
});
