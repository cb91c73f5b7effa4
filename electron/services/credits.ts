/**
 * Manual credits with supervisor approval (maker-checker, DESIGN.md §1). Anyone at
 * the card desk may request a credit; supervisors approve or reject, never their own
 * request, only up to their approval limit, and at or above the dual-approval
 * threshold two different supervisors must approve. The last required approval posts
 * the ledger entry in the same transaction that marks the request approved, guarded
 * so only a still-pending request changes: concurrent or repeated approvals post once.
 */
import type { Knex } from 'knex';
import {
  approvalLimitProblem,
  defaultCreditLimits,
  dualApprovalProblem,
  limitAmountProblem,
  type CreditLimits,
  type CreditReason,
} from '../../shared/credits';
import { AppError } from '../../shared/errors';
import { OTHER_NEEDS_NOTE } from '../../shared/fields';
import { maskName } from '../../shared/mask';
import { currencyOf, isMarketplace } from '../../shared/marketplaces';
import { isCurrency, type Currency } from '../../shared/money';
import type { CreditApprovalView, CreditLimitsView, CreditPage, CreditRequestView } from '../../shared/types';
import { writeTransaction } from '../db/transaction';
import { toDate, toInt, toIso, toIsoOrNull } from '../db/values';
import { appendAudit } from './audit';
import { requireSerial } from './cards';
import type { Actor, Clock, Operator, ServiceDeps } from './context';
import { idempotent, type IdempotentCall } from './idempotency';
import { postLedgerEntry } from './ledger';
import { refusable } from './refusal';

const DAY = 86_400_000;
const SETTING = { max: 'credits.maxPerRequest.', dual: 'credits.dualApproval.', expiry: 'credits.expiryDays' } as const;

// ---------- limits ----------

export async function getCreditLimits(db: Knex): Promise<CreditLimits> {
  const rows: { key: string; value: string }[] = await db('settings').where('key', 'like', 'credits.%').select('key', 'value');
  const limits: CreditLimits = {
    maxPerRequestMinor: { ...defaultCreditLimits.maxPerRequestMinor },
    dualApprovalMinor: { ...defaultCreditLimits.dualApprovalMinor },
    expiryDays: defaultCreditLimits.expiryDays,
  };
  for (const row of rows) {
    const value = Number(JSON.parse(row.value));
    if (!Number.isSafeInteger(value) || value <= 0) continue;
    const currency = row.key.slice(row.key.lastIndexOf('.') + 1);
    if (row.key.startsWith(SETTING.max) && isCurrency(currency)) limits.maxPerRequestMinor[currency] = value;
    else if (row.key.startsWith(SETTING.dual) && isCurrency(currency)) limits.dualApprovalMinor[currency] = value;
    else if (row.key === SETTING.expiry) limits.expiryDays = value;
  }
  return limits;
}

/** A supervisor's approval limit per currency: their own setting, or the per-request maximum. */
export async function approvalLimits(db: Knex, userId: number, limits?: CreditLimits): Promise<Record<Currency, number>> {
  const base = { ...(limits ?? (await getCreditLimits(db))).maxPerRequestMinor };
  const rows: { currency: string; limit_minor: unknown }[] = await db('approval_limits').where({ user_id: userId }).select('currency', 'limit_minor');
  for (const row of rows) if (isCurrency(row.currency)) base[row.currency] = toInt(row.limit_minor);
  return base;
}

export async function creditLimitsFor(deps: ServiceDeps, actor: Actor): Promise<CreditLimitsView> {
  const limits = await getCreditLimits(deps.db);
  return { ...limits, myApprovalLimitMinor: actor.role === 'supervisor' ? await approvalLimits(deps.db, actor.id, limits) : null };
}

function requirePositiveAmount(amountMinor: number): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw new AppError('AMOUNT_INVALID', 'The amount must be a whole number of minor units greater than zero.', { amountMinor });
  }
}

export interface CreditLimitChange {
  /** False when the limit already was this amount: nothing was written or audited. */
  changed: boolean;
  oldMinor: number;
  newMinor: number;
}

