import type { Knex } from 'knex';

/** PostgreSQL serialization failure / deadlock, SQLite busy after busy_timeout: safe to run again. */
export function isRetryableWriteError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}

const ATTEMPTS = 4;

/** A no-op update that takes the head's lock (SQLite: the database's write lock) and answers the head as it stands. */
const LOCK_HEAD_SQL = 'UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash';

/** The rows of a `knex.raw` answer on either engine (sqlite3: the rows; pg: a result holding them). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * The audit chain head as this transaction last saw it: set when `writeTransaction`
 * locks it, moved on by each `appendAudit` in the same transaction object. A hint, not
 * the truth: `appendAudit` moves the head only if it still holds these values (a
 * savepoint's own appends, or its rollback, can leave it stale) and reads it otherwise.
 */
export const lockedHeads = new WeakMap<Knex.Transaction, { seq: number; hash: string }>();

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
    let lockedAt = 0;
    try {
      return await db.transaction(async (trx) => {
        const asked = headLock ? performance.now() : 0;
        // One round trip takes the lock and reads the head the first append needs.
        const head = rowsOf<{ seq: unknown; hash: string }>(await trx.raw(LOCK_HEAD_SQL))[0];
        if (!head) throw new Error('audit chain head is missing');
        lockedHeads.set(trx, { seq: Number(head.seq), hash: head.hash });
        if (headLock) {
          lockedAt = performance.now();
          headLock.waitMs += lockedAt - asked;
        }
        return fn(trx);
      });
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableWriteError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    } finally {
      if (headLock && lockedAt > 0) {
        headLock.transactions++;
        headLock.holdMs += performance.now() - lockedAt;
      }
    }
  }
}

/**
 * Opt-in measurement of the audit chain's head lock (GIFTDESK_HEAD_LOCK_STATS=1, read
 * once at start; `npm run bench` sets it for its servers): per process, how many write
 * transactions took it, the time spent in the locking statement (waiting for the lock,
 * plus one round trip), and the time it was held (from the lock to commit or
 * rollback). Off, it costs one null check per write transaction.
 */
export interface HeadLockStats {
  transactions: number;
  waitMs: number;
  holdMs: number;
}

const headLock: HeadLockStats | null = process.env['GIFTDESK_HEAD_LOCK_STATS'] === '1' ? { transactions: 0, waitMs: 0, holdMs: 0 } : null;

/** The counters since the last reset; null when measurement is off. */
export function headLockStats(): HeadLockStats | null {
  return headLock ? { ...headLock } : null;
}

export function resetHeadLockStats(): void {
  if (headLock) Object.assign(headLock, { transactions: 0, waitMs: 0, holdMs: 0 });
}
