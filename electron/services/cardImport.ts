/**
 * Card batch import (issue 13): a CSV file from the issuer's order system, streamed
 * through csv-parse (never read whole), every row checked with the app's shared rules
 * (shared/cardImport.ts), the cards sealed and written by cardIssue.ts.
 *
 * The whole batch is ONE write transaction: a bad row (default policy), a cancel, a
 * Ctrl-C or a killed process leaves the store exactly as it was. With `skipInvalid`
 * the valid rows go in and the refused ones are written to `rejects` (the original
 * fields plus a reason). A row identical to a card already in the store is counted as
 * already present (re-importing a file changes nothing); a different row for a stored
 * serial, or a claim code another card has, is a problem — never an overwrite.
 *
 * Speed: rows are handled in chunks of INSERT_ROWS_PER_STATEMENT. Each chunk's
 * serials and code digests are looked up in the store with two indexed IN queries (no
 * query per row), and its INSERT runs (on the driver's thread) while the next chunk is
 * parsed, checked and sealed. A serial or code twice in the file is found the same
 * way: the earlier row is already in the store, inserted by this batch (its id is
 * above the highest id the store had when the batch began — writers are serialised
 * by the audit head lock, so no one else inserts meanwhile).
 *
 * Every run leaves one `card_import_batches` row and one audit entry: written with the
 * cards on success (`cards.imported`), or after the rollback for a refused
 * (`cards.import.refused`), cancelled or failed run (`cards.import.failed`).
 * Neither holds a claim code or any row's data: counts, the file's name and checksum.
 */
import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import type { Knex } from 'knex';
import {
  CARD_IMPORT_COLUMNS,
  checkCardRow,
  headerProblem,
  IMPORT_PROBLEMS_LISTED,
  type CardImportColumn,
  type CheckedCardRow,
  type ImportProblem,
  type ImportProgress,
  type ImportSummary,
} from '../../shared/cardImport';
import { AppError, isAppError } from '../../shared/errors';
import { writeTransaction } from '../db/transaction';
import { toDate, toInt } from '../db/values';
import { appendAudit } from './audit';
import { INSERT_ROWS_PER_STATEMENT, insertSealedCards, sealCards, type SealedCardRow } from './cardIssue';
import type { Operator, ServiceDeps } from './context';

export type { ImportProblem, ImportProgress, ImportSummary } from '../../shared/cardImport';

export interface ImportOptions {
  /** The file's name as the batch record and the audit log keep it (no directory needed). */
  fileName: string;
  /** Import the valid rows and report the others instead of refusing the whole file. */
  skipInvalid?: boolean;
  /** Where refused rows go with `skipInvalid`: CSV, the original fields plus `reason`. */
  rejects?: NodeJS.WritableStream;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

type Outcome = 'imported' | 'refused' | 'cancelled' | 'failed';

/** Counts the file's bytes, hashes them, and answers which line a byte offset is on. */
class FileTap extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  ended = false;
  /** Chunks not yet passed by the line cursor, with their start offsets. */
  private chunks: { start: number; buf: Buffer }[] = [];
  private cursorOffset = 0;
  private cursorLines = 0;

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.hash.update(buf);
    this.chunks.push({ start: this.bytes, buf });
    this.bytes += buf.length;
    done(null, buf);
  }

  override _flush(done: TransformCallback): void {
    this.ended = true;
    done();
  }

  /** Line breaks (LF, so CRLF counts once) before `offset`; offsets only move forward. */
  newlinesBefore(offset: number): number {
    while (this.cursorOffset < offset && this.chunks.length > 0) {
      const { start, buf } = this.chunks[0]!;
      const end = Math.min(offset, start + buf.length);
      let at = this.cursorOffset - start;
      for (;;) {
        const found = buf.indexOf(10, at);
        if (found < 0 || start + found >= end) break;
        this.cursorLines += 1;
        at = found + 1;
      }
      this.cursorOffset = end;
      if (end === start + buf.length) this.chunks.shift();
    }
    return this.cursorLines;
  }
}

interface PendingRow {
  line: number;
  fields: string[];
  card: CheckedCardRow;
}

interface StoredCard {
  id: unknown;
  serial: string;
  marketplace: string;
  face_value_minor: unknown;
  claim_code_digest: string;
  order_number: string;
  ordered_at: unknown;
  purchaser_name: string;
  recipient_name: string;
  delivery_channel: string;
  delivery_email: string | null;
  delivery_address: string | null;
}

