/**
 * Idempotency for money-moving calls, written once: the same key with the same
 * request returns the first (successful) result without doing anything again; the
 * same key with a different request is refused. It wraps the work of a write
 * transaction, so the record and the effect commit together:
 *
 *   writeTransaction(deps.db, idempotent(deps, call, async (trx) => …))
 *   refusable(deps, idempotent(deps, call, async (trx, refuse) => …))
 *
 * A refused or failed call is not remembered: asking again runs it again.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../../shared/errors';
import { canonicalJson } from './audit';
import type { Clock } from './context';

export interface IdempotentCall {
  key: string;
  operation: string;
  actorUserId: number;
  /** The parsed request, without the key itself. */
  request: unknown;
}

function requestHash(call: IdempotentCall): string {
  return createHash('sha256')
    .update(canonicalJson({ operation: call.operation, actor: call.actorUserId, request: call.request }))
    .digest('hex');
}

/** The stored result of an earlier identical call, or null; IDEMPOTENCY_CONFLICT for a reused key. */
async function replay<T>(trx: Knex.Transaction, call: IdempotentCall): Promise<T | null> {
  const row = await trx('idempotency_keys').where({ key: call.key }).first('request_hash', 'response', 'operation');
  if (!row) return null;
  if (row.request_hash !== requestHash(call)) {
    throw new AppError(
      'IDEMPOTENCY_CONFLICT',
      'This request key was already used for a different request, so nothing was done. Start the action again.',
      { operation: row.operation },
    );
  }
  return JSON.parse(row.response) as T;
}

async function remember(trx: Knex.Transaction, call: IdempotentCall, result: unknown, at: Date): Promise<void> {
  await trx('idempotency_keys').insert({
    key: call.key,
    operation: call.operation,
    actor_user_id: call.actorUserId,
    request_hash: requestHash(call),
    response: JSON.stringify(result),
    created_at: at,
  });
}

/** The work, run once per key: a repeat of the same request answers the first result. */
export function idempotent<A extends unknown[], T>(
  deps: { clock: Clock },
  call: IdempotentCall,
  work: (trx: Knex.Transaction, ...rest: A) => Promise<T>,
): (trx: Knex.Transaction, ...rest: A) => Promise<T> {
  return async (trx, ...rest) => {
    const earlier = await replay<T>(trx, call);
    if (earlier !== null) return earlier;
    const result = await work(trx, ...rest);
    await remember(trx, call, result, deps.clock.now());
    return result;
  };
}
