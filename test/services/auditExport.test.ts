/**
 * `audit:export`'s service (issue 14): the CSV read back with csv-parse equals
 * `audit:list` for the same filter; it streams in pages (every query has a LIMIT, and
 * 20 000 rows take 20 queries of 1 000); cells that a spreadsheet would run as formulas
 * are neutralised; a failed export leaves no file; the export is audited with its filter.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { writeTransaction } from '../../electron/db/transaction';
import { appendAudit, entryHash, listAudit, recordAudit, verifyAuditChain } from '../../electron/services/audit';
import { AUDIT_EXPORT_PAGE_SIZE, auditCsvColumns, auditCsvRecord, exportAudit, spreadsheetSafe } from '../../electron/services/auditExport';
import type { AuditFilter } from '../../shared/auditFilter';
import type { AuditAction } from '../../shared/auditActions';
import type { AuditEntryView } from '../../shared/types';
import { GENESIS_HASH } from '../../migrations/20261122100000_initial';
import { refusal } from '../support/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const sam = { id: 2, username: 'sam', role: 'supervisor' as const };

async function listed(store: TestStore, filter: AuditFilter): Promise<AuditEntryView[]> {
  const entries: AuditEntryView[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await listAudit(store, sam, { ...filter, limit: 200, ...(beforeSeq !== undefined ? { beforeSeq } : {}) });
    entries.push(...page.entries);
    if (page.nextBeforeSeq === null) return entries;
    beforeSeq = page.nextBeforeSeq;
  }
}

function readCsv(text: string): string[][] {
  return parse(text, { relax_quotes: false }) as string[][];
}

async function seed(store: TestStore, count: number): Promise<void> {
  const actions: AuditAction[] = ['card.lookup', 'card.redeemed', 'credit.requested', 'recovery.verify'];
  await writeTransaction(store.db, async (trx) => {
    for (let i = 0; i < count; i++) {
      await appendAudit(trx, store.clock, {
        actor: i % 2 ? 'ava' : 'sky',
        action: actions[i % 4]!,
        subjectType: 'card',
        subjectId: `170000000000000000${i % 3}`,
        ticketId: i % 5 ? `T-${i % 4}` : null,
        details: { i, note: 'a "quoted", comma\nand a new line', nested: { ok: true } },
      });
      store.clock.advanceMinutes(1);
    }
  });
}

/**
 * Appends `count` entries to the chain in bulk (hashes computed here, the head moved to
 * the last one): a chain that verifies, written in seconds rather than a statement pair
 * per entry.
 */
async function bulkAppend(store: TestStore, count: number): Promise<void> {
  await writeTransaction(store.db, async (trx) => {
    const head = await trx('audit_head').where({ id: 1 }).first('seq', 'hash');
    let seq = Number(head.seq);
    let prev: string = head.hash ?? GENESIS_HASH;
    const at = store.clock.now().toISOString();
    for (let start = 0; start < count; start += 500) {
      const rows = [];
      for (let i = start; i < Math.min(count, start + 500); i++) {
        seq += 1;
        const fields = { seq, at, actor: 'ava', action: 'card.lookup', subjectType: 'card', subjectId: String(1_700_000_000_000_000_000n + BigInt(i)), ticketId: `T-${i % 10}`, details: { i } };
        const hash = entryHash(prev, fields);
        rows.push({ seq, at: new Date(at), actor: fields.actor, action: fields.action, subject_type: fields.subjectType, subject_id: fields.subjectId, ticket_id: fields.ticketId, details: JSON.stringify(fields.details), prev_hash: prev, hash });
        prev = hash;
      }
      await trx('audit_log').insert(rows);
    }
    await trx('audit_head').where({ id: 1 }).update({ seq, hash: prev });
  });
}

