/**
 * The ledger: the only way money reaches an account. Each entry records the amount,
 * why, who, and the balance after it; the account's stored balance moves in the same
 * transaction. `checkLedger` proves the stored balances equal the sums.
 */
import type { Knex } from 'knex';
import { AppError } from '../../shared/errors';
import type { Currency } from '../../shared/money';
import type { LedgerEntryType } from '../../shared/types';
import { toInt } from '../db/values';

export interface NewLedgerEntry {
  accountId: string;
  amountMinor: number;
  currency: Currency;
  type: LedgerEntryType;
  reason?: string | null;
  cardId?: number | null;
  actorUserId: number | null;
  ticketId?: string | null;
  at: Date;
}

/** Inside a write transaction: posts the entry and moves the balance; returns both. */
export async function postLedgerEntry(
  trx: Knex.Transaction,
  entry: NewLedgerEntry,
): Promise<{ ledgerEntryId: number; balanceAfterMinor: number }> {
  if (!Number.isSafeInteger(entry.amountMinor) || entry.amountMinor <= 0) {
    throw new RangeError(`ledger amounts are positive safe integers, not ${entry.amountMinor}`);
  }
  const before = await trx('accounts').where({ id: entry.accountId }).first('balance_minor');
  if (before && toInt(before.balance_minor) + entry.amountMinor > Number.MAX_SAFE_INTEGER) {
    // Amounts stay exact integers end to end; a balance that would not is refused whole.
    throw new AppError('BALANCE_LIMIT', 'This would take the account balance past the largest amount Giftdesk can hold exactly; nothing was changed.', {
      accountId: entry.accountId,
    });
  }
  const updated = await trx('accounts')
    .where({ id: entry.accountId })
    .update({ balance_minor: trx.raw('balance_minor + ?', [entry.amountMinor]) });
  if (updated !== 1) throw new Error(`account ${entry.accountId} vanished during the transaction`);
  const account = await trx('accounts').where({ id: entry.accountId }).first('balance_minor');
  const balanceAfterMinor = toInt(account.balance_minor);
  const [row] = await trx('ledger_entries')
    .insert({
      account_id: entry.accountId,
      amount_minor: entry.amountMinor,
      currency: entry.currency,
      type: entry.type,
      reason: entry.reason ?? null,
      card_id: entry.cardId ?? null,
      actor_user_id: entry.actorUserId,
      ticket_id: entry.ticketId ?? null,
      balance_after_minor: balanceAfterMinor,
      created_at: entry.at,
    })
    .returning('id');
  return { ledgerEntryId: toInt(typeof row === 'object' ? (row as { id: unknown }).id : row), balanceAfterMinor };
}

export interface LedgerMismatch {
  accountId: string;
  storedMinor: number;
  ledgerSumMinor: number;
}

/** Every account whose stored balance differs from the sum of its ledger (none, normally). */
export async function checkLedger(db: Knex): Promise<LedgerMismatch[]> {
  const rows: { id: string; balance_minor: unknown; total: unknown }[] = await db('accounts as a')
    .leftJoin('ledger_entries as l', 'l.account_id', 'a.id')
    .groupBy('a.id', 'a.balance_minor')
    .select('a.id', 'a.balance_minor')
    .select(db.raw('COALESCE(SUM(l.amount_minor), 0) AS total'));
  return rows
    .map((r) => ({ accountId: r.id, storedMinor: toInt(r.balance_minor), ledgerSumMinor: toInt(r.total) }))
    .filter((r) => r.storedMinor !== r.ledgerSumMinor);
}