/** A change of a limit refused by one of the shared rules: said under the amount. */
function limitRefused(code: 'AMOUNT_INVALID' | 'VALIDATION_FAILED', message: string): AppError {
  return new AppError(code, message, code === 'VALIDATION_FAILED' ? { fields: [{ path: 'amount', message }] } : undefined);
}

/** Supervisors' own approval limits in one currency, by username. */
async function ownApprovalLimits(db: Knex, currency: Currency): Promise<{ username: string; amountMinor: number }[]> {
  const rows: { username: string; limit_minor: unknown }[] = await db('approval_limits as l')
    .join('users as u', 'u.id', 'l.user_id')
    .where('l.currency', currency)
    .orderBy('u.username')
    .select('u.username', 'l.limit_minor');
  return rows.map((row) => ({ username: row.username, amountMinor: toInt(row.limit_minor) }));
}

/**
 * Admins: the per-request maximum or the dual-approval threshold for one currency.
 * The shared rules (shared/credits.ts) hold after the change or it is refused, on
 * record; the same amount again changes nothing. Audited with the old and new amount.
 */
export async function setCreditLimit(
  deps: ServiceDeps,
  actor: Operator,
  input: { kind: 'maxPerRequest' | 'dualApproval'; currency: Currency; amountMinor: number },
): Promise<CreditLimitChange> {
  const key = `${input.kind === 'maxPerRequest' ? SETTING.max : SETTING.dual}${input.currency}`;
  return refusable(deps, async (trx, refuse) => {
    const refused = (error: AppError) =>
      refuse(error, {
        actor: actor.username,
        action: 'limits.set.refused',
        subjectType: 'setting',
        subjectId: key,
        details: { currency: input.currency, attemptedMinor: Number.isSafeInteger(input.amountMinor) ? input.amountMinor : null },
      });
    const problem = limitAmountProblem(input.amountMinor, input.currency);
    if (problem) throw refused(limitRefused('AMOUNT_INVALID', problem));
    const current = await getCreditLimits(trx);
    const before = { maxPerRequestMinor: current.maxPerRequestMinor[input.currency], dualApprovalMinor: current.dualApprovalMinor[input.currency] };
    const oldMinor = input.kind === 'maxPerRequest' ? before.maxPerRequestMinor : before.dualApprovalMinor;
    if (oldMinor === input.amountMinor) return { changed: false, oldMinor, newMinor: oldMinor };
    const after = { ...before, [input.kind === 'maxPerRequest' ? 'maxPerRequestMinor' : 'dualApprovalMinor']: input.amountMinor };
    const inconsistent =
      dualApprovalProblem(after, input.currency, input.kind) ??
      (input.kind === 'maxPerRequest'
        ? approvalLimitProblem(
            {
              kind: 'maxPerRequest',
              maxPerRequestMinor: input.amountMinor,
              over: (await ownApprovalLimits(trx, input.currency)).filter((own) => own.amountMinor > input.amountMinor),
            },
            input.currency,
          )
        : null);
    if (inconsistent) throw refused(limitRefused('VALIDATION_FAILED', inconsistent));
    await trx('settings')
      .insert({ key, value: JSON.stringify(input.amountMinor), updated_at: deps.clock.now() })
      .onConflict('key')
      .merge(['value', 'updated_at']);
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: input.kind === 'maxPerRequest' ? 'limits.creditMaxChanged' : 'limits.dualApprovalChanged',
      subjectType: 'setting',
      subjectId: key,
      details: { currency: input.currency, oldMinor, newMinor: input.amountMinor },
    });
    return { changed: true, oldMinor, newMinor: input.amountMinor };
  });
}

export interface ApprovalLimitChange {
  changed: boolean;
  username: string;
  displayName: string;
  /** The supervisor's own limit before and after (null: none, so the per-request maximum). */
  oldMinor: number | null;
  newMinor: number | null;
  /** What the supervisor may approve now. */
  effectiveMinor: number;
}

/**
 * Admins: a supervisor's approval limit for one currency (null: back to the default,
 * the per-request maximum). Never above the per-request maximum; the same value again
 * changes nothing. Audited with the old and new limit.
 */
