/**
 * Error codes every channel may answer with. A service throws `AppError`; the IPC
 * wrapper turns it into `{ ok: false, error: { code, message, details } }`. Anything
 * else that escapes a service becomes `INTERNAL` with no stack trace.
 */
export const errorCodes = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'VALIDATION_FAILED',
  'INTERNAL',
  'STORE_UNAVAILABLE',
  'SIGN_IN_FAILED',
  'SIGN_IN_LOCKED',
  // Signed in with a temporary password: only changing it (or signing out) is allowed.
  'PASSWORD_CHANGE_REQUIRED',
  'USER_NOT_FOUND',
  'USER_NOT_LOCKED',
  'SERIAL_INVALID',
  'CARD_NOT_FOUND',
  'ACCOUNT_NOT_FOUND',
  'CLAIM_CODE_INVALID',
  'CLAIM_CODE_NOT_FOUND',
  'CLAIM_CODE_UNREADABLE',
  'CARD_ALREADY_REDEEMED',
  'MARKETPLACE_MISMATCH',
  'CARD_VOID',
  'REDEMPTION_RATE_LIMITED',
  'SEARCH_RATE_LIMITED',
  'BALANCE_LIMIT',
  'IDEMPOTENCY_CONFLICT',
  'RECOVERY_LOCKED',
  'RECOVERY_NOT_LOCKED',
  'CASE_NOT_FOUND',
  'CASE_NOT_VERIFIED',
  'CASE_EXPIRED',
  'CASE_ALREADY_RESOLVED',
  'CURRENCY_MISMATCH',
  'AMOUNT_INVALID',
  'AMOUNT_OVER_LIMIT',
  'SELF_APPROVAL_FORBIDDEN',
  'APPROVAL_LIMIT_EXCEEDED',
  'DUPLICATE_APPROVER',
  'REQUEST_NOT_FOUND',
  'REQUEST_NOT_PENDING',
  // Card batch import: rows refused (nothing written); stopped before the end (nothing written).
  'IMPORT_REJECTED',
  'IMPORT_CANCELLED',
  // Personal-data reveals: the day's cap is used up; the field does not exist on this subject (e.g. a shipping address of an e-mail card).
  'REVEAL_LIMIT_REACHED',
  'FIELD_NOT_APPLICABLE',
  // Audit export: the file could not be written (nothing was left behind).
  'EXPORT_FAILED',
  // The team server's transport: no such channel or address; too many calls from one address.
  'NOT_FOUND',
  'RATE_LIMITED',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export type ErrorDetails = Record<string, unknown>;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The answer of every channel. Nothing throws across IPC. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
