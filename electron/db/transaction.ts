import type { Knex } from 'knex';

/** PostgreSQL serialization failure / deadlock, SQLite busy after busy_timeout: safe to run again. */
export function isRetryableWriteError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}

const ATTEMPTS = 4;

/**
 * Every transaction that writes goes through here. Its first statement locks the
 * audit chain's head row: on SQLite that takes the database's write lock before
 * anything is read (so a second process waits on busy_timeout instead of failing a
 * lock upgrade), on PostgreSQL it is a row lock held to commit. Writers are thereby
 * serialised on both engines, the audit chain stays one line, and check-then-write
 * logic inside `fn` (a card still active, a request still pending) cannot race.
 * A transaction the engine aborts as a serialization failure or deadlock is rolled
 * back whole and run again.
 */
export async function writeTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (trx) => {
        await trx('audit_head').where({ id: 1 }).update({ seq: trx.ref('seq') });
        return fn(trx);
      });
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableWriteError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