export async function setApprovalLimit(
  deps: ServiceDeps,
  actor: Operator,
  input: { username: string; currency: Currency; amountMinor: number | null },
): Promise<ApprovalLimitChange> {
  const username = input.username.trim().toLowerCase();
  return refusable(deps, async (trx, refuse) => {
    const refused = (error: AppError) =>
      refuse(error, {
        actor: actor.username,
        action: 'limits.set.refused',
        subjectType: 'user',
        subjectId: username.slice(0, 64),
        details: { currency: input.currency, attemptedMinor: input.amountMinor !== null && Number.isSafeInteger(input.amountMinor) ? input.amountMinor : null },
      });
    if (input.amountMinor !== null) {
      const problem = limitAmountProblem(input.amountMinor, input.currency);
      if (problem) throw refused(limitRefused('AMOUNT_INVALID', problem));
    }
    const user = await trx('users').where({ username }).first('id', 'username', 'display_name', 'role');
    if (!user) throw refused(new AppError('VALIDATION_FAILED', `There is no user ${username}.`, { fields: [{ path: 'username', message: `There is no user ${username}.` }] }));
    if (user.role !== 'supervisor') {
      const message = `${user.username} is not a supervisor; only supervisors approve credits.`;
      throw refused(new AppError('VALIDATION_FAILED', message, { fields: [{ path: 'username', message }] }));
    }
    const userId = toInt(user.id);
    const limits = await getCreditLimits(trx);
    const maxPerRequestMinor = limits.maxPerRequestMinor[input.currency];
    const own = await trx('approval_limits').where({ user_id: userId, currency: input.currency }).first('limit_minor');
    const oldMinor = own ? toInt(own.limit_minor) : null;
    const result = { username: user.username as string, displayName: user.display_name as string, oldMinor };
    if (oldMinor === input.amountMinor) {
      return { ...result, changed: false, newMinor: oldMinor, effectiveMinor: oldMinor ?? maxPerRequestMinor };
    }
    if (input.amountMinor !== null) {
      const problem = approvalLimitProblem(
        { kind: 'approval', username: user.username, amountMinor: input.amountMinor, maxPerRequestMinor },
        input.currency,
      );
      if (problem) throw refused(limitRefused('VALIDATION_FAILED', problem));
    }
    if (input.amountMinor === null) await trx('approval_limits').where({ user_id: userId, currency: input.currency }).delete();
    else {
      await trx('approval_limits')
        .insert({ user_id: userId, currency: input.currency, limit_minor: input.amountMinor, updated_at: deps.clock.now() })
        .onConflict(['user_id', 'currency'])
        .merge(['limit_minor', 'updated_at']);
    }
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'limits.approvalChanged',
      subjectType: 'user',
      subjectId: user.username,
      details: { currency: input.currency, oldMinor, newMinor: input.amountMinor },
    });
    return { ...result, changed: true, newMinor: input.amountMinor, effectiveMinor: input.amountMinor ?? maxPerRequestMinor };
  });
}

/** Supervisors' own approval limits, every currency (the limits screen and `limits show`). */
export async function listApprovalLimits(db: Knex): Promise<{ username: string; displayName: string; currency: Currency; amountMinor: number }[]> {
  const rows: { username: string; display_name: string; currency: string; limit_minor: unknown }[] = await db('approval_limits as l')
    .join('users as u', 'u.id', 'l.user_id')
    .orderBy([{ column: 'u.username' }, { column: 'l.currency' }])
    .select('u.username', 'u.display_name', 'l.currency', 'l.limit_minor');
  return rows.flatMap((row) =>
    isCurrency(row.currency) ? [{ username: row.username, displayName: row.display_name, currency: row.currency, amountMinor: toInt(row.limit_minor) }] : [],
  );
}

// ---------- views ----------

