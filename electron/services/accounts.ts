/**
 * Customer accounts: search (by id, e-mail or name; case- and accent-insensitive)
 * and the account view with its ledger. Personal data leaves masked.
 */
import type { Knex } from 'knex';
import { AppError } from '../../shared/errors';
import { maskEmail, maskName } from '../../shared/mask';
import { currencyOf, isMarketplace } from '../../shared/marketplaces';
import type { AccountDetails, AccountSummary, BalancePoint, LedgerEntryType, LedgerEntryView } from '../../shared/types';
import { prefixPattern, whereNameHasWords } from '../db/search';
import { toDate, toInt, toIso } from '../db/values';
import { appendAudit, recordAudit } from './audit';
import { refusable } from './refusal';
import { getLimits } from './settings';
import type { Actor, ServiceDeps } from './context';

export const SEARCH_LIMIT = 20;
export const HISTORY_POINTS = 60;

interface AccountRow {
  id: string;
  marketplace: string;
  display_name: string;
  email: string;
  balance_minor: unknown;
  created_at: unknown;
}

function summary(row: AccountRow): AccountSummary {
  if (!isMarketplace(row.marketplace)) throw new Error(`account ${row.id} has an unknown marketplace`);
  return {
    id: row.id,
    marketplace: row.marketplace,
    currency: currencyOf(row.marketplace),
    displayName: maskName(row.display_name),
    email: maskEmail(row.email),
    balanceMinor: toInt(row.balance_minor),
  };
}

/** Not audited: the answer is masked and leads to `getAccount`, which is. */
const HOUR = 3_600_000;

type SearchKind = 'email' | 'id' | 'name';

/** What a query is: an e-mail (has @), an account id (ACC-…), or otherwise words of a name. */
function searchKind(query: string): SearchKind {
  if (query.includes('@')) return 'email';
  if (/^acc-/i.test(query)) return 'id';
  return 'name';
}

/**
 * Finds accounts without becoming an oracle on what the screen masks: an e-mail only
 * exactly (or, for a query without @, by its whole local part), a name only by whole
 * words, an account id (never masked) by its beginning. Every search is audited with
 * its kind and the accounts it showed (not the typed text), and rate-limited per user.
 */
export async function searchAccounts(deps: ServiceDeps, actor: Actor, input: { query: string }): Promise<AccountSummary[]> {
  const query = input.query.trim();
  if (query.length < 2) throw new AppError('VALIDATION_FAILED', 'Type at least 2 characters of an account id, e-mail or name.');
  const { accountSearchesPerHour: limit } = await getLimits(deps.db);
  const kind = searchKind(query);
  return refusable(deps, async (trx, refuse) => {
    const now = deps.clock.now();
    const recent: { at: unknown }[] = await trx('account_searches')
      .where({ user_id: actor.id })
      .where('at', '>', new Date(now.getTime() - HOUR))
      .orderBy('at', 'asc')
      .select('at');
    if (recent.length >= limit) {
      const retryAt = new Date(toDate(recent[recent.length - limit]!.at).getTime() + HOUR).toISOString();
      throw refuse(
        new AppError('SEARCH_RATE_LIMITED', `You have searched for accounts ${limit} times in the last hour. Try again after ${retryAt}.`, {
          retryAt,
          limit,
        }),
        { actor: actor.username, action: 'account.search.refused', details: { kind, limit } },
      );
    }
    await trx('account_searches').insert({ user_id: actor.id, at: now });

    const q = trx<AccountRow>('accounts').orderBy([{ column: 'display_name' }, { column: 'id' }]).limit(SEARCH_LIMIT);
    const lower = query.toLowerCase();
    if (kind === 'email') q.whereRaw('LOWER(email) = ?', [lower]);
    else if (kind === 'id') q.whereRaw(`id LIKE ? ESCAPE '\\'`, [prefixPattern(query.toUpperCase())]);
    else {
      q.where((w) => {
        w.whereRaw(`LOWER(email) LIKE ? ESCAPE '\\'`, [prefixPattern(`${lower}@`)]).orWhere((inner) => {
          whereNameHasWords(inner, 'name_words', query);
        });
      });
    }
    const rows = (await q) as AccountRow[];
    const accountIds = rows.map((r) => r.id);
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'account.search',
      subjectType: 'account',
      subjectId: accountIds.length === 1 ? accountIds[0]! : null,
      details: { kind, results: rows.length, accountIds },
    });
    return rows.map(summary);
  });
}

async function ledgerPage(
  db: Knex,
  accountId: string,
  beforeId: number | undefined,
  limit: number,
): Promise<{ entries: LedgerEntryView[]; nextBeforeId: number | null }> {
  const q = db('ledger_entries as l')
    .leftJoin('users as u', 'u.id', 'l.actor_user_id')
    .leftJoin('cards as c', 'c.id', 'l.card_id')
    .where('l.account_id', accountId)
    .orderBy('l.id', 'desc')
    .limit(limit + 1)
    .select('l.id', 'l.created_at', 'l.type', 'l.reason', 'l.amount_minor', 'l.balance_after_minor', 'l.ticket_id', 'u.username', 'c.serial');
  if (beforeId !== undefined) q.where('l.id', '<', beforeId);
  const rows: Record<string, unknown>[] = await q;
  const entries = rows.slice(0, limit).map((r) => ({
    id: toInt(r['id']),
    at: toIso(r['created_at']),
    type: r['type'] as LedgerEntryType,
    reason: (r['reason'] as string | null) ?? null,
    amountMinor: toInt(r['amount_minor']),
    balanceAfterMinor: toInt(r['balance_after_minor']),
    actor: (r['username'] as string | null) ?? null,
    ticketId: (r['ticket_id'] as string | null) ?? null,
    cardSerial: (r['serial'] as string | null) ?? null,
  }));
  return { entries, nextBeforeId: rows.length > limit ? entries[entries.length - 1]!.id : null };
}

async function balanceHistory(db: Knex, accountId: string): Promise<BalancePoint[]> {
  const rows: { created_at: unknown; balance_after_minor: unknown }[] = await db('ledger_entries')
    .where({ account_id: accountId })
    .orderBy('id', 'desc')
    .limit(HISTORY_POINTS)
    .select('created_at', 'balance_after_minor');
  return rows.reverse().map((r) => ({ at: toIso(r.created_at), balanceMinor: toInt(r.balance_after_minor) }));
}

/** The account with a page of its ledger. Viewing an account's balance is audited. */
export async function getAccount(
  deps: ServiceDeps,
  actor: Actor,
  input: { accountId: string; beforeId?: number | undefined; limit: number },
): Promise<AccountDetails> {
  const row: AccountRow | undefined = await deps.db('accounts').where({ id: input.accountId }).first();
  if (!row) throw new AppError('ACCOUNT_NOT_FOUND', `There is no account ${input.accountId}.`);
  const page = await ledgerPage(deps.db, row.id, input.beforeId, input.limit);
  if (input.beforeId === undefined) {
    await recordAudit(deps.db, deps.clock, { actor: actor.username, action: 'account.viewed', subjectType: 'account', subjectId: row.id });
  }
  return {
    ...summary(row),
    createdAt: toIso(row.created_at),
    ledger: page.entries,
    nextBeforeId: page.nextBeforeId,
    history: await balanceHistory(deps.db, row.id),
  };
}
