/**
 * Audit search (issue 14): every filter of `audit:list` and `audit:export` is answered
 * from an index, newest first by seq, with the cursor (`seq < beforeSeq`) inside the same
 * index range. Each index leads with the filtered column and ends with seq, so an
 * equality filter reads its entries already in the page's order.
 *  - actor, subject_id, ticket_id: (column, seq).
 *  - at (the time range): (at, seq).
 *  - the action prefix: the initial (action, seq) index serves SQLite's GLOB (binary
 *    collation). PostgreSQL can use a plain b-tree for `LIKE 'card.%'` only when the
 *    database's collation is C; a team's server may run in any locale, so PostgreSQL gets
 *    a second (action varchar_pattern_ops, seq) index, which answers a LIKE prefix in
 *    every locale.
 */
import type { Knex } from 'knex';
import { storeKind } from '../electron/db/dialect';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.index(['actor', 'seq'], 'audit_log_actor_seq_index');
    t.index(['subject_id', 'seq'], 'audit_log_subject_id_seq_index');
    t.index(['ticket_id', 'seq'], 'audit_log_ticket_id_seq_index');
    t.index(['at', 'seq'], 'audit_log_at_seq_index');
  });
  if (storeKind(knex) === 'postgres') {
    await knex.raw('CREATE INDEX audit_log_action_pattern_seq_index ON audit_log (action varchar_pattern_ops, seq)');
  }
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
