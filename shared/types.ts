/**
 * The shapes that cross IPC. Plain JSON only: timestamps are ISO-8601 strings,
 * amounts are integers in `…Minor` fields beside their `currency`.
 */
import type { CreditLimits, CreditReason, CreditStatus } from './credits';
import type { Marketplace } from './marketplaces';
import type { Currency } from './money';
import type { RevealPermission } from './personalData';
import type { Role } from './roles';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

export interface SessionInfo {
  user: SessionUser;
  signedInAt: string;
  /** Minutes without activity after which the console signs the user out. */
  idleLockMinutes: number;
  /** Signed in with a temporary password: nothing but changing it (or signing out) is allowed until it is changed. */
  mustChangePassword: boolean;
  /** This user may reveal personal data (the screens show reveal controls only then; the main process decides each reveal). */
  canReveal: boolean;
}

/** A user as an admin sees them on the Users screen (never a password hash). */
export interface UserView {
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  /** Locked out of sign-in after too many failures, until `lockedUntil`. */
  locked: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  mustChangePassword: boolean;
  createdAt: string;
  /** An admin's choice: the role's default, granted or withdrawn. */
  revealPermission: RevealPermission;
  /** What that means for this user now (role and choice together). */
  canReveal: boolean;
}

/** A password reset's answer: the temporary password, shown once and never stored or recorded in clear. */
export interface PasswordReset {
  username: string;
  temporaryPassword: string;
}

export interface DemoUser {
  username: string;
  password: string;
  role: Role;
  displayName: string;
}

export interface AppInfo {
  version: string;
  store: 'sqlite' | 'postgres';
  /** Demo sign-ins, listed only while the demo dataset is in the store. */
  demoUsers: DemoUser[] | null;
}

export type CardStatus = 'active' | 'redeemed' | 'void';
export type DeliveryChannel = 'email' | 'physical';

export interface CardEventView {
  id: number;
  at: string;
  type: string;
  actor: string | null;
  ticketId: string | null;
  summary: string;
}

export interface CardRedemptionView {
  redeemedAt: string;
  accountId: string;
  accountName: string;
}

export interface CardDetails {
  serial: string;
  status: CardStatus;
  marketplace: Marketplace;
  currency: Currency;
  faceValueMinor: number;
  remainingValueMinor: number;
  claimCodeLast4: string;
  deliveryChannel: DeliveryChannel;
  /** Masked: first character of each word only. */
  purchaserName: string;
  recipientName: string;
  deliveryAddress: string;
  orderDate: string;
  redemption: CardRedemptionView | null;
  replacedBySerial: string | null;
  replacesSerial: string | null;
  /** When damaged-code recovery was locked for this card (after repeated failed checks), or null. */
  recoveryLockedAt: string | null;
  /** How many times a supervisor has unlocked recovery on this card. */
  recoveryUnlockCount: number;
  events: CardEventView[];
}

export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  ticketId: string | null;
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Pass as `beforeSeq` to get the next (older) page; null when there is none. */
  nextBeforeSeq: number | null;
}

/** `audit:export`: the rows written and the file's name (never its folder), or the dialog was closed (nothing written). */
export type AuditExportResult = { cancelled: false; rowCount: number; fileName: string } | { cancelled: true };

/** One broken link of the audit chain: the entry and what is wrong with it. */
export interface AuditBrokenLink {
  seq: number;
  reason: string;
}

/**
 * `audit:verify`: the chain up to the head captured when the check began. A broken
 * chain lists every broken link (at most `AUDIT_BROKEN_LIST_LIMIT`, first ones first)
 * with their total count; `firstBrokenSeq`/`reason` repeat the first one.
 */
export type AuditVerification =
  | { intact: true; checked: number; headSeq: number }
  | {
      intact: false;
      checked: number;
      headSeq: number;
      firstBrokenSeq: number;
      reason: string;
      brokenCount: number;
      broken: AuditBrokenLink[];
    };

export const AUDIT_BROKEN_LIST_LIMIT = 100;

export type NotRedeemableReason = 'redeemed' | 'void';

/** `cards:balance`: what is left on a card, without redeeming it. */
export interface CardBalance {
  serial: string;
  status: CardStatus;
  marketplace: Marketplace;
  currency: Currency;
  faceValueMinor: number;
  remainingValueMinor: number;
  redeemable: boolean;
  notRedeemableReason: NotRedeemableReason | null;
  redeemedAt: string | null;
  /** The account a redeemed card's value went to. */
  redeemedToAccountId: string | null;
}

