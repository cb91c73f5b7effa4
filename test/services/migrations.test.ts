import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test as plainTest } from 'vitest';
import { createKnex, migrateToLatest, openStore, SchemaTooNewError } from '../../electron/db/store';
import { migrationSource, shippedMigrationNames } from '../../migrations';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/postgres';
import { engines, forEachEngine, pgAdminUrl, storeTest as test } from '../support/store';

forEachEngine((engine) => {
  test('migrations run up on an empty store and create the schema', async ({ store }) => {
    const applied = (await store.db('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);
    expect(applied).toEqual([...shippedMigrationNames]);
    for (const table of ['users', 'marketplaces', 'cards', 'accounts', 'ledger_entries', 'card_events', 'settings', 'audit_log', 'audit_head']) {
      expect(await store.db.schema.hasTable(table), table).toBe(true);
    }
    const markets = await store.db('marketplaces').orderBy('code').select('code', 'currency');
    expect(markets).toEqual([
      { code: 'CA', currency: 'CAD' },
      { code: 'DE', currency: 'EUR' },
      { code: 'IN', currency: 'INR' },
      { code: 'JP', currency: 'JPY' },
      { code: 'UK', currency: 'GBP' },
      { code: 'US', currency: 'USD' },
    ]);
  });

  test('migrating again is a no-op', async ({ store }) => {
    await migrateToLatest(store.db);
    expect(await store.db('knex_migrations').count({ n: '*' }).first()).toMatchObject({ n: shippedMigrationNames.length });
  });

  test('a store migrated by a newer version is refused with a clear message', async ({ store }) => {
    await store.db('knex_migrations').insert({ name: '29991231000000_from_the_future', batch: 99, migration_time: new Date() });
    const { db } = createKnex({ dataDir: store.dataDir, databaseUrl: store.config.databaseUrl });
    try {
      const error = await migrateToLatest(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SchemaTooNewError);
      expect((error as Error).message).toMatch(/newer version of Giftdesk.*29991231000000_from_the_future/);
    } finally {
      await db.destroy();
    }
  });

  if (engine === 'sqlite') test('SQLite connections run with WAL and foreign keys on', async ({ store }) => {
    const [journal] = await store.db.raw('PRAGMA journal_mode');
    const [fk] = await store.db.raw('PRAGMA foreign_keys');
    expect(journal).toEqual({ journal_mode: 'wal' });
    expect(fk).toEqual({ foreign_keys: 1 });
  });

  test('money columns hold amounts beyond 32 bits exactly', async ({ store }) => {
    await store.db('accounts').insert({
      id: 'ACC-BIG',
      marketplace: 'US',
      display_name: 'Big',
      email: 'big@example.com',
      search_text: 'big',
      balance_minor: 9_007_199_254_740_991,
      created_at: store.clock.now(),
    });
    const row = await store.db('accounts').where({ id: 'ACC-BIG' }).first('balance_minor');
    // Numbers, not strings, on both engines (PostgreSQL's BIGINT is parsed once in the store layer).
    expect(row.balance_minor).toBe(9_007_199_254_740_991);
    expect(await store.db('accounts').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  test('foreign keys are enforced', async ({ store }) => {
    await expect(
      store.db('ledger_entries').insert({
        account_id: 'NO-SUCH-ACCOUNT',
        amount_minor: 1,
        currency: 'USD',
        type: 'redemption',
        balance_after_minor: 1,
        created_at: store.clock.now(),
      }),
    ).rejects.toThrow(/foreign key/i);
  });
});

// Only where this run has a PostgreSQL server (GIFTDESK_TEST_ENGINES).
if (engines.includes('postgres')) {
  describe('postgres: first start', () => {
    plainTest('migrations run up on an empty database', async () => {
      const name = uniqueDatabaseName('m');
      const url = await createDatabase(pgAdminUrl(), name);
      try {
        const store = await openStore({ dataDir: '/nonexistent', databaseUrl: url });
        const applied = (await store.db('knex_migrations').select('name')).map((r: { name: string }) => r.name);
        expect(applied).toEqual([...shippedMigrationNames]);
        await store.close();
      } finally {
        await dropDatabase(pgAdminUrl(), name);
      }
    });

    plainTest('consoles starting at once on an empty database: one migrates, the others wait and find it current', async () => {
      const name = uniqueDatabaseName('m');
      const url = await createDatabase(pgAdminUrl(), name);
      try {
        const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ dataDir: '/nonexistent', databaseUrl: url })));
        const applied = await stores[0]!.db('knex_migrations').count({ n: '*' }).first();
        expect(applied).toEqual({ n: shippedMigrationNames.length });
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await dropDatabase(pgAdminUrl(), name);
      }
    });
  });
}

describe('20261124170000_account_search', () => {
  for (const engine of engines) {
    plainTest(`${engine}: fills name_words for accounts that existed before it`, async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-mig-'));
      const database = engine === 'postgres' ? uniqueDatabaseName('m') : null;
      const url = database ? await createDatabase(pgAdminUrl(), database) : null;
      const { db } = createKnex({ dataDir, databaseUrl: url });
      try {
        const before = shippedMigrationNames.slice(0, shippedMigrationNames.indexOf('20261124170000_account_search'));
        await db.migrate.latest({ migrationSource: { ...migrationSource, getMigrations: async () => [...before] } });
        await db('accounts').insert({
          id: 'ACC-DE-1',
          marketplace: 'DE',
          display_name: 'Jürgen Müller-Lüdenscheidt',
          email: 'j.mueller@example.de',
          search_text: 'x',
          balance_minor: 0,
          created_at: new Date(),
        });
        await migrateToLatest(db);
        expect(await db('accounts').where({ id: 'ACC-DE-1' }).first('name_words')).toEqual({ name_words: ' jurgen muller ludenscheidt ' });
      } finally {
        await db.destroy();
        if (database) await dropDatabase(pgAdminUrl(), database);
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});

/** A row with every column but the marketplace as a number (BIGINT reads back as a string on PostgreSQL). */
function numbers(row: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'marketplace' ? v : Number(v)]));
}

describe('20261125130000_dashboard', () => {
  for (const engine of engines) {
    plainTest(`${engine}: seeds the liability totals from the cards and balances a store already holds`, async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-mig-'));
      const database = engine === 'postgres' ? uniqueDatabaseName('m') : null;
      const url = database ? await createDatabase(pgAdminUrl(), database) : null;
      const { db } = createKnex({ dataDir, databaseUrl: url });
      try {
        const before = shippedMigrationNames.slice(0, shippedMigrationNames.indexOf('20261125130000_dashboard'));
        await db.migrate.latest({ migrationSource: { ...migrationSource, getMigrations: async () => [...before] } });
        const now = new Date();
        await db('accounts').insert([
          { id: 'ACC-US-1', marketplace: 'US', display_name: 'A', email: 'a@example.com', search_text: 'a', balance_minor: 2_500, created_at: now },
          { id: 'ACC-US-2', marketplace: 'US', display_name: 'B', email: 'b@example.com', search_text: 'b', balance_minor: 0, created_at: now },
          { id: 'ACC-CA-1', marketplace: 'CA', display_name: 'C', email: 'c@example.com', search_text: 'c', balance_minor: 700, created_at: now },
        ]);
        const card = (n: number, status: string, face: number) => ({
          serial: `600000000000000000${n}`,
          marketplace: 'US',
          face_value_minor: face,
          status,
          claim_code_digest: `digest-${n}`,
          claim_code_last4: 'ABCD',
          claim_code_cipher: 'x',
          delivery_channel: 'email',
          order_number: `O-${n}`,
          ordered_at: now,
          purchaser_name: 'P',
          recipient_name: 'R',
          delivery_email: 'r@example.com',
          created_at: now,
        });
        await db('cards').insert([card(1, 'active', 5_000), card(2, 'active', 2_000), card(3, 'redeemed', 9_000), card(4, 'void', 4_000)]);
        await migrateToLatest(db);
        const totals = await db('liability_totals').whereIn('marketplace', ['US', 'CA']).orderBy('marketplace');
        expect(totals.map(numbers)).toEqual([
          { marketplace: 'CA', active_cards: 0, active_minor: 0, accounts_with_balance: 1, balances_minor: 700 },
          { marketplace: 'US', active_cards: 2, active_minor: 7_000, accounts_with_balance: 1, balances_minor: 2_500 },
        ]);
      } finally {
        await db.destroy();
        if (database) await dropDatabase(pgAdminUrl(), database);
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});
