/**
 * Limits (DESIGN.md §1). Stored as settings an admin may change; these are the
 * defaults used when a setting is absent.
 */
export interface Limits {
  signInMaxFailures: number;
  signInLockMinutes: number;
  idleLockMinutes: number;
}

export const defaultLimits: Limits = {
  signInMaxFailures: 5,
  signInLockMinutes: 15,
  idleLockMinutes: 15,
};
