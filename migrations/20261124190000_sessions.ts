/**
 * Sessions in the database, for the team server (issue 12): several server processes
 * on one database serve the same sessions, so a sign-out, an idle lock, a deactivation
 * or a role change made through one is in force on all. The token a client holds is
 * never stored: only its SHA-256 digest (base64url), looked up by a unique index.
 * The console's windows keep their sessions in memory and do not use this table.
 */
import type { Knex } from 'knex';

const tz = { useTz: true } as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sessions', (t) => {
    t.increments('id').primary();
    t.string('token_hash', 64).notNullable().unique();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.timestamp('created_at', tz).notNullable();
    t.timestamp('last_active_at', tz).notNullable();
    // Absolute end of the session (limits.sessionMaxHours after sign-in), however active.
    t.timestamp('expires_at', tz).notNullable();
    // The idle lock in force for this session (limits.idleLockMinutes, read at sign-in).
    t.integer('idle_lock_minutes').notNullable();
    t.timestamp('ended_at', tz).nullable();
    t.string('end_reason', 16).nullable().checkIn(['idle', 'expired', 'signedOut', 'deactivated']);
    t.index(['user_id', 'ended_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
