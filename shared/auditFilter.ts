/**
 * The audit log's search filter, shared by `audit:list`, `audit:export` and the Audit
 * screen's form: any combination of actor, action prefix, subject, ticket and a time
 * range. Every field is optional; an empty filter is the whole log.
 */
import { z } from 'zod';

const isoTime = (field: string) =>
  z.iso.datetime({ offset: true, error: `Enter the ${field} time as an ISO date and time (e.g. 2026-11-24T09:00:00Z).` });

export const auditFilterFields = {
  /** A username, exactly. */
  actor: z.string().trim().min(1, 'Enter a username.').max(64, 'A username has at most 64 characters.').optional(),
  /** The start of an action name: `card.` finds every card action, `card.redeem` redemptions and their refusals. */
  action: z
    .string()
    .trim()
    .max(64, 'An action has at most 64 characters.')
    .regex(/^[A-Za-z.]*$/, 'An action is letters and dots only (e.g. card. or credit.approved).')
    .optional(),
  /** A card serial or an account id, exactly. */
  subject: z.string().trim().min(1, 'Enter a serial or an account id.').max(64, 'A subject has at most 64 characters.').optional(),
  ticketId: z.string().trim().min(1, 'Enter the ticket id.').max(64, 'A ticket id has at most 64 characters.').optional(),
  /** Inclusive. */
  from: isoTime('from').optional(),
  /** Exclusive. */
  to: isoTime('to').optional(),
};

export const auditFilter = z.object(auditFilterFields);
export type AuditFilter = z.infer<typeof auditFilter>;

export const AUDIT_RANGE_BACKWARDS = 'The "to" time must be after the "from" time.';

/** The time range's order, as a refinement the contract and the screen's form apply by name. */
export function rangeInOrder(value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.from && value.to && Date.parse(value.to) <= Date.parse(value.from)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: AUDIT_RANGE_BACKWARDS });
  }
}
