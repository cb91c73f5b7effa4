/**
 * `audit:export` and `giftdesk audit export`: the entries a filter selects, newest first,
 * as CSV, read in pages by seq (the same query as `audit:list`, so each page is answered
 * from the search indexes) and streamed to the file: the export never holds more than one
 * page. It reads up to the chain's head as it stood when it began, so entries appended
 * meanwhile (its own among them) are not in the file.
 *
 * The file appears whole or not at all: rows go to a temporary file beside it, renamed
 * over the chosen name once complete; a failure removes the temporary file.
 *
 * Cells are neutralised for spreadsheets: a text cell starting with = + - @ (or a tab
 * or carriage return) gets a leading apostrophe, so a value a hostile user typed (an
 * account search, a note, a ticket id) cannot become a formula when the file is opened.
 *
 * The export is audited (`audit.exported`) with its filter, row count, the entry it read
 * up to, the file's name and the SHA-256 of its bytes — never the folder, which would
 * put a user's home directory (and so their login) into the log.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { AuditFilter } from '../../shared/auditFilter';
import { AppError } from '../../shared/errors';
import type { AuditEntryView } from '../../shared/types';
import { toInt } from '../db/values';
import { readAuditPage, recordAudit } from './audit';
import type { Operator, ServiceDeps } from './context';

/** Rows per query: one page is all the export holds at a time. */
export const AUDIT_EXPORT_PAGE_SIZE = 1000;

export const auditCsvColumns = ['seq', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'ticket_id', 'details', 'hash'] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell a spreadsheet will show as text: a leading apostrophe before = + - @ (and tab, CR). */
export function spreadsheetSafe(value: string | null): string {
  if (value === null) return '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One entry as the CSV's cells, in `auditCsvColumns` order. */
export function auditCsvRecord(entry: AuditEntryView): string[] {
  return [
    String(entry.seq),
    entry.at,
    spreadsheetSafe(entry.actor),
    spreadsheetSafe(entry.action),
    spreadsheetSafe(entry.subjectType),
    spreadsheetSafe(entry.subjectId),
    spreadsheetSafe(entry.ticketId),
    spreadsheetSafe(JSON.stringify(entry.details)),
    entry.hash,
  ];
}

export interface AuditExportOptions {
  /** Rows per query (tests make it small). */
  pageSize?: number;
}

/** The filter as recorded: only the fields that were given. */
function givenFilter(filter: AuditFilter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => typeof value === 'string' && value !== '')) as Record<string, string>;
}

const WRITE_PROBLEMS: Record<string, string> = {
  EACCES: 'Giftdesk may not write to that folder',
  EPERM: 'Giftdesk may not write to that folder',
  EROFS: 'that folder is read-only',
  ENOENT: 'that folder does not exist',
  ENOTDIR: 'that folder does not exist',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'that name is a folder',
};

function writeFailed(error: unknown): AppError {
  const code = (error as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? WRITE_PROBLEMS[code] : undefined;
  return new AppError('EXPORT_FAILED', `The audit log could not be exported: ${why ?? 'the file could not be written'}. No file was left behind; choose another place and try again.`);
}

/** Writes the entries the filter selects to `file` as CSV; audited. */
export async function exportAudit(
  deps: ServiceDeps,
  actor: Operator,
  filter: AuditFilter,
  file: string,
  options: AuditExportOptions = {},
): Promise<{ rowCount: number; fileName: string }> {
  const pageSize = options.pageSize ?? AUDIT_EXPORT_PAGE_SIZE;
  const head = await deps.db('audit_head').where({ id: 1 }).first('seq');
  if (!head) throw new Error('audit chain head is missing');
  const upToSeq = toInt(head.seq);
  const target = path.resolve(file);
  const fileName = path.basename(target);
  const temp = path.join(path.dirname(target), `.${fileName}.${randomBytes(6).toString('hex')}.partial`);
  let rowCount = 0;
  const digest = createHash('sha256');

  async function* records(): AsyncGenerator<string[]> {
    let beforeSeq: number | undefined;
    for (;;) {
      const page = await readAuditPage(deps.db, { ...filter, beforeSeq, upToSeq, limit: pageSize });
      for (const entry of page.entries) {
        rowCount += 1;
        yield auditCsvRecord(entry);
      }
      if (page.nextBeforeSeq === null) return;
      beforeSeq = page.nextBeforeSeq;
    }
  }

  try {
    await pipeline(
      Readable.from(records()),
      stringify({ header: true, columns: [...auditCsvColumns] }),
      new Transform({
        transform(chunk: Buffer | string, _encoding, callback) {
          digest.update(chunk);
          callback(null, chunk);
        },
      }),
      // wx: a fresh file of our own; never follows a link someone planted at the temporary name.
      createWriteStream(temp, { flags: 'wx', mode: 0o600 }),
    );
    // On record before the file is there under its name: an export is never unaudited.
    await recordAudit(deps.db, deps.clock, {
      actor: actor.username,
      action: 'audit.exported',
      details: { filter: givenFilter(filter), rowCount, upToSeq, fileName, sha256: digest.digest('hex') },
    });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof AppError) throw error;
    if (typeof (error as { code?: unknown } | null)?.code === 'string' && (error as { syscall?: unknown }).syscall) throw writeFailed(error);
    throw error;
  }
  return { rowCount, fileName };
}
