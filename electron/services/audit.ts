/**
 * The audit log: one entry per state change and per sensitive read, chained by
 * SHA-256 (each entry's hash covers the previous hash and its own canonical JSON).
 * The table refuses UPDATE and DELETE (triggers); `verifyAuditChain` recomputes the
 * chain and names the first broken link.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditAction } from '../../shared/auditActions';
import type { AuditEntryView, AuditPage, AuditVerification } from '../../shared/types';
import { writeTransaction } from '../db/transaction';
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

export function entryHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}

/**
 * Appends one entry inside a transaction opened by `writeTransaction` (which holds the
 * chain head's lock). Returns the new sequence number.
 */
export async function appendAudit(trx: Knex.Transaction, clock: Clock, input: AuditInput): Promise<number> {
  const head = await trx('audit_head').where({ id: 1 }).first('seq', 'hash');
  if (!head) throw new Error('audit chain head is missing');
  const fields: ChainedFields = {
    seq: toInt(head.seq) + 1,
    at: clock.now().toISOString(),
    actor: input.actor,
    action: input.action,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId ?? null,
    ticketId: input.ticketId ?? null,
    details: input.details ?? {},
  };
  const hash = entryHash(head.hash, fields);
  await trx('audit_log').insert({
    seq: fields.seq,
    at: new Date(fields.at),
    actor: fields.actor,
    action: fields.action,
    subject_type: fields.subjectType,
    subject_id: fields.subjectId,
    ticket_id: fields.ticketId,
    details: canonicalJson(fields.details),
    prev_hash: head.hash,
    hash,
  });
  await trx('audit_head').where({ id: 1 }).update({ seq: fields.seq, hash });
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

/** Reading the log is not itself audited: the log would record its own readers without end. */
export async function listAudit(
  deps: ServiceDeps,
  _actor: Actor,
  query: { beforeSeq?: number | undefined; limit: number; action?: string | undefined },
): Promise<AuditPage> {
  const q = deps.db<AuditRow>('audit_log').orderBy('seq', 'desc').limit(query.limit + 1);
  if (query.beforeSeq !== undefined) q.where('seq', '<', query.beforeSeq);
  if (query.action) q.where('action', query.action);
  const rows = (await q) as AuditRow[];
  const entries = rows.slice(0, query.limit).map(toView);
  const more = rows.length > query.limit;
  return { entries, nextBeforeSeq: more ? entries[entries.length - 1]!.seq : null };
}

/** Recomputes the whole chain, in pages, and reports the first broken link. */
export async function verifyAuditChain(db: Knex, pageSize = 2000): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = (await db<AuditRow>('audit_log')
      .where('seq', '>=', expectedSeq)
      .orderBy('seq', 'asc')
      .limit(pageSize)) as AuditRow[];
    for (const row of rows) {
      const view = toView(row);
      const broken = (reason: string): AuditVerification => ({ intact: false, checked, firstBrokenSeq: view.seq, reason });
      if (view.seq !== expectedSeq) return { intact: false, checked, firstBrokenSeq: expectedSeq, reason: 'entry missing' };
      if (row.prev_hash !== prevHash) return broken('previous hash does not match the entry before it');
      const recomputed = entryHash(prevHash, {
        seq: view.seq,
        at: view.at,
        actor: view.actor,
        action: view.action,
        subjectType: view.subjectType,
        subjectId: view.subjectId,
        ticketId: view.ticketId,
        details: view.details,
      });
      if (recomputed !== row.hash) return broken('entry content does not match its hash');
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  const head = await db('audit_head').where({ id: 1 }).first('seq', 'hash');
  if (head && (toInt(head.seq) !== checked || head.hash !== prevHash)) {
    return { intact: false, checked, firstBrokenSeq: checked + 1, reason: 'the chain head does not match the last entry' };
  }
  return { intact: true, checked, headSeq: checked };
}

/** `audit:verify`: recomputes the chain and puts the check, and what it found, on record. */
export async function verifyAudit(deps: ServiceDeps, actor: Actor): Promise<AuditVerification> {
  const result = await verifyAuditChain(deps.db);
  await recordAudit(deps.db, deps.clock, {
    actor: actor.username,
    action: 'audit.verified',
    details: result.intact ? { intact: true, checked: result.checked } : { intact: false, firstBrokenSeq: result.firstBrokenSeq },
  });
  return result;
}
