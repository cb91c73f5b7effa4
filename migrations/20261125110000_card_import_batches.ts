/**
 * Card batch imports (issue 13): one row per `cards import` run, whatever its outcome.
 * A successful batch's row is written in the same transaction as its cards; a refused,
 * cancelled or failed batch's row afterwards, on its own, so it is on record although
 * nothing of the batch was kept. A process killed mid-import leaves no row (and no card).
 */
import type { Knex } from 'knex';

const tz = { useTz: true } as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('card_import_batches', (t) => {
    t.increments('id').primary();
    // Who ran it: a console user's username, or `cli:<login>`.
    t.string('actor', 80).notNullable();
    t.string('file_name', 260).notNullable();
    // SHA-256 (hex) of the file's bytes; null when the run stopped before the end of the file.
    t.string('checksum', 64).nullable();
    t.integer('rows_read').notNullable();
    t.integer('rows_imported').notNullable();
    // Rows identical to a card already in the store (a re-import): nothing to do.
    t.integer('rows_skipped').notNullable();
    t.integer('rows_rejected').notNullable();
    t.string('outcome', 16).notNullable().checkIn(['imported', 'refused', 'cancelled', 'failed']);
    t.timestamp('started_at', tz).notNullable();
    t.timestamp('finished_at', tz).notNullable();
    t.index(['checksum']);
  });
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