interface RequestRow {
  id: unknown;
  account_id: string;
  marketplace: string;
  display_name: string;
  amount_minor: unknown;
  currency: string;
  reason: CreditReason;
  note: string | null;
  ticket_id: string;
  serial: string | null;
  requester_username: string;
  requester_name: string;
  requester_user_id: unknown;
  status: CreditRequestView['status'];
  created_at: unknown;
  expires_at: unknown;
  required_approvals: unknown;
  decided_at: unknown;
  decider_username: string | null;
  rejection_reason: string | null;
  ledger_entry_id: unknown;
}

function requestQuery(db: Knex) {
  return db('credit_requests as r')
    .join('accounts as a', 'a.id', 'r.account_id')
    .join('users as u', 'u.id', 'r.requester_user_id')
    .leftJoin('users as d', 'd.id', 'r.decided_by_user_id')
    .leftJoin('cards as c', 'c.id', 'r.card_id')
    .select(
      'r.*',
      'a.marketplace',
      'a.display_name',
      'u.username as requester_username',
      'u.display_name as requester_name',
      'd.username as decider_username',
      'c.serial',
    );
}

async function approvalsFor(db: Knex, requestIds: number[]): Promise<Map<number, CreditApprovalView[]>> {
  const map = new Map<number, CreditApprovalView[]>();
  if (requestIds.length === 0) return map;
  const rows: { request_id: unknown; username: string; display_name: string; created_at: unknown; note: string | null }[] = await db(
    'credit_approvals as ca',
  )
    .join('users as u', 'u.id', 'ca.approver_user_id')
    .whereIn('ca.request_id', requestIds)
    .orderBy('ca.id')
    .select('ca.request_id', 'u.username', 'u.display_name', 'ca.created_at', 'ca.note');
  for (const row of rows) {
    const id = toInt(row.request_id);
    const list = map.get(id) ?? [];
    list.push({ approver: row.username, approverName: row.display_name, at: toIso(row.created_at), note: row.note });
    map.set(id, list);
  }
  return map;
}

function toView(row: RequestRow, approvals: CreditApprovalView[]): CreditRequestView {
  if (!isMarketplace(row.marketplace) || !isCurrency(row.currency)) throw new Error(`credit request ${String(row.id)} is malformed`);
  return {
    id: toInt(row.id),
    account: { id: row.account_id, marketplace: row.marketplace, displayName: maskName(row.display_name) },
    amountMinor: toInt(row.amount_minor),
    currency: row.currency,
    reason: row.reason,
    note: row.note,
    ticketId: row.ticket_id,
    serial: row.serial ?? null,
    requester: { username: row.requester_username, displayName: row.requester_name },
    status: row.status,
    createdAt: toIso(row.created_at),
    expiresAt: toIso(row.expires_at),
    requiredApprovals: toInt(row.required_approvals),
    approvals,
    decidedAt: toIsoOrNull(row.decided_at),
    decidedBy: row.decider_username ?? null,
    rejectionReason: row.rejection_reason,
    ledgerEntryId: row.ledger_entry_id == null ? null : toInt(row.ledger_entry_id),
  };
}

async function viewOf(db: Knex, id: number): Promise<CreditRequestView> {
  const row = (await requestQuery(db).where('r.id', id).first()) as RequestRow | undefined;
  if (!row) throw new AppError('REQUEST_NOT_FOUND', `There is no credit request ${id}.`);
  return toView(row, (await approvalsFor(db, [id])).get(id) ?? []);
}

// ---------- expiry ----------

/** Pending requests past their lifetime become `expired`; inside a write transaction. */
async function expireStale(trx: Knex.Transaction, clock: Clock): Promise<void> {
  const now = clock.now();
  const stale: { id: unknown; expires_at: unknown; ticket_id: string }[] = await trx('credit_requests')
    .where({ status: 'pending' })
    .where('expires_at', '<=', now)
    .select('id', 'expires_at', 'ticket_id');
  for (const row of stale) {
    await trx('credit_requests')
      .where({ id: row.id, status: 'pending' })
      .update({ status: 'expired', decided_at: toDate(row.expires_at) });
    await appendAudit(trx, clock, {
      actor: null,
      action: 'credit.expired',
      subjectType: 'creditRequest',
      subjectId: String(toInt(row.id)),
      // Under the request's ticket: the ticket's timeline shows how the request ended.
      ticketId: row.ticket_id,
      details: { expiredAt: toDate(row.expires_at).toISOString() },
    });
  }
}

