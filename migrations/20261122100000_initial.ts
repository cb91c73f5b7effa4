/**
 * The initial schema: users, marketplaces, accounts, cards, ledger entries, card
 * events, settings and the hash-chained audit log. Portable SQL only (it runs on
 * SQLite and PostgreSQL); money in BIGINT columns of minor units; timestamps with
 * time zone.
 */
import type { Knex } from 'knex';
import { storeKind } from '../electron/db/dialect';
import { marketplaceCodes, marketplaces } from '../shared/marketplaces';

export const GENESIS_HASH = '0'.repeat(64);

const tz = { useTz: true } as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('marketplaces', (t) => {
    t.string('code', 2).primary();
    t.string('currency', 3).notNullable();
    t.string('name', 64).notNullable();
    t.string('locale', 16).notNullable();
  });
  await knex('marketplaces').insert(
    marketplaceCodes.map((code) => ({
      code,
      currency: marketplaces[code].currency,
      name: marketplaces[code].name,
      locale: marketplaces[code].locale,
    })),
  );

  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('username', 64).notNullable().unique();
    t.string('display_name', 128).notNullable();
    t.string('role', 16).notNullable().checkIn(['agent', 'supervisor', 'admin']);
    t.string('password_hash', 256).notNullable();
    t.integer('failed_sign_ins').notNullable().defaultTo(0);
    t.timestamp('locked_until', tz).nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('last_sign_in_at', tz).nullable();
    t.timestamp('created_at', tz).notNullable();
  });

  await knex.schema.createTable('accounts', (t) => {
    t.string('id', 32).primary();
    t.string('marketplace', 2).notNullable().references('code').inTable('marketplaces');
    t.string('display_name', 128).notNullable();
    t.string('email', 254).notNullable();
    // Lower-cased, accent-free name + e-mail + id, written by the store so that
    // search is case- and accent-insensitive on both engines.
    t.string('search_text', 512).notNullable();
    t.bigInteger('balance_minor').notNullable().defaultTo(0);
    t.timestamp('created_at', tz).notNullable();
    t.index(['email']);
  });

  await knex.schema.createTable('cards', (t) => {
    t.increments('id').primary();
    t.string('serial', 19).notNullable().unique();
    t.string('marketplace', 2).notNullable().references('code').inTable('marketplaces');
    t.bigInteger('face_value_minor').notNullable();
    t.string('status', 16).notNullable().checkIn(['active', 'redeemed', 'void']);
    // The claim code at rest: keyed HMAC-SHA-256 digest (redemption look-up), the
    // last 4 characters (display) and AES-256-GCM ciphertext (recovery checks only).
    t.string('claim_code_digest', 64).notNullable().unique();
    t.string('claim_code_last4', 4).notNullable();
    t.text('claim_code_cipher').notNullable();
    t.string('delivery_channel', 16).notNullable().checkIn(['email', 'physical']);
    t.string('order_number', 32).notNullable();
    t.timestamp('ordered_at', tz).notNullable();
    t.string('purchaser_name', 200).notNullable();
    t.string('recipient_name', 200).notNullable();
    t.string('delivery_email', 254).nullable();
    t.text('delivery_address').nullable();
    t.timestamp('redeemed_at', tz).nullable();
    t.string('redeemed_account_id', 32).nullable().references('id').inTable('accounts');
    t.timestamp('voided_at', tz).nullable();
    t.integer('replaces_card_id').unsigned().nullable().references('id').inTable('cards');
    t.integer('replaced_by_card_id').unsigned().nullable().references('id').inTable('cards');
    t.timestamp('created_at', tz).notNullable();
    t.index(['order_number']);
  });

  await knex.schema.createTable('ledger_entries', (t) => {
    t.increments('id').primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts');
    t.bigInteger('amount_minor').notNullable();
    t.string('currency', 3).notNullable();
    t.string('type', 32).notNullable();
    t.string('reason', 64).nullable();
    t.integer('card_id').unsigned().nullable().references('id').inTable('cards');
    t.integer('actor_user_id').unsigned().nullable().references('id').inTable('users');
    t.string('ticket_id', 64).nullable();
    t.bigInteger('balance_after_minor').notNullable();
    t.timestamp('created_at', tz).notNullable();
    t.index(['account_id', 'id']);
  });

  await knex.schema.createTable('card_events', (t) => {
    t.increments('id').primary();
    t.integer('card_id').unsigned().notNullable().references('id').inTable('cards');
    t.string('type', 48).notNullable();
    t.timestamp('at', tz).notNullable();
    t.integer('actor_user_id').unsigned().nullable().references('id').inTable('users');
    t.string('ticket_id', 64).nullable();
    t.text('details').notNullable();
    t.index(['card_id', 'at']);
  });

  await knex.schema.createTable('settings', (t) => {
    t.string('key', 128).primary();
    t.text('value').notNullable();
    t.timestamp('updated_at', tz).notNullable();
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigInteger('seq').primary();
    t.timestamp('at', tz).notNullable();
    t.string('actor', 64).nullable();
    t.string('action', 64).notNullable();
    t.string('subject_type', 32).nullable();
    t.string('subject_id', 64).nullable();
    t.string('ticket_id', 64).nullable();
    t.text('details').notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['action', 'seq']);
  });

  // One row: the chain's head. Every write transaction locks it first, which
  // serialises writers on both engines and keeps the chain a single line.
  await knex.schema.createTable('audit_head', (t) => {
    t.integer('id').primary();
    t.bigInteger('seq').notNullable();
    t.string('hash', 64).notNullable();
  });
  await knex('audit_head').insert({ id: 1, seq: 0, hash: GENESIS_HASH });

  if (storeKind(knex) === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await knex.raw(
        `CREATE TRIGGER audit_log_no_${op.toLowerCase()} BEFORE ${op} ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
      );
    }
  } else {
    await knex.raw(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END
      $$`);
    await knex.raw(`CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await knex.raw(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