/** The columns of a file row that differ from the stored card (the code compared by digest). */
function differences(stored: StoredCard, row: SealedCardRow): CardImportColumn[] {
  const out: CardImportColumn[] = [];
  if (stored.claim_code_digest !== row.claim_code_digest) out.push('claim_code');
  if (stored.marketplace !== row.marketplace) out.push('marketplace');
  if (toInt(stored.face_value_minor) !== row.face_value_minor) out.push('face_value');
  if (stored.order_number !== row.order_number) out.push('order_number');
  if (toDate(stored.ordered_at).getTime() !== row.ordered_at.getTime()) out.push('ordered_at');
  if (stored.purchaser_name !== row.purchaser_name) out.push('purchaser_name');
  if (stored.recipient_name !== row.recipient_name) out.push('recipient_name');
  if (stored.delivery_channel !== row.delivery_channel) out.push('delivery_channel');
  if ((stored.delivery_email ?? null) !== row.delivery_email) out.push('delivery_email');
  if ((stored.delivery_address ?? null) !== row.delivery_address) out.push('shipping_address');
  return out;
}

const cancelledMessage = (line: number) =>
  `The import was cancelled${line > 0 ? ` at line ${line}` : ''}; nothing was imported and the store is as it was.`;

/** Stops a run: a bad file (refused) or a cancel, with what to record about it. */
class Stop extends Error {
  constructor(
    readonly error: AppError,
    readonly outcome: Outcome,
  ) {
    super(error.message);
  }
}

/** csv-parse's own errors as a refusal in words (its messages may quote the file's text, so they are not passed on). */
function csvProblem(error: unknown, lastLine: number): Stop | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('CSV_')) return null;
  const at = (error as { lines?: unknown }).lines;
  const line = typeof at === 'number' && at > 0 ? at : lastLine + 1;
  const reason =
    code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'A quoted field is not closed before the end of the file.'
      : code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
        ? 'A quote must be followed by a comma or the end of the line; a quote inside a field is written twice, in a quoted field.'
        : code === 'CSV_MAX_RECORD_SIZE'
          ? 'A row is longer than 64 KiB (a quote left open?).'
          : `The file is not well-formed CSV here (${code}).`;
  return new Stop(
    new AppError('IMPORT_REJECTED', `The file is not well-formed CSV at line ${line}: ${reason} Nothing was imported.`, {
      problems: [{ line, column: null, reason }],
    }),
    'refused',
  );
}

export function problemText(problem: ImportProblem): string {
  return `line ${problem.line}${problem.column ? `, ${problem.column}` : ''}: ${problem.reason}`;
}

