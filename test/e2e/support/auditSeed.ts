/**
 * Test-only: appends many audit entries straight into a console's store, chained with
 * the real hash (electron/services/audit.ts), so the log still verifies. Used to prove
 * the Audit screen stays smooth on a large log without 100 000 round trips.
 *
 * The console may be running: on SQLite (WAL) the seeding waits on the file lock like
 * a second process would; the chain head is locked and moved exactly as appendAudit does.
 */
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { canonicalJson, entryHash } from '../../../electron/services/audit';
import { SQLITE_FILE } from '../../../electron/db/store';
import { databaseUrl } from '../../support/postgres';

export interface SeededEntry {
  actor: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  ticketId: string | null;
  details: Record<string, unknown>;
}

export type StoreTarget = { sqliteDir: string } | { pg: { adminUrl: string; database: string } };

function open(target: StoreTarget): Knex {
  if ('sqliteDir' in target) {
    return knexFactory({
      client: 'sqlite3',
      connection: { filename: path.join(target.sqliteDir, SQLITE_FILE) },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate: (conn: { run(sql: string, cb: (error: Error | null) => void): void }, done: (error: Error | null, conn: unknown) => void) =>
          conn.run('PRAGMA busy_timeout = 20000', (error) => done(error, conn)),
      },
    });
  }
  return knexFactory({ client: 'pg', connection: databaseUrl(target.pg.adminUrl, target.pg.database), pool: { min: 1, max: 1 } });
}

/**
 * Appends `count` entries made by `make(i)`, one second apart, ending a minute before
 * now; returns the first and last sequence numbers.
 */
export async function seedAuditEntries(target: StoreTarget, count: number, make: (i: number) => SeededEntry): Promise<{ first: number; last: number }> {
  const db = open(target);
  try {
    return await db.transaction(async (trx) => {
      const isPg = !('sqliteDir' in target);
      const head = (await trx('audit_head').where({ id: 1 }).modify((q) => (isPg ? void q.forUpdate() : undefined)).first('seq', 'hash')) as {
        seq: number | string;
        hash: string;
      };
      let seq = Number(head.seq);
      let hash = head.hash;
      const first = seq + 1;
      const start = Date.now() - 60_000 - count * 1000;
      const BATCH = 500;
      for (let offset = 0; offset < count; offset += BATCH) {
        const rows = [];
        for (let i = offset; i < Math.min(count, offset + BATCH); i++) {
          const entry = make(i);
          const at = new Date(start + i * 1000).toISOString();
          const details = JSON.parse(canonicalJson(entry.details)) as Record<string, unknown>;
          const fields = { seq: seq + 1, at, ...entry, details };
          const next = entryHash(hash, fields);
          rows.push({
            seq: fields.seq,
            at: new Date(at),
            actor: entry.actor,
            action: entry.action,
            subject_type: entry.subjectType,
            subject_id: entry.subjectId,
            ticket_id: entry.ticketId,
            details: canonicalJson(details),
            prev_hash: hash,
            hash: next,
          });
          seq = fields.seq;
          hash = next;
        }
        await trx('audit_log').insert(rows);
      }
      await trx('audit_head').where({ id: 1 }).update({ seq, hash });
      return { first, last: seq };
    });
  } finally {
    await db.destroy();
  }
}
