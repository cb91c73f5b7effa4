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
import { once } from 'node:events';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
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

/** A file-system failure (it has a code and a syscall) in words; anything else as it was. */
export function asExportError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (typeof (error as { code?: unknown } | null)?.code === 'string' && (error as { syscall?: unknown }).syscall) return writeFailed(error);
  return error;
}

/** A file-system failure while writing an export, in words. */
export function writeFailed(error: unknown): AppError {
  const code = (error as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? WRITE_PROBLEMS[code] : undefined;
  return new AppError('EXPORT_FAILED', `The audit log could not be exported: ${why ?? 'the file could not be written'}. No file was left behind; choose another place and try again.`);
}

/** Where `writeAuditCsv` sends the CSV: any stream (a temporary file, an HTTP response), and the name the export is recorded under. */
export interface AuditCsvSink {
  stream: Writable;
  /** The file's name only (never its folder): what the audit entry records. */
  fileName: string;
}

/**
 * The ONE export: reads the entries the filter selects page by page, writes them to the
 * sink as CSV (header first) and, once the sink has taken every byte, records
 * `audit.exported` with the row count and the SHA-256 of exactly those bytes. The sink
 * is ended when the CSV is complete. A failure (reading, writing, recording) rejects;
 * the caller then throws away what the sink received (the file case removes its
 * temporary file, the HTTP case breaks the response off before its completion trailer).
 */
export async function writeAuditCsv(
  deps: ServiceDeps,
  actor: Operator,
  filter: AuditFilter,
  sink: AuditCsvSink,
  options: AuditExportOptions = {},
): Promise<{ rowCount: number; fileName: string; sha256: string }> {
  const pageSize = options.pageSize ?? AUDIT_EXPORT_PAGE_SIZE;
  const head = await deps.db('audit_head').where({ id: 1 }).first('seq');
  if (!head) throw new Error('audit chain head is missing');
  const upToSeq = toInt(head.seq);
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

  await pipeline(
    Readable.from(records()),
    stringify({ header: true, columns: [...auditCsvColumns] }),
    new Transform({
      transform(chunk: Buffer | string, _encoding, callback) {
        digest.update(chunk);
        callback(null, chunk);
      },
    }),
    sink.stream,
  );
  const sha256 = digest.digest('hex');
  // On record before the export counts as done (the file renamed, the response's trailer sent): an export is never unaudited.
  await recordAudit(deps.db, deps.clock, {
    actor: actor.username,
    action: 'audit.exported',
    details: { filter: givenFilter(filter), rowCount, upToSeq, fileName: sink.fileName, sha256 },
  });
  return { rowCount, fileName: sink.fileName, sha256 };
}

/** A fresh temporary file to write an export into. wx: our own file; never follows a link someone planted at its name. */
export async function openTemporary(temp: string): Promise<Writable> {
  const handle = await open(temp, 'wx', 0o600);
  return handle.createWriteStream();
}

/** Closes the temporary file (if it was opened) and removes it: nothing half-written stays. */
export async function discardTemporary(stream: Writable | undefined, temp: string): Promise<void> {
  if (stream && !stream.closed) {
    const closed = once(stream, 'close').catch(() => undefined);
    stream.destroy();
    await closed;
  }
  await rm(temp, { force: true });
}

/** Writes the entries the filter selects to `file` as CSV; audited. */
export async function exportAudit(
  deps: ServiceDeps,
  actor: Operator,
  filter: AuditFilter,
  file: string,
  options: AuditExportOptions = {},
): Promise<{ rowCount: number; fileName: string }> {
  const target = path.resolve(file);
  const fileName = path.basename(target);
  const temp = path.join(path.dirname(target), `.${fileName}.${randomBytes(6).toString('hex')}.partial`);
  let rowCount: number;
  let stream: Writable | undefined;
  try {
    stream = await openTemporary(temp);
    const written = await writeAuditCsv(deps, actor, filter, { stream, fileName }, options);
    rowCount = written.rowCount;
    await rename(temp, target);
  } catch (error) {
    await discardTemporary(stream, temp);
    throw asExportError(error);
  }
  return { rowCount, fileName };
}
