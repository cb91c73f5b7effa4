/**
 * Damaged-code recovery: verification cases, the per-card recovery lock, and delivery
 * records for replacement cards.
 */
import type { Knex } from 'knex';

const tz = { useTz: true } as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cards', (t) => {
    t.timestamp('recovery_locked_at', tz).nullable();
    // Failed checks before the last unlock no longer count towards a lock.
    t.timestamp('recovery_unlocked_at', tz).nullable();
  });

  await knex.schema.createTable('recovery_cases', (t) => {
    t.string('id', 36).primary();
    t.integer('card_id').unsigned().notNullable().references('id').inTable('cards');
    t.integer('actor_user_id').unsigned().notNullable().references('id').inTable('users');
    t.string('ticket_id', 64).notNullable();
    t.string('outcome', 16).notNullable().checkIn(['verified', 'failed', 'locked']);
    // Per-field results only (match / close / mismatch), never what was typed or stored.
    t.text('checks').notNullable();
    t.timestamp('created_at', tz).notNullable();
    t.timestamp('expires_at', tz).nullable();
    t.timestamp('resolved_at', tz).nullable();
    t.string('resolution', 24).nullable().checkIn(['redeemToAccount', 'reissue']);
    t.string('resolved_account_id', 32).nullable().references('id').inTable('accounts');
    t.integer('replacement_card_id').unsigned().nullable().references('id').inTable('cards');
    t.index(['card_id', 'created_at']);
  });

  await knex.schema.createTable('card_deliveries', (t) => {
    t.increments('id').primary();
    t.integer('card_id').unsigned().notNullable().references('id').inTable('cards');
    t.string('channel', 16).notNullable().checkIn(['email', 'physical']);
    t.text('destination').notNullable();
    t.string('status', 16).notNullable().checkIn(['queued', 'sent']);
    t.string('case_id', 36).nullable().references('id').inTable('recovery_cases');
    t.timestamp('created_at', tz).notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
