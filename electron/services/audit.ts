/**
 * The audit log: one entry per state change and per sensitive read, chained by
 * SHA-256 (each entry's hash covers the previous hash and its own canonical JSON).
 * The table refuses UPDATE and DELETE (triggers); `verifyAuditChain` recomputes the
 * chain up to the head captured when it starts and names every broken link.
 * The hash covers exactly what the database keeps: every string is well-formed text
 * without NUL (refused here as a last line; the IPC edge refuses it first), and the
 * details are hashed as they read back from their stored JSON.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditAction } from '../../shared/auditActions';
import { AUDIT_BROKEN_LIST_LIMIT, type AuditBrokenLink, type AuditEntryView, type AuditPage, type AuditVerification } from '../../shared/types';
import { textProblem } from '../../shared/text';
import type { AuditFilter } from '../../shared/auditFilter';
import { storeKind } from '../db/dialect';
import { lockedHeads, rowsOf, writeTransaction } from '../db/transaction';
import { parseJsonObject, toInt, toIso } from '../db/values';
import { GENESIS_HASH } from '../../migrations/20261122100000_initial';
import type { Actor, Clock, ServiceDeps } from './context';

export interface AuditInput {
  actor: string | null;
  action: AuditAction;
  subjectType?: string | null;
  subjectId?: string | null;
  ticketId?: string | null;
  details?: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

interface ChainedFields {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  ticketId: string | null;
  details: Record<string, unknown>;
}

/**
 * Throws unless every string (value or key, at any depth) is well-formed UTF-16 without
 * NUL: the database would keep U+FFFD for a lone surrogate (or refuse a NUL) and the
 * entry would never verify again.
 */
function assertStorableText(value: unknown, where: string): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem === 'surrogate') throw new Error(`audit entry ${where} is not well-formed text (a lone surrogate)`);
    if (problem === 'nul') throw new Error(`audit entry ${where} contains a NUL character`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    assertStorableText(key, `${where} key`);
    assertStorableText(item, `${where}.${key}`);
  }
}

export function entryHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}

/** The head moves only from the values the entry was chained to: no row answered means they were stale. */
const MOVE_HEAD_SQL = 'UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ? AND hash = ? RETURNING seq';
const INSERT_ENTRY_SQL =
  'INSERT INTO audit_log (seq, at, actor, action, subject_type, subject_id, ticket_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

async function readHead(trx: Knex.Transaction): Promise<{ seq: number; hash: string }> {
  const head = await trx('audit_head').where({ id: 1 }).first('seq', 'hash');
  if (!head) throw new Error('audit chain head is missing');
  return { seq: toInt(head.seq), hash: head.hash as string };
}

/**
 * Appends one entry inside a transaction opened by `writeTransaction` (which holds the
 * chain head's lock, and hands over the head it read when taking it). Returns the new
 * sequence number. Three statements on the hot path (move the head, insert the entry;
 * the head came with the lock), each fixed SQL, so an audited read costs little more
 * than its commit.
 */
export async function appendAudit(trx: Knex.Transaction, clock: Clock, input: AuditInput): Promise<number> {
  const at = clock.now().toISOString();
  // As it will read back from the stored JSON (undefined dropped, -0 as 0, a Date as its JSON).
  const details = JSON.parse(canonicalJson(input.details ?? {})) as Record<string, unknown>;
  const chain = (head: { seq: number; hash: string }) => {
    const fields: ChainedFields = {
      seq: head.seq + 1,
      at,
      actor: input.actor,
      action: input.action,
      subjectType: input.subjectType ?? null,
      subjectId: input.subjectId ?? null,
      ticketId: input.ticketId ?? null,
      details,
    };
    return { fields, hash: entryHash(head.hash, fields) };
  };
  const moveHead = async (head: { seq: number; hash: string }, next: { seq: number; hash: string }) =>
    rowsOf(await trx.raw(MOVE_HEAD_SQL, [next.seq, next.hash, head.seq, head.hash])).length === 1;

  let head = lockedHeads.get(trx) ?? (await readHead(trx));
  let { fields, hash } = chain(head);
  assertStorableText(fields, 'field');
  if (!(await moveHead(head, { seq: fields.seq, hash }))) {
    // The hint was stale (a savepoint appended or rolled back since): chain to the head as it is.
    head = await readHead(trx);
    ({ fields, hash } = chain(head));
    if (!(await moveHead(head, { seq: fields.seq, hash }))) throw new Error('audit chain head moved while its lock was held');
  }
  await trx.raw(INSERT_ENTRY_SQL, [
    fields.seq,
    new Date(fields.at),
    fields.actor,
    fields.action,
    fields.subjectType,
    fields.subjectId,
    fields.ticketId,
    canonicalJson(fields.details),
    head.hash,
    hash,
  ]);
  lockedHeads.set(trx, { seq: fields.seq, hash });
  return fields.seq;
}