async function expireStaleIfAny(deps: { db: Knex; clock: Clock }): Promise<void> {
  const any = await deps.db('credit_requests').where({ status: 'pending' }).where('expires_at', '<=', deps.clock.now()).first('id');
  if (any) await writeTransaction(deps.db, (trx) => expireStale(trx, deps.clock));
}

// ---------- request ----------

export interface CreditRequestInput {
  accountId: string;
  amountMinor: number;
  currency: string;
  reason: CreditReason;
  note?: string | undefined;
  ticketId: string;
  serial?: string | undefined;
  idempotencyKey: string;
}

export async function requestCredit(deps: ServiceDeps, actor: Actor, input: CreditRequestInput): Promise<CreditRequestView> {
  requirePositiveAmount(input.amountMinor);
  const note = input.note?.trim() || null;
  if (input.reason === 'OTHER' && !note) {
    throw new AppError('VALIDATION_FAILED', OTHER_NEEDS_NOTE, {
      fields: [{ path: 'note', message: OTHER_NEEDS_NOTE }],
    });
  }
  let cardId: number | null = null;
  if (input.serial?.trim()) {
    const serial = requireSerial(input.serial);
    const card = await deps.db('cards').where({ serial }).first('id');
    if (!card) throw new AppError('CARD_NOT_FOUND', 'No card has this serial number.', { suggestions: [] });
    cardId = toInt(card.id);
  }
  const limits = await getCreditLimits(deps.db);
  const call: IdempotentCall = {
    key: input.idempotencyKey,
    operation: 'credits:request',
    actorUserId: actor.id,
    request: { ...input, idempotencyKey: undefined, note },
  };
  return refusable(deps, idempotent(deps, call, async (trx, refuse) => {
    // A policy refusal is on record under the ticket it was asked for.
    const refused = (error: AppError) =>
      refuse(error, {
        actor: actor.username,
        action: 'credit.request.refused',
        subjectType: 'account',
        subjectId: input.accountId,
        ticketId: input.ticketId,
        details: { amountMinor: input.amountMinor, currency: input.currency, reason: input.reason },
      });
    const account = await trx('accounts').where({ id: input.accountId }).first('id', 'marketplace');
    if (!account) throw new AppError('ACCOUNT_NOT_FOUND', `There is no account ${input.accountId}.`);
    const currency = currencyOf(account.marketplace);
    if (input.currency !== currency) {
      throw refused(
        new AppError('CURRENCY_MISMATCH', `Account ${account.id} is in ${currency}; the credit must be in ${currency} too.`, {
          accountCurrency: currency,
          requestCurrency: input.currency,
        }),
      );
    }
    const max = limits.maxPerRequestMinor[currency];
    if (input.amountMinor > max) {
      throw refused(new AppError('AMOUNT_OVER_LIMIT', 'The amount is above the most one manual credit may be.', { maxMinor: max, currency }));
    }
    const now = deps.clock.now();
    const requiredApprovals = input.amountMinor >= limits.dualApprovalMinor[currency] ? 2 : 1;
    const [row] = await trx('credit_requests')
      .insert({
        account_id: account.id,
        amount_minor: input.amountMinor,
        currency,
        reason: input.reason,
        note,
        ticket_id: input.ticketId,
        card_id: cardId,
        requester_user_id: actor.id,
        status: 'pending',
        required_approvals: requiredApprovals,
        created_at: now,
        expires_at: new Date(now.getTime() + limits.expiryDays * DAY),
      })
      .returning('id');
    const id = toInt(typeof row === 'object' ? (row as { id: unknown }).id : row);
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'credit.requested',
      subjectType: 'creditRequest',
      subjectId: String(id),
      ticketId: input.ticketId,
      details: { accountId: account.id, amountMinor: input.amountMinor, currency, reason: input.reason, requiredApprovals },
    });
    return viewOf(trx, id);
  }), {
    // Expiring stale requests is housekeeping: it stands even when this request is refused.
    before: (trx) => expireStale(trx, deps.clock),
  });
}

