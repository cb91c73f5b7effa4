/**
 * The supervisor dashboard (`dashboard:summary`): one section per chart, each counted
 * by the database in one statement. Days are the supervisor's days: the console sends
 * its offset from UTC, and an entry at 23:30 local time counts on that local day.
 */
import { z } from 'zod';
import type { CreditReason } from './credits';
import type { Currency } from './money';

/** The default period: the last 30 days. */
export const DASHBOARD_DEFAULT_DAYS = 30;
/** The longest period one summary covers (a year, leap day included). */
export const DASHBOARD_MAX_DAYS = 366;
/** UTC−14:00 … UTC+14:00, the offsets in use anywhere. */
export const MAX_UTC_OFFSET_MINUTES = 14 * 60;

export const PERIOD_TOO_LONG = `The period can be at most ${DASHBOARD_MAX_DAYS} days.`;
export const PERIOD_BACKWARDS = 'The period must end after it starts.';

const instant = (what: string) => z.iso.datetime({ offset: true, error: `${what} must be a date and time (ISO 8601).` });

export const dashboardInput = {
  /** Start of the period (inclusive); default: 30 days before `to`. */
  from: instant('The start').optional(),
  /** End of the period (exclusive); default: now. */
  to: instant('The end').optional(),
  /** The supervisor's offset from UTC in minutes (e.g. 60 for UTC+01:00); default 0. */
  utcOffsetMinutes: z.number().int().min(-MAX_UTC_OFFSET_MINUTES).max(MAX_UTC_OFFSET_MINUTES).default(0),
};

/** Decided credit requests: how each one ended. */
export const creditOutcomes = ['approved', 'rejected', 'expired'] as const;
export type CreditOutcome = (typeof creditOutcomes)[number];

export const recoveryOutcomes = ['verified', 'failed', 'locked'] as const;
export type RecoveryOutcome = (typeof recoveryOutcomes)[number];

/** A local calendar day, `YYYY-MM-DD`. */
export type DayKey = string;

export interface DashboardSummary {
  period: {
    from: string;
    to: string;
    utcOffsetMinutes: number;
    /** Every local day the period touches, oldest first (so charts show empty days as zero). */
    days: DayKey[];
    /** When the figures were counted (the queue's ages are measured from it). */
    at: string;
  };
  /** Credit requests decided in the period, by the local day of the decision (expiry for expired ones). */
  credits: { day: DayKey; reason: CreditReason; outcome: CreditOutcome; count: number }[];
  /** Requests waiting for a supervisor now, per currency (not limited to the period). */
  queue: { currency: Currency; waiting: number; oldestCreatedAt: string; oldestAgeMs: number }[];
  /** Recovery checks by outcome and unlocks, per local day. */
  recovery: { day: DayKey; verified: number; failed: number; locked: number; unlocked: number }[];
  /** Refused redemptions in the period by the refusal's error code. */
  refusals: { code: string; count: number }[];
  /** Refusals because an account hit the failed-redemption limit, per local day. */
  rateLimitTrips: { day: DayKey; count: number; accounts: number }[];
  /** Personal-data reveals in the period, per user and field. */
  reveals: { actor: string; field: string; count: number }[];
  /** What the desk owes now, per currency: active cards' value plus customer balances. */
  liability: { currency: Currency; activeCardsMinor: number; activeCards: number; balancesMinor: number; accounts: number; totalMinor: number }[];
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01 in the supervisor's time). */
export function dayKeyOf(dayNumber: number): DayKey {
  return new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
}

/** The day number of an instant for a supervisor `utcOffsetMinutes` from UTC. */
export function dayNumberOf(at: Date, utcOffsetMinutes: number): number {
  return Math.floor((at.getTime() + utcOffsetMinutes * 60_000) / 86_400_000);
}

/** Every local day from `from` to just before `to`. */
export function periodDays(from: Date, to: Date, utcOffsetMinutes: number): DayKey[] {
  const first = dayNumberOf(from, utcOffsetMinutes);
  const last = dayNumberOf(new Date(to.getTime() - 1), utcOffsetMinutes);
  const days: DayKey[] = [];
  for (let day = first; day <= last; day++) days.push(dayKeyOf(day));
  return days;
}
