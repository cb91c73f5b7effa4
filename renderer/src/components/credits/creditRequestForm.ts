/**
 * The manual-credit request form: its values, its schema (the contract's fields and the
 * shared "note required for Other" rule, plus the amount as typed) and the request it
 * becomes. The amount is a decimal string in the account's currency, parsed exactly to
 * minor units by the shared money helpers; it is judged once an account, and so a
 * currency, is chosen.
 */
import { z } from 'zod';
import type { CreditReason } from '../../../../shared/credits';
import type { InputOf } from '../../../../shared/contract';
import { noteRequiredForOther } from '../../../../shared/fields';
import { AMOUNT_NOT_POSITIVE, parseAmount, type Currency } from '../../../../shared/money';
import { formatSerial } from '../../../../shared/serial';
import type { AccountSummary } from '../../../../shared/types';
import { inputSchema, serialField } from '../../data/forms';

export interface CreditPrefill {
  serial?: string | undefined;
  ticketId?: string | undefined;
  reason?: CreditReason | undefined;
}

/** A type, not an interface: form values must be a plain record. */
export type CreditRequestValues = {
  accountId: string;
  amount: string;
  reason: CreditReason | '';
  note: string;
  ticketId: string;
  serial: string;
};

export function initialValues(account: AccountSummary | undefined, prefill: CreditPrefill | undefined): CreditRequestValues {
  return {
    accountId: account?.id ?? '',
    amount: '',
    reason: prefill?.reason ?? '',
    note: '',
    ticketId: prefill?.ticketId ?? '',
    serial: prefill?.serial ? formatSerial(prefill.serial) : '',
  };
}

/**
 * The amount as typed, in minor units of `currency` (null until it can be read); more
 * than zero, like every credit. Not judged before an account (so a currency) is chosen:
 * the account's own error says so first.
 */
export function amountField(currency: Currency | undefined) {
  const read = (value: string) => (currency ? parseAmount(value, currency) : null);
  return z
    .string()
    .superRefine((value, ctx) => {
      const parsed = read(value);
      if (parsed && !parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
      else if (parsed?.minor === 0) ctx.addIssue({ code: 'custom', message: AMOUNT_NOT_POSITIVE });
    })
    .transform((value) => {
      const parsed = read(value);
      return parsed?.ok ? parsed.minor : null;
    });
}

export function creditRequestSchema(currency: Currency | undefined) {
  return inputSchema('credits:request', ['accountId', 'reason', 'note', 'ticketId'], noteRequiredForOther).safeExtend({
    amount: amountField(currency),
    serial: serialField({ optional: true }),
  });
}

/** The request as the contract takes it, without its idempotency key. */
export function toCreditRequest(values: CreditRequestValues, account: AccountSummary): Omit<InputOf<'credits:request'>, 'idempotencyKey'> {
  const parsed = creditRequestSchema(account.currency).parse(values);
  const note = parsed.note?.trim();
  // Validated in the account's currency, so the amount was read.
  if (parsed.amount === null) throw new RangeError('the amount was not read');
  return {
    accountId: parsed.accountId,
    amountMinor: parsed.amount,
    currency: account.currency,
    reason: parsed.reason,
    ticketId: parsed.ticketId,
    ...(note ? { note } : {}),
    ...(parsed.serial ? { serial: parsed.serial } : {}),
  };
}
