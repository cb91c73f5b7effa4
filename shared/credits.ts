/** Manual credits (DESIGN.md §1 "Manual credits"): reasons and limits, per currency. */
import { currencyCodes, currencyExponent, formatMoney, majorToMinor, type Currency } from './money';

export const creditReasons = ['DAMAGED_CODE', 'CODE_NOT_WORKING', 'GOODWILL', 'SERVICE_RECOVERY', 'OTHER'] as const;
export type CreditReason = (typeof creditReasons)[number];

export const creditReasonLabels: Record<CreditReason, string> = {
  DAMAGED_CODE: 'Damaged code',
  CODE_NOT_WORKING: 'Code not working',
  GOODWILL: 'Goodwill',
  SERVICE_RECOVERY: 'Service recovery',
  OTHER: 'Other (note required)',
};

export const creditStatuses = ['pending', 'approved', 'rejected', 'cancelled', 'expired'] as const;
export type CreditStatus = (typeof creditStatuses)[number];

/** Default per-request maximum in major units: 500, except JPY 50 000 and INR 40 000. */
const defaultMaxMajor: Record<Currency, number> = { USD: 500, CAD: 500, GBP: 500, EUR: 500, JPY: 50_000, INR: 40_000 };
/** Default dual-approval threshold: 250, except JPY 25 000 and INR 20 000. */
const defaultDualMajor: Record<Currency, number> = { USD: 250, CAD: 250, GBP: 250, EUR: 250, JPY: 25_000, INR: 20_000 };

export interface CreditLimits {
  /** The most one request may credit. */
  maxPerRequestMinor: Record<Currency, number>;
  /** At or above this, two different supervisors must approve. */
  dualApprovalMinor: Record<Currency, number>;
  /** Pending requests expire after this many days. */
  expiryDays: number;
}

function perCurrency(major: Record<Currency, number>): Record<Currency, number> {
  return Object.fromEntries(currencyCodes.map((c) => [c, majorToMinor(major[c], c)])) as Record<Currency, number>;
}

export const defaultCreditLimits: CreditLimits = {
  maxPerRequestMinor: perCurrency(defaultMaxMajor),
  dualApprovalMinor: perCurrency(defaultDualMajor),
  expiryDays: 7,
};

// ---------- the rules a change of credit limits must keep (service, CLI and screen share them) ----------

/**
 * The most any credit limit may be: a million in the currency. A cap, so that no
 * admin's typo lets a run of credits take a balance past exact integers (2^53 - 1).
 */
export function creditLimitCapMinor(currency: Currency): number {
  return 1_000_000 * 10 ** currencyExponent(currency);
}

/** What is wrong with this amount as a credit limit; null when it may be one. */
export function limitAmountProblem(amountMinor: number, currency: Currency): string | null {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) return 'A limit must be more than zero.';
  const cap = creditLimitCapMinor(currency);
  if (amountMinor > cap) return `A limit is at most ${formatMoney(cap, currency)}.`;
  return null;
}

/**
 * The two-approval threshold is never above the most one request may be: above it, no
 * credit would ever need a second supervisor. Checked whichever of the two changes.
 */
export function dualApprovalProblem(
  limits: { maxPerRequestMinor: number; dualApprovalMinor: number },
  currency: Currency,
  changing: 'maxPerRequest' | 'dualApproval',
): string | null {
  if (limits.dualApprovalMinor <= limits.maxPerRequestMinor) return null;
  const max = formatMoney(limits.maxPerRequestMinor, currency);
  const dual = formatMoney(limits.dualApprovalMinor, currency);
  return changing === 'dualApproval'
    ? `Two approvals from ${dual} would be above the most per request, ${max}: no credit would ever need a second supervisor.`
    : `The most per request, ${max}, would be below two approvals from ${dual}: lower the two-approval threshold first.`;
}

/**
 * A supervisor's own approval limit is never above the most one request may be.
 * `over`: the supervisors whose own limit the new maximum would be below.
 */
export function approvalLimitProblem(
  changing: { kind: 'approval'; username: string; amountMinor: number; maxPerRequestMinor: number } | { kind: 'maxPerRequest'; maxPerRequestMinor: number; over: readonly { username: string; amountMinor: number }[] },
  currency: Currency,
): string | null {
  const max = formatMoney(changing.maxPerRequestMinor, currency);
  if (changing.kind === 'approval') {
    if (changing.amountMinor <= changing.maxPerRequestMinor) return null;
    return `${changing.username}'s approval limit, ${formatMoney(changing.amountMinor, currency)}, would be above the most per request, ${max}.`;
  }
  if (changing.over.length === 0) return null;
  const names = changing.over.map((s) => `${s.username} (${formatMoney(s.amountMinor, currency)})`).join(', ');
  return `The most per request, ${max}, would be below the approval limit of ${names}: lower or clear ${changing.over.length === 1 ? 'it' : 'them'} first.`;
}
