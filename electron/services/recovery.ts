/**
 * Damaged-code recovery (DESIGN.md §1): a caller whose claim code is scratched off
 * proves they own the card by what they know of the purchase; the main process
 * compares it with the record and answers per field — never the record itself.
 * Repeated failures lock recovery for the card until a supervisor unlocks it. A
 * verified case is resolved once, within its lifetime: the value goes to an account
 * of the card's marketplace, or the card is voided and a replacement issued for
 * delivery to the address on file.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError, isAppError } from '../../shared/errors';
import { maskAddress, maskEmail } from '../../shared/mask';
import { currencyOf, isMarketplace, marketplaceName, type Marketplace } from '../../shared/marketplaces';
import type { RecoveryChecks, RecoveryResolution, RecoveryUnlock, RecoveryVerification } from '../../shared/types';
import { toDate, toInt } from '../db/values';
import { appendAudit } from './audit';
import { issueCards, newUnusedClaimCode, newUnusedSerial } from './cardIssue';
import { findCard, requireSerial, type CardRow } from './cards';
import type { Actor, ServiceDeps } from './context';
import { idempotent, type IdempotentCall } from './idempotency';
import { addCardEvents, moveCardValueToAccount } from './cardValue';
import {
  compareAddress,
  compareEmail,
  compareFragment,
  compareName,
  compareOrderNumber,
  fragmentProblem,
} from './recoveryMatch';
import { refusable } from './refusal';
import { getLimits } from './settings';

export interface VerifyInput {
  serial: string;
  orderNumber: string;
  purchaserName: string;
  recipientName: string;
  deliveryAddress: string;
  claimCodeFragment?: string | undefined;
  ticketId: string;
}

/**
 * The resolution names the ticket it is done under: it must be the ticket the case
 * was verified under (and the resolver the user who verified it), so a verified case
 * cannot be carried over to another caller's contact or finished by someone else.
 */
export type ResolveInput =
  | { caseId: string; ticketId: string; action: 'redeemToAccount'; accountId: string; idempotencyKey: string }
  | { caseId: string; ticketId: string; action: 'reissue'; idempotencyKey: string };

const HOUR = 3_600_000;

function cardNotRecoverable(card: { status: string; redeemed_at: unknown }): AppError | null {
  if (card.status === 'void') return new AppError('CARD_VOID', 'This card was cancelled; there is nothing to recover.');
  if (card.status === 'redeemed') {
    const when = toDate(card.redeemed_at).toISOString();
    return new AppError('CARD_ALREADY_REDEEMED', `This card's value was already redeemed on ${when}; there is nothing to recover.`, {
      redeemedAt: when,
      sameAccount: false,
    });
  }
  return null;
}

function lockedError(lockedAt: unknown): AppError {
  const at = toDate(lockedAt).toISOString();
  return new AppError(
    'RECOVERY_LOCKED',
    `Recovery for this card is locked since ${at} after repeated failed checks. A supervisor can unlock it.`,
    { lockedAt: at },
  );
}

/** Names may be a close match (a typo, a spelling); order number and address must match. */
function nameAccepted(check: string): boolean {
  return check === 'match' || check === 'close';
}


/**
 * Compares the caller's facts with the record; only the main process ever sees the
 * record. The legible fragment is compared with the code only when every other fact
 * already passes: otherwise a failed check would still say whether the fragment fits,
 * and guessing one character at a time (unlocks in between) would read out the code.
 */
function checkFacts(
  input: VerifyInput,
  card: Record<string, unknown>,
  decrypt: (cipher: string, serial: string) => string,
): { checks: RecoveryChecks; verified: boolean } {
  const email = card['delivery_channel'] === 'email';
  const checks: RecoveryChecks = {
    orderNumber: compareOrderNumber(input.orderNumber, String(card['order_number'])),
    purchaserName: compareName(input.purchaserName, String(card['purchaser_name'])),
    recipientName: compareName(input.recipientName, String(card['recipient_name'])),
    deliveryAddress: email
      ? compareEmail(input.deliveryAddress, String(card['delivery_email'] ?? ''))
      : compareAddress(input.deliveryAddress, String(card['delivery_address'] ?? '')),
  };
  const factsPass =
    checks.orderNumber === 'match' &&
    checks.deliveryAddress === 'match' &&
    nameAccepted(checks.purchaserName) &&
    nameAccepted(checks.recipientName);
  if (input.claimCodeFragment !== undefined && input.claimCodeFragment.trim() !== '') {
    checks.claimCodeFragment = factsPass
      ? compareFragment(input.claimCodeFragment, decrypt(String(card['claim_code_cipher']), String(card['serial'])))
      : 'notChecked';
  }
  const verified = factsPass && (checks.claimCodeFragment === undefined || checks.claimCodeFragment === 'consistent');
  return { checks, verified };
}

