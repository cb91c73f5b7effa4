import type { Knex } from 'knex';

/**
 * Every transaction that writes goes through here. Its first statement locks the
 * audit chain's head row: on SQLite that takes the database's write lock before
 * anything is read (so a second process waits on busy_timeout instead of failing a
 * lock upgrade), on PostgreSQL it is a row lock held to commit. Writers are thereby
 * serialised on both engines, the audit chain stays one line, and check-then-write
 * logic inside `fn` (a card still active, a request still pending) cannot race.
 */
export async function writeTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx('audit_head').where({ id: 1 }).update({ seq: trx.ref('seq') });
    return fn(trx);
  });
}
