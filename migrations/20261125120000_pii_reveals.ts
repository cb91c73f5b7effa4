/**
 * Revealing personal data (issue 14). `users.can_reveal_pii` is an admin's choice for
 * one user: null = the role's default (supervisors may, agents may not), true =
 * granted, false = withdrawn. `pii_reveals` counts each user's reveals for the daily
 * cap (one row per reveal, never the value; the audit log has the reason and ticket),
 * read by user and time inside the write transaction that adds the next one.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  const tz = { useTz: true };
  await knex.schema.alterTable('users', (t) => {
    t.boolean('can_reveal_pii').nullable();
  });
  await knex.schema.createTable('pii_reveals', (t) => {
    t.increments('id').primary();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.timestamp('at', tz).notNullable();
    t.index(['user_id', 'at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
