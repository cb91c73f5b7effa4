/**
 * Revealing personal data (DESIGN.md "Personal data"): which fields a reveal may ask
 * for on which subject, who may reveal (the permission), and the words the service,
 * the contract and the screens share. Everything else about personal data stays masked
 * (shared/mask.ts); a reveal answers ONE field of ONE subject, for a reason and a ticket.
 */
import type { Role } from './roles';

export const revealSubjectTypes = ['card', 'account'] as const;
export type RevealSubjectType = (typeof revealSubjectTypes)[number];

export const cardRevealFields = ['purchaserName', 'recipientName', 'deliveryEmail', 'shippingAddress'] as const;
export const accountRevealFields = ['accountEmail', 'accountName'] as const;
export const revealFields = [...cardRevealFields, ...accountRevealFields] as const;
export type RevealField = (typeof revealFields)[number];

export const revealFieldLabels: Record<RevealField, string> = {
  purchaserName: 'purchaser name',
  recipientName: 'recipient name',
  deliveryEmail: 'delivery e-mail',
  shippingAddress: 'shipping address',
  accountEmail: 'account e-mail',
  accountName: 'account name',
};

/** Which subject a field belongs to. */
export function revealFieldSubject(field: RevealField): RevealSubjectType {
  return (accountRevealFields as readonly string[]).includes(field) ? 'account' : 'card';
}

/** How long the screen shows a revealed value before masking it again. */
export const REVEAL_VISIBLE_SECONDS = 60;

export const REVEAL_REASON_MIN = 5;
export const REVEAL_REASON_MAX = 300;
/** A reason is words: at least two of two letters or more (not "x", not "123", not "..."). */
export const REVEAL_REASON_WORDS = /\p{L}{2,}[^\p{L}]+\p{L}{2,}/u;
export const REVEAL_REASON_RULE = 'Say why in a few words, e.g. "caller disputes who bought the card".';

/**
 * An admin's choice for one user: the role's default, or granted / withdrawn whatever
 * the role (stored as a nullable boolean: null, true, false).
 */
export const revealPermissions = ['roleDefault', 'granted', 'withdrawn'] as const;
export type RevealPermission = (typeof revealPermissions)[number];

export const revealPermissionLabels: Record<RevealPermission, string> = {
  roleDefault: "The role's default",
  granted: 'Granted',
  withdrawn: 'Withdrawn',
};

/** Supervisors reveal by default; agents only when granted; admins never (they do not work cards or accounts). */
export function roleRevealsByDefault(role: Role): boolean {
  return role === 'supervisor';
}

export function mayReveal(role: Role, permission: RevealPermission): boolean {
  if (role === 'admin') return false;
  if (permission === 'granted') return true;
  if (permission === 'withdrawn') return false;
  return roleRevealsByDefault(role);
}

export function revealPermissionFromColumn(value: unknown): RevealPermission {
  if (value === null || value === undefined) return 'roleDefault';
  return value === true || value === 1 || value === '1' ? 'granted' : 'withdrawn';
}

export function revealPermissionToColumn(permission: RevealPermission): boolean | null {
  return permission === 'roleDefault' ? null : permission === 'granted';
}

/** What `pii:reveal` answers: the one field in full, and how long to show it. */
export interface RevealedField {
  subjectType: RevealSubjectType;
  /** The canonical serial or the account id. */
  subjectId: string;
  field: RevealField;
  value: string;
  visibleForSeconds: number;
  /** Reveals this user has left today after this one. */
  revealsLeftToday: number;
}
