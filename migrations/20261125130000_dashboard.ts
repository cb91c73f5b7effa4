/**
 * Indexes for the supervisor dashboard (electron/services/dashboard.ts), so each chart
 * is one indexed statement on a store of millions of cards and audit entries:
 *  - audit_log (action, at): the recovery, refusal and reveal counts read one action's
 *    entries in the period, not the whole log (the audit search's own indexes on actor,
 *    subject, ticket and time come with 20261125121000);
 *  - cards (status, marketplace, face_value_minor): the liability sums active cards per
 *    marketplace from the index alone (a covering index: the table is never read);
 *  - accounts (marketplace, balance_minor): the same for customer balances;
 *  - credit_requests (status, decided_at) and (status, expires_at): decided requests in
 *    the period, and the pending queue.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.index(['action', 'at'], 'audit_log_action_at_index');
  });
  await knex.schema.alterTable('cards', (t) => {
    t.index(['status', 'marketplace', 'face_value_minor'], 'cards_liability_index');
  });
  await knex.schema.alterTable('accounts', (t) => {
    t.index(['marketplace', 'balance_minor'], 'accounts_liability_index');
  });
  await knex.schema.alterTable('credit_requests', (t) => {
    t.index(['status', 'decided_at'], 'credit_requests_status_decided_at_index');
    t.index(['status', 'expires_at'], 'credit_requests_status_expires_at_index');
  });
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