export async function verifyRecovery(deps: ServiceDeps, actor: Actor, input: VerifyInput): Promise<RecoveryVerification> {
  requireSerial(input.serial);
  if (input.claimCodeFragment !== undefined && input.claimCodeFragment.trim() !== '') {
    const problem = fragmentProblem(input.claimCodeFragment);
    if (problem) {
      throw new AppError('VALIDATION_FAILED', problem, { fields: [{ path: 'claimCodeFragment', message: problem }] });
    }
  }
  const found = await findCard(deps, actor, input.serial, 'recovery.verify', input.ticketId);
  const limits = await getLimits(deps.db);

  return refusable(deps, async (trx, refuse) => {
    const now = deps.clock.now();
    const card = await trx('cards').where({ id: found.id }).first();
    const refused = (error: AppError) =>
      refuse(error, { actor: actor.username, action: 'recovery.verify.refused', subjectType: 'card', subjectId: card.serial, ticketId: input.ticketId });
    const notRecoverable = cardNotRecoverable(card);
    if (notRecoverable) throw refused(notRecoverable);
    if (card.recovery_locked_at) throw refused(lockedError(card.recovery_locked_at));

    let facts: ReturnType<typeof checkFacts>;
    try {
      facts = checkFacts(input, card, deps.vault.decrypt);
    } catch (error) {
      // A ciphertext that is not this card's (swapped in, damaged): refused on the record,
      // neither a failure nor a case; the caller's fragment is never compared with it.
      if (isAppError(error) && error.code === 'CLAIM_CODE_UNREADABLE') throw refused(error);
      throw error;
    }
    const { checks, verified } = facts;
    const since = failureWindowStart(now, limits.recoveryWindowHours, card.recovery_unlocked_at);
    const failures = toInt(
      (
        await trx('recovery_cases')
          .where({ card_id: card.id })
          .whereIn('outcome', ['failed', 'locked'])
          .where('created_at', '>', since)
          .count({ n: '*' })
          .first()
      )?.n ?? 0,
    );
    const failuresNow = verified ? failures : failures + 1;
    const locks = !verified && failuresNow >= limits.recoveryMaxFailures;
    const result: RecoveryVerification = {
      caseId: randomUUID(),
      outcome: verified ? 'verified' : locks ? 'locked' : 'failed',
      checks,
      attemptsRemaining: Math.max(limits.recoveryMaxFailures - failuresNow, 0),
      lockedAt: locks ? now.toISOString() : null,
      expiresAt: verified ? new Date(now.getTime() + limits.recoveryCaseMinutes * 60_000).toISOString() : null,
    };

    await trx('recovery_cases').insert({
      id: result.caseId,
      card_id: card.id,
      actor_user_id: actor.id,
      ticket_id: input.ticketId,
      outcome: result.outcome,
      checks: JSON.stringify(checks),
      created_at: now,
      expires_at: result.expiresAt ? new Date(result.expiresAt) : null,
    });
    await addCardEvents(trx, {
      cardId: card.id,
      type: 'recovery_check',
      at: now,
      actorUserId: actor.id,
      ticketId: input.ticketId,
      details: { outcome: result.outcome },
    });
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'recovery.verify',
      subjectType: 'card',
      subjectId: card.serial,
      ticketId: input.ticketId,
      details: { caseId: result.caseId, outcome: result.outcome, checks: { ...checks }, failures: failuresNow },
    });
    if (locks) {
      await trx('cards').where({ id: card.id }).update({ recovery_locked_at: now });
      await addCardEvents(trx, {
        cardId: card.id,
        type: 'recovery_locked',
        at: now,
        actorUserId: actor.id,
        ticketId: input.ticketId,
        details: { failures: failuresNow },
      });
      await appendAudit(trx, deps.clock, {
        actor: actor.username,
        action: 'recovery.locked',
        subjectType: 'card',
        subjectId: card.serial,
        ticketId: input.ticketId,
        details: { failures: failuresNow, windowHours: limits.recoveryWindowHours },
      });
    }
    return result;
  });
}

