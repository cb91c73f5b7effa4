/**
 * Users managed from the console (issue 13): an admin's password reset leaves the user
 * a one-time temporary password that must be replaced at the next sign-in. Until then
 * the wrapper lets that user's sessions do nothing but change the password (or sign
 * out). Existing users keep their passwords (default false).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.boolean('must_change_password').notNullable().defaultTo(false);
  });
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
