/**
 * Every action the audit log records, in one naming scheme:
 * `<domain>.<verb>[.<outcome>]` — `card.redeemed` for the act, `card.redeem.refused`
 * for a refusal of it. `appendAudit` accepts only these, so a new action is one entry
 * here and a search for a refusal is one pattern (`*.refused`).
 *
 * Entries written before a rename keep their old name (the log is append-only and
 * hash-chained), so the list screen's filter takes any string.
 */
export const auditActions = [
  // sessions and users
  'session.signIn',
  'session.signIn.failed', // wrong username or password (counts toward the lock)
  'session.signIn.refused', // the user is locked
  'session.signOut',
  'session.idleLock',
  'user.created',
  'user.create.refused', // e.g. the name is taken
  'user.locked',
  'user.updated', // role, active or display name: old and new values in the details
  'user.update.refused', // e.g. the last active admin, or an admin deactivating themselves
  'user.passwordReset', // by an admin: a temporary password (never recorded) that must be changed
  'user.passwordReset.refused',
  'user.unlocked', // an admin cleared a sign-in lock
  'user.unlock.refused',
  'user.passwordChanged', // by the user, proving the current password
  'user.passwordChange.failed', // a wrong current password (counts toward the sign-in lock)
  'user.passwordChange.refused', // the user is locked
  'setup.createAdmin.refused', // first-run setup asked for on a store that has users
  // cards and accounts
  'card.lookup',
  'card.balanceInquiry',
  'card.redeemed',
  'card.redeem.refused',
  'account.viewed',
  'account.search',
  'account.search.refused',
  // personal data: one field in full, for a reason and a ticket (details: field and reason, never the value)
  'pii.revealed',
  'pii.reveal.refused', // no permission, the day's cap, an unknown subject or a field it does not have
  // damaged-code recovery
  'recovery.verify',
  'recovery.verify.refused',
  'recovery.locked',
  'recovery.unlocked',
  'recovery.unlock.refused', // e.g. by a supervisor who ran failed checks on the card
  'recovery.resolved',
  'recovery.resolve.refused',
  // manual credits
  'credit.requested',
  'credit.request.refused', // over the most per credit, or a currency that is not the account's (under the ticket asked for)
  'credit.approved',
  'credit.approve.refused',
  'credit.rejected',
  'credit.cancelled',
  'credit.expired',
  // administration
  'limits.changed', // before per-kind names (credit maximum and dual approval alike); no longer written
  'limits.generalChanged', // a general limit (sign-in, sessions, redemption, recovery, searches): old and new value
  'limits.creditMaxChanged', // the most per manual credit in one currency: old and new amount
  'limits.dualApprovalChanged', // two approvals from, in one currency: old and new amount
  'limits.approvalChanged', // a supervisor's own approval limit in one currency: old and new (null = none)
  'limits.set.refused',
  'demo.seeded',
  'cards.imported', // one entry per batch: batch id, file name, checksum, counts (never a code)
  'cards.import.refused', // bad rows or conflicts: nothing was written
  'cards.import.failed', // cancelled or failed part way: nothing was written
  'claimCodes.resealed', // start-up, once: stored codes bound to their card's serial
  'audit.verified',
  'audit.exported', // the filter, the row count, the entry it read up to, the file's name (never its folder) and SHA-256
] as const;

export type AuditAction = (typeof auditActions)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}
