/**
 * Field rules shared by the contract (parsed in the main process) and the renderer's
 * forms (validated as the user types): each message exists once. Cross-field rules are
 * refinements a schema applies by name, so a form built from a subset of a channel's
 * fields applies the same rule.
 */
import { z } from 'zod';
import { fragmentProblem, parseClaimCode } from './claimCode';

export const ticketId = z
  .string()
  .trim()
  .min(1, 'Enter the ticket id.')
  .max(64, 'A ticket id has at most 64 characters.');

export const accountId = z.string().trim().min(1, 'Choose an account.').max(32);

/** A claim code as the caller reads it: its shape (14–15 letters and digits) in words. */
export const claimCode = z
  .string()
  .max(64, 'A claim code has 14 or 15 characters.')
  .superRefine((value, ctx) => {
    const parsed = parseClaimCode(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
  });

/** The legible part of a damaged code, `?` for each unreadable character; empty = not given. */
export const claimCodeFragment = z
  .string()
  .max(64, 'The code has 14 or 15 characters.')
  .superRefine((value, ctx) => {
    if (value.trim() === '') return;
    const problem = fragmentProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const OTHER_NEEDS_NOTE = 'A note is required when the reason is Other.';

/** Credit reasons: `OTHER` needs a note saying what it is. */
export function noteRequiredForOther(value: { reason?: string | undefined; note?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.reason === 'OTHER' && !value.note?.trim()) {
    ctx.addIssue({ code: 'custom', path: ['note'], message: OTHER_NEEDS_NOTE });
  }
}

/** The largest id an `increments`/`integer` column holds on every engine (PostgreSQL `integer`). */
export const MAX_RECORD_ID = 2 ** 31 - 1;

/**
 * A whole number from `min` to `max`, with one message naming the field for every way
 * it can be wrong (a string, NaN, a fraction, out of range), so that no number the
 * database cannot hold ever reaches a query.
 */
export function boundedInt(field: string, min: number, max: number) {
  const message = `${field} must be a whole number from ${min} to ${max}.`;
  // One check, so that one wrong value is one issue (z.int().min().max() reports 2^53 twice).
  return z.number({ error: message }).refine((value) => Number.isSafeInteger(value) && value >= min && value <= max, message);
}

/** The id of a row (credit request, ledger entry …): 1 to 2^31 − 1. */
export const recordId = (field: string) => boundedInt(field, 1, MAX_RECORD_ID);

/** A position in a bigint sequence (the audit log): any safe positive integer. */
export const sequenceNumber = (field: string) => boundedInt(field, 1, Number.MAX_SAFE_INTEGER);

/** How many rows a page holds: 1 to `max`, `fallback` when not given. */
export const pageSize = (max: number, fallback: number) => boundedInt('limit', 1, max).default(fallback);
