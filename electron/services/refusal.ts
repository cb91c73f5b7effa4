/**
 * "Refuse: record the refusal in the audit log, commit it, then answer the error" —
 * written once. A refused sign-in, redemption, approval or recovery must be on record
 * even though the caller gets an error, and nothing the refused work wrote before it
 * refused may survive.
 *
 *   return refusable(deps, async (trx, refuse) => {
 *     if (card.status === 'void') throw refuse(new AppError('CARD_VOID', …), { actor, action: 'card.redeem.refused', … });
 *     …
 *   });
 *
 * The work runs in a savepoint inside one write transaction. A thrown `refuse(…)`
 * rolls the savepoint back, appends the refusal's audit entry (with the error code in
 * its details) and then anything else to record with it (a counted failure, say) in
 * the outer transaction, commits, and throws the AppError to the caller. Anything
 * else thrown rolls back everything, as usual.
 */
import type { Knex } from 'knex';
import type { AppError } from '../../shared/errors';
import { writeTransaction } from '../db/transaction';
import { appendAudit, type AuditInput } from './audit';
import type { Clock } from './context';

type Record = (trx: Knex.Transaction) => Promise<unknown>;

/** Carries a refusal from the work to `refusable`; never leaves it. */
class Refusal extends Error {
  constructor(
    readonly error: AppError,
    readonly audit: AuditInput,
    readonly alsoRecord: Record | undefined,
  ) {
    super(error.message);
    this.name = 'Refusal';
  }
}

/**
 * Builds the refusal to throw: the error the caller gets, the audit entry that records
 * it, and optionally more to record with it (e.g. a counted failed attempt).
 */
export type Refuse = (error: AppError, audit: AuditInput, alsoRecord?: Record) => Error;

const refuse: Refuse = (error, audit, alsoRecord) => new Refusal(error, audit, alsoRecord);

export interface RefusableOptions {
  /** Housekeeping that stands whether or not the work is refused (e.g. expiring stale requests). */
  before?: Record;
}

export async function refusable<T>(
  deps: { db: Knex; clock: Clock },
  work: (trx: Knex.Transaction, refuse: Refuse) => Promise<T>,
  options: RefusableOptions = {},
): Promise<T> {
  const outcome = await writeTransaction(deps.db, async (trx): Promise<{ done: T } | { refused: AppError }> => {
    await options.before?.(trx);
    try {
      return { done: await trx.transaction((attempt) => work(attempt, refuse)) };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      await appendAudit(trx, deps.clock, { ...error.audit, details: { ...error.audit.details, code: error.error.code } });
      await error.alsoRecord?.(trx);
      return { refused: error.error };
    }
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.done;
}
