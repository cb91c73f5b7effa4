/** Manual credits (DESIGN.md §1 "Manual credits"): reasons and limits, per currency. */
import { currencyCodes, majorToMinor, type Currency } from './money';

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
