/**
 * Redemption: idempotency records for money-moving calls, and failed redemption
 * attempts per account (the brute-force rate limit counts them).
 */
import type { Knex } from 'knex';

const tz = { useTz: true } as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.string('key', 100).primary();
    t.string('operation', 48).notNullable();
    t.integer('actor_user_id').unsigned().notNullable().references('id').inTable('users');
    // SHA-256 of the operation, the actor and the canonical request.
    t.string('request_hash', 64).notNullable();
    t.text('response').notNullable();
    t.timestamp('created_at', tz).notNullable();
  });

  await knex.schema.createTable('redemption_failures', (t) => {
    t.increments('id').primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts');
    t.integer('actor_user_id').unsigned().notNullable().references('id').inTable('users');
    t.string('reason', 48).notNullable();
    t.timestamp('at', tz).notNullable();
    t.index(['account_id', 'at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
