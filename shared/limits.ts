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
};