export async function importCards(
  deps: ServiceDeps,
  actor: Operator,
  source: NodeJS.ReadableStream,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const startedAt = deps.clock.now();
  const fileName = options.fileName.slice(0, 260);
  const skipInvalid = options.skipInvalid ?? false;
  const signal = options.signal;

  const tap = new FileTap();
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true, max_record_size: 64 * 1024 });
  const rejectsOut = skipInvalid && options.rejects ? stringify() : null;
  if (rejectsOut && options.rejects) rejectsOut.pipe(options.rejects);

  const counts = { rowsRead: 0, imported: 0, alreadyPresent: 0, rejected: 0 };
  const problems: ImportProblem[] = [];
  let lastLine = 0;
  /** Bytes of the file parsed so far (the reader runs a few chunks ahead of this). */
  let parsedBytes = 0;
  let header: string[] | null = null;

  const progress = () =>
    options.onProgress?.({ rowsRead: counts.rowsRead, bytesRead: parsedBytes, imported: counts.imported, alreadyPresent: counts.alreadyPresent, rejected: counts.rejected });

  const reject = async (problem: ImportProblem, fields: string[] | null) => {
    counts.rejected += 1;
    if (problems.length < IMPORT_PROBLEMS_LISTED) problems.push(problem);
    if (rejectsOut && fields) {
      if (!rejectsOut.write([...fields, problemText(problem)])) await new Promise((resolve) => rejectsOut.once('drain', resolve));
    }
    if (!skipInvalid && problems.length >= IMPORT_PROBLEMS_LISTED) throw refused();
  };

  const refused = () => {
    const more = counts.rejected - problems.length;
    const readAll = tap.ended;
    return new Stop(
      new AppError(
        'IMPORT_REJECTED',
        `${counts.rejected} row${counts.rejected === 1 ? '' : 's'} of ${fileName} ${counts.rejected === 1 ? 'was' : 'were'} refused` +
          (readAll ? '' : ` (reading stopped at line ${lastLine})`) +
          `; nothing was imported.\n` +
          problems.map((p) => `  ${problemText(p)}\n`).join('') +
          (more > 0 ? `  … and ${more} more.\n` : '') +
          'Correct the file and import it again, or import the valid rows with --skip-invalid.',
        { problems, rejected: counts.rejected, rowsRead: counts.rowsRead },
      ),
      'refused',
    );
  };

  const cancelled = () => new Stop(new AppError('IMPORT_CANCELLED', cancelledMessage(lastLine)), 'cancelled');

  const onAbort = () => parser.destroy(cancelled());
  // Errors anywhere (the file unreadable, the CSV malformed, a cancel) end the parser's iteration.
  pipeline(source as Readable, tap, parser, () => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });

  let entered = false;
  let batchId = 0;
  try {
    if (signal?.aborted) throw cancelled();
    const summary = await writeTransaction(deps.db, async (trx) => {
      // The file is read once: a retried transaction could not read it again.
      if (entered) throw new Error('the import transaction cannot be retried; run the import again');
      entered = true;
      const maxRow = await trx('cards').max({ m: 'id' }).first();
      const maxIdBefore = maxRow?.m == null ? 0 : toInt(maxRow.m);
      const now = deps.clock.now();

      let chunk: PendingRow[] = [];
      let inFlight: Promise<unknown> | null = null;

      const flush = async () => {
        if (chunk.length === 0) return;
        const rows = chunk;
        chunk = [];
        const sealed = sealCards(
          deps.vault,
          rows.map(({ card }) => ({ ...card, status: 'active' as const, createdAt: now })),
        );
        // The previous chunk must be in before this one is checked against the store.
        if (inFlight) await inFlight;
        inFlight = null;
        const stored = await findStored(trx, sealed);
        const inChunkSerial = new Map<string, number>();
        const inChunkDigest = new Map<string, number>();
        const toInsert: SealedCardRow[] = [];
        for (let i = 0; i < rows.length; i++) {
          const { line, fields } = rows[i]!;
          const row = sealed[i]!;
          const fail = (column: CardImportColumn | null, reason: string) => reject({ line, column, reason }, fields);
          const serialFirst = inChunkSerial.get(row.serial);
          if (serialFirst !== undefined) {
            await fail('serial', `This serial is also on line ${serialFirst} of the file.`);
            continue;
          }
          const digestFirst = inChunkDigest.get(row.claim_code_digest);
          if (digestFirst !== undefined) {
            await fail('claim_code', `This claim code is also on line ${digestFirst} of the file.`);
            continue;
          }
          const bySerial = stored.bySerial.get(row.serial);
          if (bySerial) {
            if (toInt(bySerial.id) > maxIdBefore) {
              await fail('serial', 'This serial is also on an earlier line of the file.');
              continue;
            }
            const differ = differences(bySerial, row);
            if (differ.length === 0) {
              counts.alreadyPresent += 1;
              continue;
            }
            await fail(
              differ[0]!,
              `Conflict: card ${row.serial} is already in the store with a different ${differ.join(', ')}; it was not changed.`,
            );
            continue;
          }
          const byDigest = stored.byDigest.get(row.claim_code_digest);
          if (byDigest !== undefined) {
            await fail(
              'claim_code',
              byDigest > maxIdBefore
                ? 'This claim code is also on an earlier line of the file.'
                : 'This claim code already belongs to another card in the store.',
            );
            continue;
          }
          inChunkSerial.set(row.serial, line);
          inChunkDigest.set(row.claim_code_digest, line);
          toInsert.push(row);
        }
        counts.imported += toInsert.length;
        if (toInsert.length > 0) {
          const pending = insertSealedCards(trx, toInsert);
          pending.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
          inFlight = pending;
        }
        progress();
      };

      let prevEnd = 0;
      let prevEmpty = 0;
      try {
        for await (const item of parser as AsyncIterable<{ record: string[]; info: { bytes: number; empty_lines: number } }>) {
          if (signal?.aborted) throw cancelled();
          const { record, info } = item;
          const line = tap.newlinesBefore(prevEnd) + 1 + (info.empty_lines - prevEmpty);
          prevEnd = info.bytes;
          parsedBytes = info.bytes;
          prevEmpty = info.empty_lines;
          lastLine = line;
          if (header === null) {
            const problem = headerProblem(record);
            if (problem) {
              throw new Stop(new AppError('IMPORT_REJECTED', `${fileName}: ${problem} Nothing was imported.`, { problems: [{ line, column: null, reason: problem }] }), 'refused');
            }
            header = record.map((name) => name.trim().toLowerCase());
            if (rejectsOut) rejectsOut.write([...record, 'reason']);
            continue;
          }
          counts.rowsRead += 1;
          if (record.length !== header.length) {
            await reject(
              { line, column: null, reason: `This row has ${record.length} field${record.length === 1 ? '' : 's'}; the header has ${header.length}.` },
              record,
            );
            continue;
          }
          const fields = {} as Record<CardImportColumn, string>;
          for (let i = 0; i < header.length; i++) fields[header[i] as CardImportColumn] = record[i]!;
          const checked = checkCardRow(fields, now);
          if (!checked.ok) {
            await reject({ line, column: checked.column, reason: checked.reason }, record);
            continue;
          }
          chunk.push({ line, fields: record, card: checked.card });
          if (chunk.length >= INSERT_ROWS_PER_STATEMENT) await flush();
        }
        if (header === null) {
          throw new Stop(
            new AppError('IMPORT_REJECTED', `${fileName} is empty: a card file starts with the header row (${CARD_IMPORT_COLUMNS.join(', ')}). Nothing was imported.`),
            'refused',
          );
        }
        await flush();
        if (inFlight) await inFlight;
      } catch (error) {
        // An INSERT still running would otherwise race the ROLLBACK (sqlite3 runs statements on its own threads).
        if (inFlight) await (inFlight as Promise<unknown>).catch(() => undefined);
        throw csvProblem(error, lastLine) ?? error;
      }
      if (signal?.aborted) throw cancelled();
      if (counts.rejected > 0 && !skipInvalid) throw refused();

      const checksum = tap.hash.copy().digest('hex');
      const finishedAt = deps.clock.now();
      batchId = await insertBatch(trx, { actor, fileName, checksum, counts, outcome: 'imported', startedAt, finishedAt });
      await appendAudit(trx, deps.clock, {
        actor: actor.username,
        action: 'cards.imported',
        subjectType: 'cardImportBatch',
        subjectId: String(batchId),
        details: { batchId, fileName, checksum, ...counts },
      });
      return {
        batchId,
        fileName,
        checksum,
        ...counts,
        problems,
        seconds: (performance.now() - started) / 1000,
      } satisfies ImportSummary;
    });
    progress();
    return summary;
  } catch (caught) {
    const error = caught instanceof Stop ? caught : signal?.aborted ? cancelled() : null;
    const outcome: Outcome = error?.outcome ?? 'failed';
    try {
      await writeTransaction(deps.db, async (trx) => {
        const id = await insertBatch(trx, {
          actor,
          fileName,
          checksum: tap.ended ? tap.hash.copy().digest('hex') : null,
          counts: { ...counts, imported: 0 },
          outcome,
          startedAt,
          finishedAt: deps.clock.now(),
        });
        await appendAudit(trx, deps.clock, {
          actor: actor.username,
          action: outcome === 'refused' ? 'cards.import.refused' : 'cards.import.failed',
          subjectType: 'cardImportBatch',
          subjectId: String(id),
          details: {
            batchId: id,
            fileName,
            outcome,
            rowsRead: counts.rowsRead,
            rejected: counts.rejected,
            code: error ? error.error.code : isAppError(caught) ? caught.code : 'INTERNAL',
          },
        });
      });
    } catch {
      // The store itself failed: the original error says what happened; nothing of the batch was kept.
    }
    throw error ? error.error : caught;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (rejectsOut) await new Promise<void>((resolve) => rejectsOut.end(resolve));
    parser.destroy();
    tap.destroy();
  }
}