export interface AccountSummary {
  id: string;
  marketplace: Marketplace;
  currency: Currency;
  /** Masked, like all personal data. */
  displayName: string;
  email: string;
  balanceMinor: number;
}

export type LedgerEntryType = 'redemption' | 'manual_credit' | 'recovery_credit';

export interface LedgerEntryView {
  id: number;
  at: string;
  type: LedgerEntryType;
  reason: string | null;
  amountMinor: number;
  balanceAfterMinor: number;
  actor: string | null;
  ticketId: string | null;
  cardSerial: string | null;
}

export interface BalancePoint {
  at: string;
  balanceMinor: number;
}

export interface AccountDetails extends AccountSummary {
  createdAt: string;
  /** Newest first. */
  ledger: LedgerEntryView[];
  /** Pass as `beforeId` for the next (older) page; null when there is none. */
  nextBeforeId: number | null;
  /** The balance after each of the latest entries, oldest first, for the chart. */
  history: BalancePoint[];
}

export interface RedemptionResult {
  serial: string;
  claimCodeLast4: string;
  accountId: string;
  amountMinor: number;
  currency: Currency;
  /** The account's balance after the redemption. */
  balanceMinor: number;
  ledgerEntryId: number;
  redeemedAt: string;
}

export type FieldCheck = 'match' | 'close' | 'mismatch';
/** Order number and delivery address: never "close", which would be an oracle on the record. */
export type ExactCheck = 'match' | 'mismatch';
/**
 * The legible fragment is compared with the code only when every other fact matches;
 * otherwise it is `notChecked`, so a failed check says nothing about the code.
 */
export type FragmentCheck = 'consistent' | 'inconsistent' | 'notChecked';

/** Per-field results of a recovery check: never the stored values. */
export interface RecoveryChecks {
  orderNumber: ExactCheck;
  purchaserName: FieldCheck;
  recipientName: FieldCheck;
  deliveryAddress: ExactCheck;
  claimCodeFragment?: FragmentCheck;
}

export interface RecoveryVerification {
  caseId: string;
  outcome: 'verified' | 'failed' | 'locked';
  checks: RecoveryChecks;
  /** Failed checks left before recovery locks for this card. */
  attemptsRemaining: number;
  /** Set when this check locked recovery (until a supervisor unlocks it). */
  lockedAt: string | null;
  /** A verified case must be resolved before this time. */
  expiresAt: string | null;
}

interface ResolutionOf {
  caseId: string;
  /** The recovered card. */
  serial: string;
  amountMinor: number;
  currency: Currency;
  resolvedAt: string;
}

/**
 * How a verified recovery case was resolved; narrow on `action`. Each answer carries
 * the other action's fields as null, so the wire shape is one object either way.
 */
export type RecoveryResolution =
  | (ResolutionOf & {
      action: 'redeemToAccount';
      /** Where the value went and the account's balance after. */
      accountId: string;
      balanceMinor: number;
      replacementSerial: null;
      delivery: null;
    })
  | (ResolutionOf & {
      action: 'reissue';
      accountId: null;
      balanceMinor: null;
      /** The replacement card and where it goes (masked). */
      replacementSerial: string;
      delivery: { channel: DeliveryChannel; destination: string };
    });

export interface RecoveryUnlock {
  serial: string;
  unlockedAt: string;
}

export interface CreditApprovalView {
  approver: string;
  approverName: string;
  at: string;
  note: string | null;
}

export interface CreditRequestView {
  id: number;
  account: { id: string; marketplace: Marketplace; displayName: string };
  amountMinor: number;
  currency: Currency;
  reason: CreditReason;
  note: string | null;
  ticketId: string;
  serial: string | null;
  requester: { username: string; displayName: string };
  status: CreditStatus;
  createdAt: string;
  expiresAt: string;
  requiredApprovals: number;
  approvals: CreditApprovalView[];
  decidedAt: string | null;
  decidedBy: string | null;
  rejectionReason: string | null;
  ledgerEntryId: number | null;
}

export interface CreditPage {
  requests: CreditRequestView[];
  /** Pass as `cursor` for the next page; null when there is none. */
  nextCursor: number | null;
}

export interface CreditLimitsView extends CreditLimits {
  /** The signed-in supervisor's own approval limit per currency; null for others. */
  myApprovalLimitMinor: Record<Currency, number> | null;
}