// ---------- list ----------

export async function listCredits(
  deps: ServiceDeps,
  actor: Actor,
  input: { status?: CreditRequestView['status'] | undefined; mine?: boolean | undefined; cursor?: number | undefined; limit: number },
): Promise<CreditPage> {
  await expireStaleIfAny(deps);
  // Agents see their own requests; supervisors see everyone's.
  const mine = input.mine === true || actor.role !== 'supervisor';
  const oldestFirst = input.status === 'pending';
  const q = requestQuery(deps.db).limit(input.limit + 1).orderBy('r.id', oldestFirst ? 'asc' : 'desc');
  if (input.status) q.where('r.status', input.status);
  if (mine) q.where('r.requester_user_id', actor.id);
  if (input.cursor !== undefined) q.where('r.id', oldestFirst ? '>' : '<', input.cursor);
  const rows = (await q) as RequestRow[];
  const page = rows.slice(0, input.limit);
  const approvals = await approvalsFor(deps.db, page.map((r) => toInt(r.id)));
  const requests = page.map((r) => toView(r, approvals.get(toInt(r.id)) ?? []));
  return { requests, nextCursor: rows.length > input.limit ? requests[requests.length - 1]!.id : null };
}

/** Pending requests this supervisor could approve now (not their own, not already approved by them). */
export async function awaitingApproval(deps: ServiceDeps, actor: Actor): Promise<{ awaitingMe: number }> {
  if (actor.role !== 'supervisor') return { awaitingMe: 0 };
  const row = await deps
    .db('credit_requests as r')
    .where('r.status', 'pending')
    .where('r.expires_at', '>', deps.clock.now())
    .whereNot('r.requester_user_id', actor.id)
    .whereNotExists(deps.db('credit_approvals as ca').whereRaw('ca.request_id = r.id').where('ca.approver_user_id', actor.id))
    .count({ n: '*' })
    .first();
  return { awaitingMe: toInt(row?.n ?? 0) };
}

// ---------- decisions ----------

async function pendingRequest(trx: Knex.Transaction, requestId: number): Promise<Record<string, unknown>> {
  const request = await trx('credit_requests').where({ id: requestId }).first();
  if (!request) throw new AppError('REQUEST_NOT_FOUND', `There is no credit request ${requestId}.`);
  if (request.status !== 'pending') {
    throw new AppError('REQUEST_NOT_PENDING', `This request is already ${request.status}.`, { status: request.status });
  }
  return request;
}

