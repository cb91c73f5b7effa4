import type { Currency } from './money';

/**
 * Limits (DESIGN.md §1). Stored as settings an admin may change; these are the
 * defaults used when a setting is absent.
 */
export interface Limits {
  signInMaxFailures: number;
  signInLockMinutes: number;
  idleLockMinutes: number;
  /** Hours after sign-in at which a session ends however active it was. */
  sessionMaxHours: number;
  /** Failed redemption attempts per account per hour before redemption is refused. */
  redemptionFailuresPerHour: number;
  /** Failed recovery checks on one card, within the window, that lock recovery for it. */
  recoveryMaxFailures: number;
  recoveryWindowHours: number;
  /** How long a verified recovery case can be resolved. */
  recoveryCaseMinutes: number;
  /** Account searches one user may make per hour (search is audited and no oracle, and also bounded). */
  accountSearchesPerHour: number;
  /** Personal-data reveals one user may make per day (UTC); the count starts again at midnight UTC. */
  revealsPerDay: number;
}

export const defaultLimits: Limits = {
  signInMaxFailures: 5,
  signInLockMinutes: 15,
  idleLockMinutes: 15,
  sessionMaxHours: 12,
  redemptionFailuresPerHour: 10,
  recoveryMaxFailures: 3,
  recoveryWindowHours: 24,
  recoveryCaseMinutes: 30,
  accountSearchesPerHour: 60,
  revealsPerDay: 20,
};

// ---------- the rules an admin's change must keep (service, CLI and screen share them) ----------

export type LimitName = keyof Limits;
export type LimitUnit = 'failures' | 'minutes' | 'hours' | 'searches' | 'reveals';
export type LimitSection = 'signIn' | 'redemptionRecovery';

export interface LimitRule {
  /** What the limit is, in words (a label on screen, the subject of a message). */
  label: string;
  /** One line on what it does. */
  help: string;
  unit: LimitUnit;
  min: number;
  max: number;
  section: LimitSection;
  /** Takes effect at the next sign-in (sessions already open keep the value they started with). */
  atNextSignIn?: true;
}

/**
 * The bounds of each general limit. Outside them a limit stops protecting anything
 * (one sign-in failure locking a user, a day-long idle session) or stops the desk
 * working, so a value outside them is refused, not clamped.
 */
export const limitRules: Record<LimitName, LimitRule> = {
  signInMaxFailures: {
    label: 'Failed sign-ins before the lock',
    help: 'Wrong passwords in a row that lock a user out.',
    unit: 'failures',
    min: 3,
    max: 20,
    section: 'signIn',
  },
  signInLockMinutes: {
    label: 'Sign-in lock',
    help: 'How long a locked user waits before trying again.',
    unit: 'minutes',
    min: 1,
    max: 1440,
    section: 'signIn',
  },
  idleLockMinutes: {
    label: 'Idle lock',
    help: 'A console left alone this long signs its user out.',
    unit: 'minutes',
    min: 1,
    max: 240,
    section: 'signIn',
    atNextSignIn: true,
  },
  sessionMaxHours: {
    label: 'Longest session',
    help: 'A session ends this long after sign-in, however active.',
    unit: 'hours',
    min: 1,
    max: 24,
    section: 'signIn',
    atNextSignIn: true,
  },
  accountSearchesPerHour: {
    label: 'Account searches per hour',
    help: 'Searches one user may make in an hour.',
    unit: 'searches',
    min: 10,
    max: 1000,
    section: 'signIn',
  },
  revealsPerDay: {
    label: 'Personal-data reveals per day',
    help: 'Fields one user may reveal in full in a day (UTC); the count starts again at midnight UTC.',
    unit: 'reveals',
    min: 1,
    max: 500,
    section: 'signIn',
  },
  redemptionFailuresPerHour: {
    label: 'Failed redemptions per hour',
    help: 'Wrong claim codes on one account in an hour before redemption is refused.',
    unit: 'failures',
    min: 3,
    max: 100,
    section: 'redemptionRecovery',
  },
  recoveryMaxFailures: {
    label: 'Failed recovery checks before the lock',
    help: 'Failed checks on one card, within the window, that lock its recovery.',
    unit: 'failures',
    min: 1,
    max: 10,
    section: 'redemptionRecovery',
  },
  recoveryWindowHours: {
    label: 'Recovery failure window',
    help: 'The span in which failed recovery checks are counted.',
    unit: 'hours',
    min: 1,
    max: 168,
    section: 'redemptionRecovery',
  },
  recoveryCaseMinutes: {
    label: 'Time to resolve a recovery case',
    help: 'How long a verified recovery case stays open to resolve.',
    unit: 'minutes',
    min: 5,
    max: 240,
    section: 'redemptionRecovery',
  },
};

export const limitNames = Object.keys(limitRules) as LimitName[];

export function isLimitName(value: string): value is LimitName {
  return Object.hasOwn(limitRules, value);
}

const singular: Record<LimitUnit, string> = { failures: 'failure', minutes: 'minute', hours: 'hour', searches: 'search', reveals: 'reveal' };

/** A value in words: "1 minute", "15 minutes", "60 searches". */
export function limitInWords(name: LimitName, value: number): string {
  const unit = limitRules[name].unit;
  return `${value.toLocaleString('en-US')} ${value === 1 ? singular[unit] : unit}`;
}

/** The bounds in words: "1 to 240 minutes". */
export function limitBoundsInWords(name: LimitName): string {
  const rule = limitRules[name];
  return `${rule.min.toLocaleString('en-US')} to ${rule.max.toLocaleString('en-US')} ${rule.unit}`;
}

/** The command-line name of a limit: `idleLockMinutes` → `idle-lock-minutes`. */
export function limitCliName(name: LimitName): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function limitFromCliName(text: string): LimitName | null {
  return limitNames.find((name) => limitCliName(name) === text.trim().toLowerCase()) ?? null;
}

/** What is wrong with this value for this limit, in words; null when it is allowed. */
export function limitValueProblem(name: LimitName, value: unknown): string | null {
  const rule = limitRules[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${rule.label} is a whole number of ${rule.unit}.`;
  if (value < rule.min || value > rule.max) return `${rule.label} must be ${limitBoundsInWords(name)}.`;
  return null;
}

/** A typed value ("15", " 15 ") as a limit's number, or the problem in words. */
export function parseLimitValue(name: LimitName, text: string): { ok: true; value: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  const value = /^\d{1,7}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  const problem = limitValueProblem(name, Number.isNaN(value) ? trimmed : value);
  return problem ? { ok: false, message: problem } : { ok: true, value };
}

// ---------- what `limits:get` and `limits:set` answer ----------

export interface CreditLimitRow {
  currency: Currency;
  maxPerRequestMinor: number;
  dualApprovalMinor: number;
}

export interface ApprovalLimitRow {
  username: string;
  displayName: string;
  currency: Currency;
  /** The supervisor's own limit (a supervisor without one approves up to the most per request). */
  amountMinor: number;
}

export interface LimitsOverview {
  general: Limits;
  credits: CreditLimitRow[];
  /** Pending credit requests expire after this many days (not changed here). */
  creditExpiryDays: number;
  /** Supervisors' own approval limits, by username then currency. */
  approvalLimits: ApprovalLimitRow[];
  /** Active supervisors, whom an own approval limit can be given. */
  supervisors: { username: string; displayName: string }[];
}

export interface LimitChange {
  /** False when the value was already the one asked for: nothing was written. */
  changed: boolean;
  /** What happened, in words. */
  message: string;
}
