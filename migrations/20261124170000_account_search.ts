/**
 * Account search without an oracle on masked data (issue 11): names are matched by
 * whole words from their own column (the e-mail is matched only exactly), and every
 * user's searches are counted so they can be rate-limited.
 */
import type { Knex } from 'knex';
import { nameWords } from '../electron/db/search';

const tz = { useTz: true } as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    // " jurgen muller ": the folded name's words between spaces, for whole-word LIKE.
    t.string('name_words', 256).notNullable().defaultTo('');
  });
  const accounts: { id: string; display_name: string }[] = await knex('accounts').select('id', 'display_name');
  for (const account of accounts) {
    await knex('accounts').where({ id: account.id }).update({ name_words: nameWords(account.display_name) });
  }
  await knex.schema.createTable('account_searches', (t) => {
    t.increments('id').primary();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.timestamp('at', tz).notNullable();
    t.index(['user_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('account_searches');
  await knex.schema.alterTable('accounts', (t) => t.dropColumn('name_words'));
}