/** An audited read or event that changes nothing else: its own write transaction. */
export async function recordAudit(db: Knex, clock: Clock, input: AuditInput): Promise<number> {
  return writeTransaction(db, (trx) => appendAudit(trx, clock, input));
}

interface AuditRow {
  seq: unknown;
  at: unknown;
  actor: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  ticket_id: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
}

function toView(row: AuditRow): AuditEntryView {
  return {
    seq: toInt(row.seq),
    at: toIso(row.at),
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    ticketId: row.ticket_id,
    details: parseJsonObject(row.details),
    hash: row.hash,
  };
}

type Filterable = Knex.QueryBuilder<AuditRow, AuditRow[]>;

/**
 * Narrows a query of audit_log to the filter. The action is a prefix: GLOB on SQLite and
 * LIKE on PostgreSQL, both able to use an index on the column (the contract allows only
 * letters and dots, so neither has a wildcard to escape).
 */
export function applyAuditFilter(db: Knex, q: Filterable, filter: AuditFilter): Filterable {
  if (filter.actor) q.where('actor', filter.actor);
  if (filter.action) {
    if (storeKind(db) === 'sqlite') q.whereRaw('action GLOB ?', [`${filter.action}*`]);
    else q.whereRaw('action LIKE ?', [`${filter.action}%`]);
  }
  if (filter.subject) q.where('subject_id', filter.subject);
  if (filter.ticketId) q.where('ticket_id', filter.ticketId);
  if (filter.from) q.where('at', '>=', new Date(filter.from));
  if (filter.to) q.where('at', '<', new Date(filter.to));
  return q;
}

export interface AuditPageQuery extends AuditFilter {
  /** Entries older than this one (the cursor). */
  beforeSeq?: number | undefined;
  /** Entries up to this one (an export's snapshot of the head). */
  upToSeq?: number | undefined;
  limit: number;
}

/**
 * The one query behind `audit:list` and `audit:export` (and the query-plan test): the
 * filter, the cursor, newest first by seq, one row more than the page to tell whether
 * another page follows.
 */
export function auditPageQuery(db: Knex, query: AuditPageQuery): Filterable {
  const q = applyAuditFilter(db, db<AuditRow>('audit_log').orderBy('seq', 'desc').limit(query.limit + 1), query);
  if (query.beforeSeq !== undefined) q.where('seq', '<', query.beforeSeq);
  if (query.upToSeq !== undefined) q.where('seq', '<=', query.upToSeq);
  return q;
}

/** One page of entries and the cursor to the next. */
export async function readAuditPage(db: Knex, query: AuditPageQuery): Promise<AuditPage> {
  const rows = (await auditPageQuery(db, query)) as AuditRow[];
  const entries = rows.slice(0, query.limit).map(toView);
  const more = rows.length > query.limit;
  return { entries, nextBeforeSeq: more ? entries[entries.length - 1]!.seq : null };
}

/** Reading the log is not itself audited: the log would record its own readers without end. */
export async function listAudit(
  deps: ServiceDeps,
  _actor: Actor,
  query: AuditFilter & { beforeSeq?: number | undefined; limit: number },
): Promise<AuditPage> {
  return readAuditPage(deps.db, { ...query, upToSeq: undefined });
}