/**
 * Failed checks count toward a lock from the later of the last unlock and the start of
 * the failure window (DESIGN.md §1 limits).
 */
function failureWindowStart(end: Date, windowHours: number, unlockedAt: unknown): Date {
  const windowStart = new Date(end.getTime() - windowHours * HOUR);
  const unlocked = unlockedAt ? toDate(unlockedAt) : null;
  return unlocked && unlocked > windowStart ? unlocked : windowStart;
}

/**
 * A supervisor unlocks a locked card — but not one on which they themselves ran failed
 * checks within the lock's window: otherwise one supervisor could guess, unlock and
 * guess again alone. Another supervisor must unlock it. Each unlock is a card event,
 * so the card shows how often it was unlocked.
 */
export async function unlockRecovery(deps: ServiceDeps, actor: Actor, input: { serial: string; reason: string }): Promise<RecoveryUnlock> {
  const serial = requireSerial(input.serial);
  const limits = await getLimits(deps.db);
  return refusable(deps, async (trx, refuse) => {
    const now = deps.clock.now();
    const card = await trx('cards').where({ serial }).first('id', 'serial', 'recovery_locked_at', 'recovery_unlocked_at');
    if (!card) throw new AppError('CARD_NOT_FOUND', 'No card has this serial number.', { suggestions: [] });
    if (!card.recovery_locked_at) throw new AppError('RECOVERY_NOT_LOCKED', 'Recovery is not locked for this card.');
    const lockedAt = toDate(card.recovery_locked_at);
    const own = await trx('recovery_cases')
      .where({ card_id: card.id, actor_user_id: actor.id })
      .whereIn('outcome', ['failed', 'locked'])
      .where('created_at', '>', failureWindowStart(lockedAt, limits.recoveryWindowHours, card.recovery_unlocked_at))
      .first('id');
    if (own) {
      throw refuse(new AppError('FORBIDDEN', 'You ran checks on this card; another supervisor must unlock it.'), {
        actor: actor.username,
        action: 'recovery.unlock.refused',
        subjectType: 'card',
        subjectId: card.serial,
        details: { reason: input.reason, lockedAt: lockedAt.toISOString() },
      });
    }
    await trx('cards').where({ id: card.id }).update({ recovery_locked_at: null, recovery_unlocked_at: now });
    await addCardEvents(trx, {
      cardId: card.id,
      type: 'recovery_unlocked',
      at: now,
      actorUserId: actor.id,
      ticketId: null,
      details: { reason: input.reason },
    });
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'recovery.unlocked',
      subjectType: 'card',
      subjectId: card.serial,
      details: { reason: input.reason, lockedAt: lockedAt.toISOString() },
    });
    return { serial: card.serial, unlockedAt: now.toISOString() };
  });
}

// ---------- resolve ----------

interface CaseRow {
  id: string;
  card_id: unknown;
  actor_user_id: unknown;
  ticket_id: string;
  outcome: string;
  resolved_at: unknown;
  resolution: string | null;
  expires_at: unknown;
}

/** The card being recovered, with what a replacement copies from it. */
type RecoveredCard = CardRow & { marketplace: Marketplace; order_number: string };

/** Builds the refusal of this resolution; once the case is loaded, on its card. */
type RefuseResolution = (error: AppError, on?: { kase: CaseRow; card: CardRow }) => Error;

/** One resolution under way: the verified case, its card, who resolves it, and when. */
interface Resolving {
  deps: ServiceDeps;
  actor: Actor;
  trx: Knex.Transaction;
  kase: CaseRow;
  card: RecoveredCard;
  now: Date;
}

