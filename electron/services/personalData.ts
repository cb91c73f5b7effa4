/**
 * `pii:reveal`: one field of one card or account in full, for a user with the reveal
 * permission (supervisors by default; an admin may grant it to or withdraw it from a
 * user), with a reason and a ticket, within a daily cap per user.
 *
 * Checked in this order, each refusal on record (`pii.reveal.refused`) and changing
 * nothing else: the permission (first, so someone without it learns nothing, not even
 * whether the subject exists), the day's cap, the subject, the field. A reveal appends
 * `pii.revealed` (actor, subject, ticket; details: field and reason — never the value)
 * and one `pii_reveals` row. The count and the insert run in the one write transaction
 * that holds the audit head lock (electron/db/transaction.ts), which serialises every
 * writer on both engines, so concurrent reveals cannot pass the cap together.
 */
import { AppError } from '../../shared/errors';
import {
  mayReveal,
  REVEAL_VISIBLE_SECONDS,
  revealFieldLabels,
  revealFieldSubject,
  revealPermissionFromColumn,
  type RevealedField,
  type RevealField,
  type RevealSubjectType,
} from '../../shared/personalData';
import { isRole } from '../../shared/roles';
import { formatSerial, parseSerial } from '../../shared/serial';
import { toInt } from '../db/values';
import { appendAudit } from './audit';
import type { Actor, ServiceDeps } from './context';
import { refusable } from './refusal';
import { getLimits } from './settings';

export interface RevealInput {
  subjectType: RevealSubjectType;
  subjectId: string;
  field: RevealField;
  reason: string;
  ticketId: string;
}

export const NO_REVEAL_PERMISSION_MESSAGE =
  'Revealing personal data needs the reveal permission, which you do not have. Supervisors have it by default; an admin can grant it to a user.';

/** Midnight UTC after `now`: when the day's count starts again. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function notApplicable(message: string): AppError {
  return new AppError('FIELD_NOT_APPLICABLE', message, { fields: [{ path: 'field', message }] });
}

export async function revealPersonalData(deps: ServiceDeps, actor: Actor, input: RevealInput): Promise<RevealedField> {
  const { revealsPerDay: limit } = await getLimits(deps.db);
  const label = revealFieldLabels[input.field];
  // What the caller named, as canonical as it parses (on record with any refusal, so oversight sees what was asked for).
  const parsedSerial = input.subjectType === 'card' ? parseSerial(input.subjectId) : null;
  const named = parsedSerial?.ok ? parsedSerial.serial : input.subjectId.trim();
  return refusable(deps, async (trx, refuse) => {
    const now = deps.clock.now();
    const refusal = (why: string, subjectId: string = named) => ({
      actor: actor.username,
      action: 'pii.reveal.refused' as const,
      subjectType: input.subjectType,
      subjectId,
      ticketId: input.ticketId,
      details: { field: input.field, reason: input.reason, why },
    });

    // The permission as stored now (an admin's grant or withdrawal holds from the next call).
    const user: { role: string; active: unknown; can_reveal_pii: unknown } | undefined = await trx('users')
      .where({ id: actor.id })
      .first('role', 'active', 'can_reveal_pii');
    if (!user || !isRole(user.role) || !mayReveal(user.role, revealPermissionFromColumn(user.can_reveal_pii))) {
      throw refuse(new AppError('FORBIDDEN', NO_REVEAL_PERMISSION_MESSAGE), refusal('no permission'));
    }

    const today = toInt((await trx('pii_reveals').where({ user_id: actor.id }).where('at', '>=', startOfUtcDay(now)).count({ n: '*' }).first())?.n ?? 0);
    if (today >= limit) {
      const resetsAt = nextUtcMidnight(now).toISOString();
      throw refuse(
        new AppError(
          'REVEAL_LIMIT_REACHED',
          `You have revealed personal data ${limit} ${limit === 1 ? 'time' : 'times'} today, the most one user may in a day. ` +
            `The count starts again at midnight UTC (${resetsAt}); a supervisor who needs more can ask an admin to raise the limit.`,
          { limit, resetsAt },
        ),
        refusal('daily limit'),
      );
    }

    const owner = revealFieldSubject(input.field);
    if (owner !== input.subjectType) {
      const message =
        owner === 'account'
          ? `A card has no ${label}: reveal it on the account.`
          : `An account has no ${label}: reveal it on the card.`;
      throw refuse(notApplicable(message), refusal('field of another subject'));
    }

    let subjectId: string;
    let value: string | null;
    if (input.subjectType === 'card') {
      const parsed = parsedSerial ?? parseSerial(input.subjectId);
      if (!parsed.ok) throw refuse(new AppError('SERIAL_INVALID', parsed.message, { problem: parsed.problem }), refusal('serial invalid'));
      subjectId = parsed.serial;
      const card:
        | { delivery_channel: string; purchaser_name: string; recipient_name: string; delivery_email: string | null; delivery_address: string | null }
        | undefined = await trx('cards')
        .where({ serial: subjectId })
        .first('delivery_channel', 'purchaser_name', 'recipient_name', 'delivery_email', 'delivery_address');
      if (!card) throw refuse(new AppError('CARD_NOT_FOUND', `No card has the serial ${formatSerial(subjectId)}.`), refusal('no such card', subjectId));
      const byPost = card.delivery_channel === 'physical';
      if (input.field === 'deliveryEmail' && byPost) {
        throw refuse(
          notApplicable(`Card ${formatSerial(subjectId)} was sent by post: it has a shipping address, not a delivery e-mail.`),
          refusal('not an e-mail card', subjectId),
        );
      }
      if (input.field === 'shippingAddress' && !byPost) {
        throw refuse(
          notApplicable(`Card ${formatSerial(subjectId)} was sent by e-mail: it has a delivery e-mail, not a shipping address.`),
          refusal('not a physical card', subjectId),
        );
      }
      value =
        input.field === 'purchaserName'
          ? card.purchaser_name
          : input.field === 'recipientName'
            ? card.recipient_name
            : input.field === 'deliveryEmail'
              ? card.delivery_email
              : card.delivery_address;
    } else {
      subjectId = input.subjectId.trim();
      const account: { display_name: string; email: string } | undefined = await trx('accounts').where({ id: subjectId }).first('display_name', 'email');
      if (!account) throw refuse(new AppError('ACCOUNT_NOT_FOUND', `There is no account ${subjectId}.`), refusal('no such account', subjectId));
      value = input.field === 'accountEmail' ? account.email : account.display_name;
    }
    if (value === null || value === '') {
      throw refuse(notApplicable(`The ${label} of this ${input.subjectType} is not on record.`), refusal('not on record', subjectId));
    }

    await trx('pii_reveals').insert({ user_id: actor.id, at: now });
    // The field and the reason, never the value: the log must not become a copy of what it guards.
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'pii.revealed',
      subjectType: input.subjectType,
      subjectId,
      ticketId: input.ticketId,
      details: { field: input.field, reason: input.reason },
    });
    return {
      subjectType: input.subjectType,
      subjectId,
      field: input.field,
      value,
      visibleForSeconds: REVEAL_VISIBLE_SECONDS,
      revealsLeftToday: limit - today - 1,
    };
  });
}