/**
 * Recomputes the chain, in pages, up to the head as it stood when the check began
 * (head and last entry read in one statement, so one snapshot on both engines): an
 * entry appended meanwhile is outside the check and never a false alarm. Entries up to
 * that head never change legitimately (append-only), so reading them in later pages is
 * consistent without holding a transaction (SQLite has one connection per process; a
 * long read transaction would stall the desk's writes). Every broken link is reported:
 * the list holds the first `listLimit`, `brokenCount` counts them all.
 */
export async function verifyAuditChain(db: Knex, pageSize = 2000, listLimit = AUDIT_BROKEN_LIST_LIMIT): Promise<AuditVerification> {
  const snapshot = (await db('audit_head')
    .where({ id: 1 })
    .first('seq', 'hash', db('audit_log').max('seq').as('last_seq'))) as { seq: unknown; hash: string; last_seq: unknown } | undefined;
  if (!snapshot) throw new Error('audit chain head is missing');
  const headSeq = toInt(snapshot.seq);
  const lastSeq = snapshot.last_seq === null || snapshot.last_seq === undefined ? 0 : toInt(snapshot.last_seq);

  const broken: AuditBrokenLink[] = [];
  let brokenCount = 0;
  const report = (seq: number, reason: string) => {
    brokenCount += 1;
    if (broken.length < listLimit) broken.push({ seq, reason });
  };

  let prevHash = GENESIS_HASH;
  let linkKnown = true; // false right after a gap: the missing entry's hash is unknown
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = (await db<AuditRow>('audit_log')
      .where('seq', '>=', expectedSeq)
      .andWhere('seq', '<=', headSeq)
      .orderBy('seq', 'asc')
      .limit(pageSize)) as AuditRow[];
    for (const row of rows) {
      const view = toView(row);
      if (view.seq > expectedSeq) {
        report(expectedSeq, view.seq - expectedSeq === 1 ? 'entry missing' : `entries ${expectedSeq}–${view.seq - 1} missing`);
        linkKnown = false;
        expectedSeq = view.seq;
      }
      const reasons: string[] = [];
      if (linkKnown && row.prev_hash !== prevHash) reasons.push('previous hash does not match the entry before it');
      // Content is checked against the entry's own stored link, so each tampered entry is named once.
      const recomputed = entryHash(row.prev_hash, {
        seq: view.seq,
        at: view.at,
        actor: view.actor,
        action: view.action,
        subjectType: view.subjectType,
        subjectId: view.subjectId,
        ticketId: view.ticketId,
        details: view.details,
      });
      if (recomputed !== row.hash) reasons.push('entry content does not match its hash');
      if (reasons.length > 0) report(view.seq, reasons.join('; '));
      prevHash = row.hash;
      linkKnown = true;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  if (expectedSeq <= headSeq) {
    report(expectedSeq, headSeq === expectedSeq ? 'entry missing' : `entries ${expectedSeq}–${headSeq} missing`);
  } else if (prevHash !== snapshot.hash) {
    report(headSeq, 'the chain head does not match the last entry');
  }
  if (lastSeq > headSeq) report(headSeq + 1, 'entries after the chain head (the head was moved back)');
  const first = broken[0];
  if (!first) return { intact: true, checked, headSeq };
  return { intact: false, checked, headSeq, firstBrokenSeq: first.seq, reason: first.reason, brokenCount, broken };
}

/** `audit:verify`: recomputes the chain and puts the check, and what it found, on record. */
export async function verifyAudit(deps: ServiceDeps, actor: Actor): Promise<AuditVerification> {
  const result = await verifyAuditChain(deps.db);
  await recordAudit(deps.db, deps.clock, {
    actor: actor.username,
    action: 'audit.verified',
    details: result.intact
      ? { intact: true, checked: result.checked }
      : { intact: false, headSeq: result.headSeq, firstBrokenSeq: result.firstBrokenSeq, brokenCount: result.brokenCount },
  });
  return result;
}