export async function resolveRecovery(deps: ServiceDeps, actor: Actor, input: ResolveInput): Promise<RecoveryResolution> {
  const call: IdempotentCall = {
    key: input.idempotencyKey,
    operation: 'recovery:resolve',
    actorUserId: actor.id,
    request: { caseId: input.caseId, ticketId: input.ticketId, action: input.action, accountId: input.action === 'redeemToAccount' ? input.accountId : null },
  };
  return refusable(deps, idempotent(deps, call, async (trx, refuse) => {
    const refused: RefuseResolution = (error, on) =>
      refuse(error, {
        actor: actor.username,
        action: 'recovery.resolve.refused',
        subjectType: on ? 'card' : 'recoveryCase',
        subjectId: on ? on.card.serial : input.caseId,
        // The case's ticket when the case is known; else the ticket the resolution was asked under.
        ticketId: on ? on.kase.ticket_id : input.ticketId,
        details: { caseId: input.caseId, action: input.action },
      });
    const now = deps.clock.now();
    const { kase, card } = await resolvableCase(trx, actor, input, now, refused);
    const resolving: Resolving = { deps, actor, trx, kase, card, now };
    const resolution =
      input.action === 'redeemToAccount'
        ? await applyToAccount(resolving, input.accountId, (error) => refused(error, { kase, card }))
        : await reissue(resolving);
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'recovery.resolved',
      subjectType: 'card',
      subjectId: card.serial,
      ticketId: kase.ticket_id,
      details: {
        caseId: kase.id,
        action: resolution.action,
        accountId: resolution.accountId,
        replacementSerial: resolution.replacementSerial,
        amountMinor: resolution.amountMinor,
        currency: resolution.currency,
      },
    });
    return resolution;
  }));
}

/**
 * The case, if this user can resolve it now: theirs and under the same ticket,
 * verified, not yet resolved, not expired, its card still recoverable. Whose case it
 * is comes first, so nobody else learns anything about it.
 */
async function resolvableCase(
  trx: Knex.Transaction,
  actor: Actor,
  input: ResolveInput,
  now: Date,
  refused: RefuseResolution,
): Promise<{ kase: CaseRow; card: RecoveredCard }> {
  const kase: CaseRow | undefined = await trx('recovery_cases').where({ id: input.caseId }).first();
  if (!kase) throw refused(new AppError('CASE_NOT_FOUND', 'There is no recovery case with this id.'));
  const card: RecoveredCard = await trx('cards').where({ id: kase.card_id }).first();
  const on = { kase, card };
  if (toInt(kase.actor_user_id) !== actor.id) {
    throw refused(new AppError('FORBIDDEN', 'Only the person who verified this case can resolve it.'), on);
  }
  if (kase.ticket_id !== input.ticketId) {
    throw refused(new AppError('FORBIDDEN', `This case was verified under ticket ${kase.ticket_id}; resolve it under that ticket.`), on);
  }
  if (kase.outcome !== 'verified') {
    throw refused(new AppError('CASE_NOT_VERIFIED', 'This recovery case was not verified, so it cannot be resolved. Run the check again.'), on);
  }
  if (kase.resolved_at) {
    throw refused(
      new AppError('CASE_ALREADY_RESOLVED', 'This recovery case was already resolved.', {
        resolvedAt: toDate(kase.resolved_at).toISOString(),
        resolution: kase.resolution,
      }),
      on,
    );
  }
  if (now > toDate(kase.expires_at)) {
    throw refused(
      new AppError('CASE_EXPIRED', 'This verification has expired. Check the caller again to start a new case.', {
        expiredAt: toDate(kase.expires_at).toISOString(),
      }),
      on,
    );
  }
  const notRecoverable = cardNotRecoverable(card);
  if (notRecoverable) throw refused(notRecoverable, on);
  if (card.recovery_locked_at) throw refused(lockedError(card.recovery_locked_at), on);
  if (!isMarketplace(card.marketplace)) throw new Error(`card ${card.serial} has an unknown marketplace`);
  return on;
}

