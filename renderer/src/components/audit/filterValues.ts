/**
 * The Audit filter form's values → the shared filter (shared/auditFilter.ts): blank is
 * unset, a serial typed with spaces or dashes is its 19 digits, and the time inputs'
 * local `YYYY-MM-DDTHH:mm` becomes ISO in UTC, then the shared zod fields and the range
 * rule check it all (the same rules `audit:list` parses again).
 */
import { z } from 'zod';
import { auditFilterFields, rangeInOrder } from '../../../../shared/auditFilter';
import { parseSerial } from '../../../../shared/serial';

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** `2026-11-24T09:00` (a datetime-local input, local time) → ISO in UTC; anything unreadable goes on to fail the ISO rule. */
export function localToIso(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO → the datetime-local input's `YYYY-MM-DDTHH:mm` in local time. */
export function isoToLocal(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A serial typed with spaces or dashes is searched as its 19 digits; an account id as typed. */
function subjectOf(value: unknown): unknown {
  const bare = blank(value);
  if (typeof bare !== 'string') return bare;
  const serial = parseSerial(bare);
  return serial.ok ? serial.serial : bare.trim();
}

export const auditFilterFormSchema = z
  .object({
    actor: z.preprocess(blank, auditFilterFields.actor),
    action: z.preprocess(blank, auditFilterFields.action),
    subject: z.preprocess(subjectOf, auditFilterFields.subject),
    ticketId: z.preprocess(blank, auditFilterFields.ticketId),
    from: z.preprocess(localToIso, auditFilterFields.from),
    to: z.preprocess(localToIso, auditFilterFields.to),
  })
  .superRefine(rangeInOrder);