export async function approveCredit(
  deps: ServiceDeps,
  actor: Actor,
  input: { requestId: number; note?: string | undefined; idempotencyKey: string },
): Promise<CreditRequestView> {
  const note = input.note?.trim() || null;
  const call: IdempotentCall = {
    key: input.idempotencyKey,
    operation: 'credits:approve',
    actorUserId: actor.id,
    request: { requestId: input.requestId, note },
  };
  const limits = await getCreditLimits(deps.db);
  return refusable(deps, idempotent(deps, call, async (trx, refuse) => {
    // Under the request's ticket when there is such a request (none for REQUEST_NOT_FOUND).
    const refusedUnder = (error: AppError, ticketId: string | null) =>
      refuse(error, { actor: actor.username, action: 'credit.approve.refused', subjectType: 'creditRequest', subjectId: String(input.requestId), ticketId });
    const request = await pendingRequest(trx, input.requestId).catch(async (error: unknown) => {
      if (!(error instanceof AppError)) throw error;
      const known = await trx('credit_requests').where({ id: input.requestId }).first('ticket_id');
      throw refusedUnder(error, known ? String(known.ticket_id) : null);
    });
    const refused = (error: AppError) => refusedUnder(error, String(request['ticket_id']));
    const currency = request['currency'] as Currency;
    const amount = toInt(request['amount_minor']);
    if (toInt(request['requester_user_id']) === actor.id) {
      throw refused(new AppError('SELF_APPROVAL_FORBIDDEN', 'You requested this credit, so another supervisor must approve it.'));
    }
    const already = await trx('credit_approvals').where({ request_id: input.requestId, approver_user_id: actor.id }).first('id');
    if (already) {
      throw refused(new AppError('DUPLICATE_APPROVER', 'You have already approved this request; a different supervisor must give the second approval.'));
    }
    const myLimit = (await approvalLimits(trx, actor.id, limits))[currency];
    if (amount > myLimit) {
      throw refused(
        new AppError('APPROVAL_LIMIT_EXCEEDED', 'The amount is above your approval limit; a supervisor with a higher limit must approve it.', {
          limitMinor: myLimit,
          currency,
        }),
      );
    }
    const now = deps.clock.now();
    await trx('credit_approvals').insert({ request_id: input.requestId, approver_user_id: actor.id, note, created_at: now });
    const approvals = toInt((await trx('credit_approvals').where({ request_id: input.requestId }).count({ n: '*' }).first())?.n ?? 0);
    const required = toInt(request['required_approvals']);
    // The last required approval posts the credit, guarded on the request still being pending.
    let posted: { ledgerEntryId: number } | null = null;
    if (approvals >= required) {
      const changed = await trx('credit_requests')
        .where({ id: input.requestId, status: 'pending' })
        .update({ status: 'approved', decided_at: now, decided_by_user_id: actor.id });
      // Refusing also takes back the approval row inserted above.
      if (changed !== 1) throw refused(new AppError('REQUEST_NOT_PENDING', 'This request is no longer pending.'));
      posted = await postLedgerEntry(trx, {
        accountId: String(request['account_id']),
        amountMinor: amount,
        currency,
        type: 'manual_credit',
        reason: String(request['reason']),
        cardId: request['card_id'] == null ? null : toInt(request['card_id']),
        actorUserId: actor.id,
        ticketId: String(request['ticket_id']),
        at: now,
      });
      await trx('credit_requests').where({ id: input.requestId }).update({ ledger_entry_id: posted.ledgerEntryId });
    }
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'credit.approved',
      subjectType: 'creditRequest',
      subjectId: String(input.requestId),
      ticketId: String(request['ticket_id']),
      details: posted
        ? { approvals, required, posted: true, ledgerEntryId: posted.ledgerEntryId, amountMinor: amount, currency }
        : { approvals, required, posted: false },
    });
    return viewOf(trx, input.requestId);
  }), {
    // Expiring stale requests is housekeeping: it stands even when this approval is refused.
    before: (trx) => expireStale(trx, deps.clock),
  });
}

export async function rejectCredit(deps: ServiceDeps, actor: Actor, input: { requestId: number; reason: string }): Promise<CreditRequestView> {
  return writeTransaction(deps.db, async (trx) => {
    await expireStale(trx, deps.clock);
    const request = await pendingRequest(trx, input.requestId);
    const now = deps.clock.now();
    await trx('credit_requests')
      .where({ id: input.requestId, status: 'pending' })
      .update({ status: 'rejected', decided_at: now, decided_by_user_id: actor.id, rejection_reason: input.reason });
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'credit.rejected',
      subjectType: 'creditRequest',
      subjectId: String(input.requestId),
      ticketId: String(request['ticket_id']),
      details: { reason: input.reason },
    });
    return viewOf(trx, input.requestId);
  });
}

export async function cancelCredit(deps: ServiceDeps, actor: Actor, input: { requestId: number }): Promise<CreditRequestView> {
  return writeTransaction(deps.db, async (trx) => {
    await expireStale(trx, deps.clock);
    const request = await pendingRequest(trx, input.requestId);
    if (toInt(request['requester_user_id']) !== actor.id) {
      throw new AppError('FORBIDDEN', 'Only the person who requested a credit can cancel it.');
    }
    await trx('credit_requests')
      .where({ id: input.requestId, status: 'pending' })
      .update({ status: 'cancelled', decided_at: deps.clock.now(), decided_by_user_id: actor.id });
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'credit.cancelled',
      subjectType: 'creditRequest',
      subjectId: String(input.requestId),
      ticketId: String(request['ticket_id']),
    });
    return viewOf(trx, input.requestId);
  });
}
