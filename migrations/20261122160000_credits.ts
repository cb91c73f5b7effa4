/**
 * Manual credits (maker-checker): requests, their approvals, and per-supervisor
 * approval limits per currency.
 */
import type { Knex } from 'knex';

const tz = { useTz: true } as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('credit_requests', (t) => {
    t.increments('id').primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts');
    t.bigInteger('amount_minor').notNullable();
    t.string('currency', 3).notNullable();
    t.string('reason', 24).notNullable().checkIn(['DAMAGED_CODE', 'CODE_NOT_WORKING', 'GOODWILL', 'SERVICE_RECOVERY', 'OTHER']);
    t.text('note').nullable();
    t.string('ticket_id', 64).notNullable();
    t.integer('card_id').unsigned().nullable().references('id').inTable('cards');
    t.integer('requester_user_id').unsigned().notNullable().references('id').inTable('users');
    t.string('status', 16).notNullable().checkIn(['pending', 'approved', 'rejected', 'cancelled', 'expired']);
    t.integer('required_approvals').notNullable();
    t.timestamp('created_at', tz).notNullable();
    t.timestamp('expires_at', tz).notNullable();
    t.timestamp('decided_at', tz).nullable();
    t.integer('decided_by_user_id').unsigned().nullable().references('id').inTable('users');
    t.text('rejection_reason').nullable();
    t.integer('ledger_entry_id').unsigned().nullable().references('id').inTable('ledger_entries');
    t.index(['status', 'created_at']);
    t.index(['account_id', 'created_at']);
    t.index(['requester_user_id', 'created_at']);
  });

  await knex.schema.createTable('credit_approvals', (t) => {
    t.increments('id').primary();
    t.integer('request_id').unsigned().notNullable().references('id').inTable('credit_requests');
    t.integer('approver_user_id').unsigned().notNullable().references('id').inTable('users');
    t.text('note').nullable();
    t.timestamp('created_at', tz).notNullable();
    // One approval per supervisor per request, whatever races.
    t.unique(['request_id', 'approver_user_id']);
  });

  await knex.schema.createTable('approval_limits', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.string('currency', 3).notNullable();
    t.bigInteger('limit_minor').notNullable();
    t.timestamp('updated_at', tz).notNullable();
    t.primary(['user_id', 'currency']);
  });
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
