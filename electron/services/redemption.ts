/**
 * Redeeming a claim code to a customer's account (DESIGN.md §1 "Redemption"): the
 * card's value moves to the account exactly once, in one transaction with the card
 * state, the ledger entry, the balance, the card event and the audit entry. Failed
 * attempts are recorded per account and, past the limit, refused for an hour.
 */
import type { Knex } from 'knex';
import { claimCodeLast4, parseClaimCode } from '../../shared/claimCode';
import { AppError } from '../../shared/errors';
import { currencyOf, marketplaceName, type Marketplace } from '../../shared/marketplaces';
import type { RedemptionResult } from '../../shared/types';
import { toDate, toInt } from '../db/values';
import { appendAudit } from './audit';
import type { Actor, ServiceDeps } from './context';
import { idempotent, type IdempotentCall } from './idempotency';
import { moveCardValueToAccount } from './cardValue';
import { refusable } from './refusal';
import { getLimits } from './settings';

export interface RedeemInput {
  claimCode: string;
  accountId: string;
  ticketId: string;
  idempotencyKey: string;
}

const HOUR = 3_600_000;

export async function redeemCode(deps: ServiceDeps, actor: Actor, input: RedeemInput): Promise<RedemptionResult> {
  const parsed = parseClaimCode(input.claimCode);
  if (!parsed.ok) throw new AppError('CLAIM_CODE_INVALID', parsed.message);
  const code = parsed.code;
  const digest = deps.vault.digest(code);
  const last4 = claimCodeLast4(code);
  const limits = await getLimits(deps.db);
  // The request as remembered for idempotency: the digest, never the code.
  const call: IdempotentCall = {
    key: input.idempotencyKey,
    operation: 'cards:redeem',
    actorUserId: actor.id,
    request: { claimCodeDigest: digest, accountId: input.accountId, ticketId: input.ticketId },
  };

  return refusable(deps, idempotent(deps, call, async (trx, refuse) => {
    const now = deps.clock.now();
    /** Every refusal is audited; a probing one (`reason`) also counts toward the account's limit. */
    const refused = (error: AppError, reason: string | null, serial: string | null = null) =>
      refuse(
        error,
        {
          actor: actor.username,
          action: 'card.redeem.refused',
          subjectType: serial ? 'card' : 'account',
          subjectId: serial ?? input.accountId,
          ticketId: input.ticketId,
          details: { accountId: input.accountId, claimCodeLast4: last4 },
        },
        reason
          ? (outer) => outer('redemption_failures').insert({ account_id: input.accountId, actor_user_id: actor.id, reason, at: now })
          : undefined,
      );

    const account = await trx('accounts').where({ id: input.accountId }).first('id', 'marketplace');
    if (!account) throw refused(new AppError('ACCOUNT_NOT_FOUND', `There is no account ${input.accountId}.`), null);

    const since = new Date(now.getTime() - HOUR);
    const recent: { at: unknown }[] = await trx('redemption_failures')
      .where({ account_id: account.id })
      .where('at', '>', since)
      .orderBy('at', 'asc')
      .select('at');
    if (recent.length >= limits.redemptionFailuresPerHour) {
      const retryAt = new Date(toDate(recent[recent.length - limits.redemptionFailuresPerHour]!.at).getTime() + HOUR);
      throw refused(
        new AppError(
          'REDEMPTION_RATE_LIMITED',
          `Too many failed redemption attempts on this account in the last hour. Try again after ${retryAt.toISOString()}.`,
          { retryAt: retryAt.toISOString(), limit: limits.redemptionFailuresPerHour },
        ),
        null,
      );
    }

    const card = await trx('cards')
      .where({ claim_code_digest: digest })
      .first('id', 'serial', 'marketplace', 'status', 'face_value_minor', 'redeemed_at', 'redeemed_account_id');
    if (!card) throw refused(new AppError('CLAIM_CODE_NOT_FOUND', 'No gift card has this claim code.'), 'not_found');
    if (card.status === 'void') {
      throw refused(new AppError('CARD_VOID', 'This card was cancelled and cannot be redeemed.'), 'void', card.serial);
    }
    if (card.status === 'redeemed') {
      const sameAccount = card.redeemed_account_id === account.id;
      const when = toDate(card.redeemed_at).toISOString();
      throw refused(
        new AppError(
          'CARD_ALREADY_REDEEMED',
          sameAccount
            ? `This code was already added to this account on ${when}.`
            : `This code was already redeemed on ${when}, to a different account.`,
          { redeemedAt: when, sameAccount },
        ),
        sameAccount ? null : 'already_redeemed',
        card.serial,
      );
    }
    if (card.marketplace !== account.marketplace) {
      throw refused(
        new AppError(
          'MARKETPLACE_MISMATCH',
          `This is a ${marketplaceName(card.marketplace)} card; it cannot be added to a ${marketplaceName(account.marketplace)} account.`,
          { cardMarketplace: card.marketplace, accountMarketplace: account.marketplace },
        ),
        'marketplace_mismatch',
        card.serial,
      );
    }

    const marketplace = card.marketplace as Marketplace;
    const amountMinor = toInt(card.face_value_minor);
    const posted = await moveCardValueToAccount(trx, {
      card,
      accountId: account.id,
      amountMinor,
      currency: currencyOf(marketplace),
      ledgerType: 'redemption',
      actorUserId: actor.id,
      ticketId: input.ticketId,
      at: now,
    });
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'card.redeemed',
      subjectType: 'card',
      subjectId: card.serial,
      ticketId: input.ticketId,
      details: { accountId: account.id, amountMinor, currency: currencyOf(marketplace), ledgerEntryId: posted.ledgerEntryId },
    });
    return {
      serial: card.serial,
      claimCodeLast4: last4,
      accountId: account.id,
      amountMinor,
      currency: currencyOf(marketplace),
      balanceMinor: posted.balanceAfterMinor,
      ledgerEntryId: posted.ledgerEntryId,
      redeemedAt: now.toISOString(),
    };
  }));
}

/** Failed attempts on an account within the last hour (for tests and support). */
export async function recentRedemptionFailures(db: Knex, accountId: string, now: Date): Promise<number> {
  const row = await db('redemption_failures')
    .where({ account_id: accountId })
    .where('at', '>', new Date(now.getTime() - HOUR))
    .count({ n: '*' })
    .first();
  return toInt(row?.n ?? 0);
}