/** The card's value goes to an account of its marketplace, like a redemption. */
async function applyToAccount(
  { actor, trx, kase, card, now }: Resolving,
  accountId: string,
  refused: (error: AppError) => Error,
): Promise<RecoveryResolution> {
  const account = await trx('accounts').where({ id: accountId }).first('id', 'marketplace');
  if (!account) throw refused(new AppError('ACCOUNT_NOT_FOUND', `There is no account ${accountId}.`));
  if (account.marketplace !== card.marketplace) {
    throw refused(
      new AppError(
        'MARKETPLACE_MISMATCH',
        `This is a ${marketplaceName(card.marketplace)} card; its value can only go to a ${marketplaceName(card.marketplace)} account.`,
        { cardMarketplace: card.marketplace, accountMarketplace: account.marketplace },
      ),
    );
  }
  const amountMinor = toInt(card.face_value_minor);
  const currency = currencyOf(card.marketplace);
  const posted = await moveCardValueToAccount(trx, {
    card,
    accountId: account.id,
    amountMinor,
    currency,
    ledgerType: 'recovery_credit',
    reason: 'DAMAGED_CODE',
    actorUserId: actor.id,
    ticketId: kase.ticket_id,
    at: now,
    via: 'recovery',
  });
  await trx('recovery_cases').where({ id: kase.id }).update({ resolved_at: now, resolution: 'redeemToAccount', resolved_account_id: account.id });
  return {
    caseId: kase.id,
    action: 'redeemToAccount',
    serial: card.serial,
    amountMinor,
    currency,
    accountId: account.id,
    balanceMinor: posted.balanceAfterMinor,
    replacementSerial: null,
    delivery: null,
    resolvedAt: now.toISOString(),
  };
}

/**
 * The old card is voided and a replacement with a new serial and code is issued for
 * delivery to the address on file. Nobody sees either code.
 */
async function reissue({ deps, actor, trx, kase, card, now }: Resolving): Promise<RecoveryResolution> {
  const serial = await newUnusedSerial(trx);
  const channel = card.delivery_channel;
  const destination = channel === 'email' ? String(card.delivery_email ?? '') : String(card.delivery_address ?? '');
  const amountMinor = toInt(card.face_value_minor);
  const issued = await issueCards(trx, deps.vault, [
    {
      serial,
      claimCode: await newUnusedClaimCode(trx, deps.vault.digest),
      marketplace: card.marketplace,
      faceValueMinor: amountMinor,
      status: 'active',
      deliveryChannel: channel,
      orderNumber: card.order_number,
      orderedAt: toDate(card.ordered_at),
      purchaserName: card.purchaser_name,
      recipientName: card.recipient_name,
      deliveryEmail: card.delivery_email,
      deliveryAddress: card.delivery_address,
      replacesCardId: toInt(card.id),
      createdAt: now,
    },
  ]);
  const replacementId = issued.get(serial)!;
  const voided = await trx('cards')
    .where({ id: card.id, status: 'active' })
    .update({ status: 'void', voided_at: now, replaced_by_card_id: replacementId });
  if (voided !== 1) throw new Error(`card ${card.serial} changed during recovery`);
  const by = { at: now, actorUserId: actor.id, ticketId: kase.ticket_id };
  await addCardEvents(
    trx,
    { ...by, cardId: card.id, type: 'voided', details: { reason: 'Damaged code, replaced' } },
    { ...by, cardId: card.id, type: 'replaced', details: { replacementSerial: serial } },
    { ...by, cardId: replacementId, type: 'replacement', details: { originalSerial: card.serial } },
    { ...by, cardId: replacementId, type: 'delivery_queued', details: { channel } },
  );
  await trx('card_deliveries').insert({ card_id: replacementId, channel, destination, status: 'queued', case_id: kase.id, created_at: now });
  await trx('recovery_cases').where({ id: kase.id }).update({ resolved_at: now, resolution: 'reissue', replacement_card_id: replacementId });
  return {
    caseId: kase.id,
    action: 'reissue',
    serial: card.serial,
    amountMinor,
    currency: currencyOf(card.marketplace),
    accountId: null,
    balanceMinor: null,
    replacementSerial: serial,
    delivery: { channel, destination: channel === 'email' ? maskEmail(destination) : maskAddress(destination) },
    resolvedAt: now.toISOString(),
  };
}