forEachEngine(() => {
  test('the CSV read back equals audit:list for the same filter: everything, a narrow filter, one matching nothing, more rows than a page', async ({ store }) => {
    await seed(store, 40);
    const cases: { filter: AuditFilter; pageSize?: number }[] = [
      { filter: {} },
      { filter: { actor: 'ava', action: 'card.', ticketId: 'T-1' } },
      { filter: { subject: '1700000000000000002', from: '2026-11-22T09:05:00Z', to: '2026-11-22T09:30:00Z' } },
      { filter: { actor: 'nobody' } },
      { filter: { action: 'card.' }, pageSize: 3 },
      { filter: {}, pageSize: 7 },
    ];
    for (const [n, { filter, pageSize }] of cases.entries()) {
      const expected = await listed(store, filter);
      const file = path.join(store.dataDir, `export-${n}.csv`);
      const result = await exportAudit(store, sam, filter, file, pageSize ? { pageSize } : {});
      expect(result).toEqual({ rowCount: expected.length, fileName: `export-${n}.csv` });
      const rows = readCsv(await readFile(file, 'utf8'));
      expect(rows[0]).toEqual([...auditCsvColumns]);
      expect(rows.slice(1), JSON.stringify(filter)).toEqual(expected.map(auditCsvRecord));
      // The cells are the entries' values (no formula characters here, so unchanged), details as JSON.
      for (const [i, entry] of expected.entries()) {
        const row = rows[i + 1]!;
        expect(Number(row[0])).toBe(entry.seq);
        expect(row.slice(1, 7)).toEqual([entry.at, entry.actor ?? '', entry.action, entry.subjectType ?? '', entry.subjectId ?? '', entry.ticketId ?? '']);
        expect(JSON.parse(row[7]!)).toEqual(entry.details);
        expect(row[8]).toBe(entry.hash);
      }
      if (n === 3) expect(rows).toHaveLength(1); // the header alone
    }
    // Every export renamed its temporary file into place: none is left beside them.
    expect(await readdir(store.dataDir).then((names) => names.filter((name) => name.endsWith('.partial')))).toEqual([]);
  });

  test('the export is audited with its filter, row count, the entry it read up to, the file name (never the folder) and its SHA-256', async ({ store }) => {
    await seed(store, 12);
    const folder = path.join(store.dataDir, 'home', 'ada', 'exports');
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, 'ticket T-1.csv');
    const filter = { ticketId: 'T-1', action: 'card.' };
    const result = await exportAudit(store, sam, filter, file);
    const [entry] = (await listAudit(store, sam, { action: 'audit.exported', limit: 5 })).entries;
    expect(entry).toMatchObject({
      actor: 'sam',
      action: 'audit.exported',
      details: { filter, rowCount: result.rowCount, upToSeq: 12, fileName: 'ticket T-1.csv', sha256: createHash('sha256').update(await readFile(file)).digest('hex') },
    });
    expect(JSON.stringify(entry)).not.toContain(folder);
    expect(JSON.stringify(entry)).not.toContain('ada');
    // A second export of the whole log holds the first export's entry, and not its own.
    const second = await exportAudit(store, sam, {}, path.join(folder, 'all.csv'));
    expect(second.rowCount).toBe(13);
    const rows = readCsv(await readFile(path.join(folder, 'all.csv'), 'utf8'));
    expect(rows[1]![3]).toBe('audit.exported');
    expect((await verifyAuditChain(store.db)).intact).toBe(true);
  });

  test('a cell a spreadsheet would run as a formula (= + - @, tab, CR) starts with an apostrophe', async ({ store }) => {
    const hostile = ['=HYPERLINK("http://evil.example","x")', '+1+cmd|" /C calc"!A0', '-2+3', '@SUM(A1:A9)', '\tlead tab', '\rlead return'];
    for (const [i, value] of hostile.entries()) {
      await recordAudit(store.db, store.clock, { actor: value, action: 'account.search', subjectType: i % 2 ? 'account' : null, subjectId: value, ticketId: value, details: { query: value } });
    }
    await recordAudit(store.db, store.clock, { actor: 'ava', action: 'card.lookup', subjectId: 'plain=text', ticketId: "T-'1" });
    const file = path.join(store.dataDir, 'hostile.csv');
    await exportAudit(store, sam, {}, file);
    const rows = readCsv(await readFile(file, 'utf8')).slice(1);
    expect(rows[0]!.slice(2, 7)).toEqual(['ava', 'card.lookup', '', 'plain=text', "T-'1"]); // only a leading character counts
    for (const [i, value] of [...hostile].reverse().entries()) {
      const row = rows[i + 1]!;
      expect(row[2]).toBe(`'${value}`);
      expect(row[5]).toBe(`'${value}`);
      expect(row[6]).toBe(`'${value}`);
      // The details are JSON (they start with "{"), so their strings stay as they were.
      expect(JSON.parse(row[7]!)).toEqual({ query: value });
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(spreadsheetSafe(null)).toBe('');
    expect(spreadsheetSafe('T-1')).toBe('T-1');
  });

  test('20 000 entries stream in pages: every query has a LIMIT, one query per page, and the file holds them all', async ({ store }) => {
    await bulkAppend(store, 20_000);
    const selects: { sql: string; bindings: unknown[] }[] = [];
    const onQuery = (query: { sql: string; bindings?: unknown[] }) => {
      if (/\bfrom\s+[`"]?audit_log[`"]?/i.test(query.sql) && /^\s*select/i.test(query.sql)) selects.push({ sql: query.sql, bindings: query.bindings ?? [] });
    };
    store.db.on('query', onQuery);
    const file = path.join(store.dataDir, 'big.csv');
    let result;
    try {
      result = await exportAudit(store, sam, { action: 'card.' }, file);
    } finally {
      store.db.off('query', onQuery);
    }
    expect(result.rowCount).toBe(20_000);
    // 20 pages of 1 000 (the last query finds the 1 000th row and no 1 001st), each one bounded.
    expect(selects).toHaveLength(20_000 / AUDIT_EXPORT_PAGE_SIZE);
    for (const { sql, bindings } of selects) {
      expect(sql).toMatch(/\blimit\s+(\?|\$\d+)$/i);
      expect(bindings.at(-1)).toBe(AUDIT_EXPORT_PAGE_SIZE + 1);
    }
    const text = await readFile(file, 'utf8');
    const rows = readCsv(text);
    expect(rows).toHaveLength(20_001);
    expect(rows[1]![0]).toBe('20000');
    expect(rows[20_000]![0]).toBe('1');
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(20_000);
    expect((await verifyAuditChain(store.db)).intact).toBe(true);
  }, 120_000);

  test('an export that cannot be written leaves no file and no temporary file, and says why in words; the log has it only once its rows were written', async ({ store }) => {
    await seed(store, 5);
    const missing = path.join(store.dataDir, 'no-such-folder', 'audit.csv');
    const error = await refusal(exportAudit(store, sam, {}, missing));
    expect(error).toMatchObject({ code: 'EXPORT_FAILED' });
    expect(error.message).toBe('The audit log could not be exported: that folder does not exist. No file was left behind; choose another place and try again.');
    // A folder where the file should be: the rename fails after the rows were written; the temporary file goes.
    const taken = path.join(store.dataDir, 'taken.csv');
    await mkdir(taken);
    await writeFile(path.join(taken, 'keep'), 'x');
    const second = await refusal(exportAudit(store, sam, {}, taken));
    expect(second.code).toBe('EXPORT_FAILED');
    expect((await readdir(store.dataDir)).filter((name) => name.includes('.partial'))).toEqual([]);
    expect(await readFile(path.join(taken, 'keep'), 'utf8')).toBe('x');
    // The first never reached the log; the second was on record before its rename failed.
    expect((await listAudit(store, sam, { action: 'audit.exported', limit: 5 })).entries).toHaveLength(1);
  });

  test('an existing file of that name is replaced whole', async ({ store }) => {
    await seed(store, 3);
    const file = path.join(store.dataDir, 'again.csv');
    await writeFile(file, 'old contents that are longer than the new ones would be '.repeat(100));
    expect(await exportAudit(store, sam, { actor: 'ava' }, file)).toEqual({ rowCount: 1, fileName: 'again.csv' });
    expect(readCsv(await readFile(file, 'utf8'))).toHaveLength(2);
  });
});