/** The stored cards among a chunk's serials, and the ids of those holding its code digests: two indexed queries. */
async function findStored(
  trx: Knex.Transaction,
  rows: readonly SealedCardRow[],
): Promise<{ bySerial: Map<string, StoredCard>; byDigest: Map<string, number> }> {
  const [serialRows, digestRows] = await Promise.all([
    trx('cards')
      .whereIn(
        'serial',
        rows.map((r) => r.serial),
      )
      .select(
        'id',
        'serial',
        'marketplace',
        'face_value_minor',
        'claim_code_digest',
        'order_number',
        'ordered_at',
        'purchaser_name',
        'recipient_name',
        'delivery_channel',
        'delivery_email',
        'delivery_address',
      ) as Promise<StoredCard[]>,
    trx('cards')
      .whereIn(
        'claim_code_digest',
        rows.map((r) => r.claim_code_digest),
      )
      .select('id', 'claim_code_digest') as Promise<{ id: unknown; claim_code_digest: string }[]>,
  ]);
  return {
    bySerial: new Map(serialRows.map((r) => [r.serial, r])),
    byDigest: new Map(digestRows.map((r) => [r.claim_code_digest, toInt(r.id)])),
  };
}

async function insertBatch(
  trx: Knex.Transaction,
  batch: {
    actor: Operator;
    fileName: string;
    checksum: string | null;
    counts: { rowsRead: number; imported: number; alreadyPresent: number; rejected: number };
    outcome: Outcome;
    startedAt: Date;
    finishedAt: Date;
  },
): Promise<number> {
  const [row] = await trx('card_import_batches')
    .insert({
      actor: batch.actor.username.slice(0, 80),
      file_name: batch.fileName,
      checksum: batch.checksum,
      rows_read: batch.counts.rowsRead,
      rows_imported: batch.counts.imported,
      rows_skipped: batch.counts.alreadyPresent,
      rows_rejected: batch.counts.rejected,
      outcome: batch.outcome,
      started_at: batch.startedAt,
      finished_at: batch.finishedAt,
    })
    .returning('id');
  return toInt(typeof row === 'object' && row !== null ? (row as { id: unknown }).id : row);
}
