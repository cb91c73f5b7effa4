import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { verifyAuditChain } from '../../electron/services/audit';
import { generateCardRows, generateCards } from '../../electron/services/cardGenerate';
import { importCards, type ImportProgress } from '../../electron/services/cardImport';
import { lookupCard } from '../../electron/services/cards';
import { CARD_IMPORT_COLUMNS, type CardImportColumn } from '../../shared/cardImport';
import { AppError } from '../../shared/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const admin = { username: 'ada' };
const agent = { id: 1, username: 'ava', role: 'agent' as const };

type Row = Record<CardImportColumn, string>;

const base: Row = {
  serial: '1700 0000 0000 0000 001',
  claim_code: 'ABCD-EFGHJK-LMNP',
  marketplace: 'US',
  face_value: '25.00',
  order_number: 'ORD-1',
  ordered_at: '2026-03-14T09:30:00Z',
  purchaser_name: 'José García',
  recipient_name: 'Zoë Núñez',
  delivery_channel: 'email',
  delivery_email: 'zoe@example.com',
  shipping_address: '',
};

/** Row n: a distinct serial, code and order number. */
function row(n: number, overrides: Partial<Row> = {}): Row {
  const code = `ABCDEFGHJK${String(n).padStart(4, '0').replace(/0/g, 'Q').replace(/1/g, 'R')}`;
  return { ...base, serial: `17${String(n).padStart(17, '0')}`, claim_code: code, order_number: `ORD-${n}`, ...overrides };
}

function csv(rows: Row[], options: { bom?: boolean; crlf?: boolean; columns?: readonly string[] } = {}): string {
  const columns = options.columns ?? CARD_IMPORT_COLUMNS;
  const text = stringify(
    rows.map((r) => columns.map((c) => (r as Record<string, string>)[c] ?? '')),
    { header: true, columns: [...columns], record_delimiter: options.crlf ? 'windows' : 'unix' },
  );
  return (options.bom ? '\ufeff' : '') + text;
}

/** Streams text in small chunks so records straddle chunk boundaries. */
function source(text: string, chunk = 7): Readable {
  const buf = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return Readable.from(parts);
}

async function cardCount(store: TestStore): Promise<number> {
  return Number((await store.db('cards').count({ n: '*' }).first())!.n);
}

async function snapshot(store: TestStore) {
  return {
    cards: await cardCount(store),
    audit: Number((await store.db('audit_log').count({ n: '*' }).first())!.n),
    imported: Number((await store.db('card_import_batches').where({ outcome: 'imported' }).count({ n: '*' }).first())!.n),
  };
}

async function refused(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

forEachEngine(() => {
  test('imports a file: every row is a card, one batch record and one audit entry without a code', async ({ store }) => {
    const rows = [row(1), row(2, { marketplace: 'JP', face_value: '5000', delivery_channel: 'physical', delivery_email: '', shipping_address: '1-2 Ginza, Tōkyō' })];
    const summary = await importCards(store, admin, source(csv(rows)), { fileName: 'march.csv' });
    expect(summary).toMatchObject({ fileName: 'march.csv', rowsRead: 2, imported: 2, alreadyPresent: 0, rejected: 0, problems: [] });
    expect(summary.checksum).toMatch(/^[0-9a-f]{64}$/);
    const jp = await store.db('cards').where({ serial: '1700000000000000002' }).first();
    expect(jp).toMatchObject({ marketplace: 'JP', status: 'active', delivery_channel: 'physical', delivery_address: '1-2 Ginza, Tōkyō', delivery_email: null });
    expect(Number(jp.face_value_minor)).toBe(5000);
    expect(jp.claim_code_cipher).toMatch(/^v2:/);
    expect(JSON.stringify(jp)).not.toContain(row(2).claim_code);
    const batch = await store.db('card_import_batches').first();
    expect(batch).toMatchObject({ actor: 'ada', file_name: 'march.csv', checksum: summary.checksum, rows_read: 2, rows_imported: 2, rows_skipped: 0, rows_rejected: 0, outcome: 'imported' });
    const audit = await store.db('audit_log').where({ action: 'cards.imported' });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details)).toEqual({ batchId: summary.batchId, fileName: 'march.csv', checksum: summary.checksum, rowsRead: 2, imported: 2, alreadyPresent: 0, rejected: 0 });
    for (const r of rows) expect(audit[0].details).not.toContain(r.claim_code);
    expect((await verifyAuditChain(store.db)).intact).toBe(true);
  });

  test('BOM or not, CRLF or LF, quoted fields with commas, quotes and line breaks: the same cards', async ({ store }) => {
    const tricky = row(3, {
      delivery_channel: 'physical',
      delivery_email: '',
      shipping_address: 'Flat 2, "The Mews"\r\n12 High Street, London',
      purchaser_name: 'Ó Briain, Siân',
    });
    const variants = [
      csv([row(1), tricky], {}),
      csv([row(1), tricky], { bom: true }),
      csv([row(1), tricky], { crlf: true }),
      csv([row(1), tricky], { bom: true, crlf: true }),
    ];
    const first = await importCards(store, admin, source(variants[0]!), { fileName: 'a.csv' });
    expect(first).toMatchObject({ imported: 2 });
    const stored = await store.db('cards').where({ serial: '1700000000000000003' }).first();
    expect(stored.delivery_address).toBe('Flat 2, "The Mews"\r\n12 High Street, London');
    expect(stored.purchaser_name).toBe('Ó Briain, Siân');
    for (const text of variants.slice(1)) {
      expect(await importCards(store, admin, source(text), { fileName: 'b.csv' })).toMatchObject({ imported: 0, alreadyPresent: 2, rejected: 0 });
    }
    expect(await cardCount(store)).toBe(2);
  });

  test('columns in any order; a missing, unknown or doubled column is named and nothing is read', async ({ store }) => {
    const reordered = [...CARD_IMPORT_COLUMNS].reverse();
    expect(await importCards(store, admin, source(csv([row(1)], { columns: reordered })), { fileName: 'r.csv' })).toMatchObject({ imported: 1 });
    const missing = CARD_IMPORT_COLUMNS.filter((c) => c !== 'ordered_at');
    let error = await refused(importCards(store, admin, source(csv([row(2)], { columns: missing })), { fileName: 'm.csv' }));
    expect(error.code).toBe('IMPORT_REJECTED');
    expect(error.message).toContain('lacks ordered_at');
    error = await refused(importCards(store, admin, source(csv([row(2)], { columns: [...CARD_IMPORT_COLUMNS, 'notes'] })), { fileName: 'u.csv' }));
    expect(error.message).toContain('Unknown column in the header row: "notes"');
    error = await refused(importCards(store, admin, source(csv([row(2)], { columns: [...CARD_IMPORT_COLUMNS, 'serial'] })), { fileName: 'd.csv' }));
    expect(error.message).toContain('names serial more than once');
    error = await refused(importCards(store, admin, source(''), { fileName: 'empty.csv' }));
    expect(error.message).toContain('is empty');
    expect(await cardCount(store)).toBe(1);
  });

  test('each kind of bad row is reported with its line and column; nothing is written and the chain verifies', async ({ store }) => {
    await importCards(store, admin, source(csv([row(100)])), { fileName: 'first.csv' });
    const before = await snapshot(store);
    const bad: [Partial<Row>, CardImportColumn, RegExp][] = [
      [{ serial: '1800000000000000001' }, 'serial', /starts with 17/],
      [{ serial: '17000' }, 'serial', /19 digits/],
      [{ claim_code: 'ABC' }, 'claim_code', /14 or 15 characters/],
      [{ claim_code: 'ABCD*EFGHJKLMN' }, 'claim_code', /letters and digits/],
      [{ marketplace: 'FR' }, 'marketplace', /one of US, CA, UK, DE, JP, IN/],
      [{ face_value: '12.345' }, 'face_value', /at most 2 decimal places.*USD/],
      [{ marketplace: 'JP', face_value: '500.5' }, 'face_value', /JPY has no minor unit/],
      [{ face_value: '0' }, 'face_value', /more than zero/],
      [{ face_value: 'ten' }, 'face_value', /as a number/],
      [{ order_number: '' }, 'order_number', /empty/],
      [{ ordered_at: '14/03/2026' }, 'ordered_at', /ISO date/],
      [{ ordered_at: '2026-02-30' }, 'ordered_at', /not a real date/],
      [{ ordered_at: '2031-01-01' }, 'ordered_at', /future/],
      [{ purchaser_name: '   ' }, 'purchaser_name', /empty/],
      [{ recipient_name: 'Zoë\u0007' }, 'recipient_name', /control characters/],
      [{ recipient_name: 'Zo\uFFFD' }, 'recipient_name', /not UTF-8/],
      [{ delivery_channel: 'pigeon' }, 'delivery_channel', /email or physical/],
      [{ delivery_email: '' }, 'delivery_email', /needs the delivery e-mail/],
      [{ delivery_email: 'not-an-address' }, 'delivery_email', /not an e-mail address/],
      [{ shipping_address: '1 Main St' }, 'shipping_address', /no shipping address/],
      [{ delivery_channel: 'physical', delivery_email: '' }, 'shipping_address', /needs the shipping address/],
    ];
    const rows = bad.map(([overrides], i) => row(i + 1, overrides));
    const error = await refused(importCards(store, admin, source(csv([row(500), ...rows])), { fileName: 'bad.csv' }));
    expect(error.code).toBe('IMPORT_REJECTED');
    const problems = (error.details as { problems: { line: number; column: string; reason: string }[] }).problems;
    expect(problems).toHaveLength(Math.min(bad.length, 20));
    problems.forEach((problem, i) => {
      const [, column, reason] = bad[i]!;
      expect(problem).toMatchObject({ line: i + 3, column });
      expect(problem.reason).toMatch(reason);
    });
    expect(error.message).toContain('nothing was imported');
    expect(error.message).toContain('line 3, serial: A serial number starts with 17.');
    expect(await snapshot(store)).toMatchObject({ cards: before.cards, imported: before.imported });
    const verification = await verifyAuditChain(store.db);
    expect(verification.intact).toBe(true);
    // The refusal is on record: a batch row and one audit entry, after the rollback.
    expect(await store.db('card_import_batches').where({ outcome: 'refused' }).first()).toMatchObject({ file_name: 'bad.csv', rows_imported: 0, rows_rejected: 20 });
    expect(await store.db('audit_log').where({ action: 'cards.import.refused' })).toHaveLength(1);
  });

  test('a row with too few or too many fields, and a malformed file, name their line', async ({ store }) => {
    const header = CARD_IMPORT_COLUMNS.join(',');
    let error = await refused(importCards(store, admin, source(`${header}\n1,2,3\n`), { fileName: 'short.csv' }));
    expect((error.details as { problems: unknown[] }).problems).toEqual([{ line: 2, column: null, reason: 'This row has 3 fields; the header has 11.' }]);
    const good = csv([row(1)]).split('\n')[1];
    error = await refused(importCards(store, admin, source(`${header}\n${good}\n\n"unclosed,${good}\n`), { fileName: 'open.csv' }));
    expect(error.message).toMatch(/not well-formed CSV at line \d+: A quoted field is not closed/);
    expect(error.message).not.toContain('ABCDEFGHJK');
    expect(await cardCount(store)).toBe(0);
  });

  test('a file saved as Latin-1 is refused at the first row whose bytes are not UTF-8', async ({ store }) => {
    const text = csv([row(1, { purchaser_name: 'Jose Garcia', recipient_name: 'Zoe Nunez' }), row(2)]);
    const error = await refused(importCards(store, admin, Readable.from([Buffer.from(text, 'latin1')]), { fileName: 'latin1.csv' }));
    expect((error.details as { problems: unknown[] }).problems).toEqual([{ line: 3, column: 'purchaser_name', reason: expect.stringMatching(/not UTF-8/) }]);
    expect(await cardCount(store)).toBe(0);
  });

  test('line numbers count CRLF line breaks inside quoted fields once', async ({ store }) => {
    const multi = row(1, { delivery_channel: 'physical', delivery_email: '', shipping_address: 'A\r\nB\r\nC' });
    const text = csv([multi, row(2), row(3, { marketplace: 'XX' })], { crlf: true, bom: true });
    const error = await refused(importCards(store, admin, source(text), { fileName: 'lines.csv' }));
    expect((error.details as { problems: unknown[] }).problems).toEqual([{ line: 6, column: 'marketplace', reason: expect.any(String) }]);
  });

  test('duplicates: a serial or a code twice in the file, or a code already in the store, are refused', async ({ store }) => {
    await importCards(store, admin, source(csv([row(900)])), { fileName: 'seed.csv' });
    const before = await snapshot(store);
    const rows = [
      row(1),
      row(1, { claim_code: 'ZZZZZZZZZZZZZZ' }), // serial again
      row(2, { claim_code: row(1).claim_code }), // code again
      row(3, { claim_code: row(900).claim_code }), // a stored card's code
    ];
    const error = await refused(importCards(store, admin, source(csv(rows)), { fileName: 'dups.csv' }));
    expect((error.details as { problems: unknown[] }).problems).toEqual([
      { line: 3, column: 'serial', reason: 'This serial is also on line 2 of the file.' },
      { line: 4, column: 'claim_code', reason: 'This claim code is also on line 2 of the file.' },
      { line: 5, column: 'claim_code', reason: 'This claim code already belongs to another card in the store.' },
    ]);
    expect(await snapshot(store)).toMatchObject({ cards: before.cards, imported: before.imported });
  });

  test('duplicates across the file\'s chunks (more than 1 000 rows apart) are found too', async ({ store }) => {
    const rows = Array.from({ length: 1200 }, (_, i) => row(i + 1));
    rows.push(row(5, { claim_code: 'ZZZZZZZZZZZZZZ' }), row(5000, { claim_code: row(7).claim_code }));
    const error = await refused(importCards(store, admin, source(csv(rows), 4096), { fileName: 'far.csv' }));
    expect((error.details as { problems: unknown[] }).problems).toEqual([
      { line: 1202, column: 'serial', reason: 'This serial is also on an earlier line of the file.' },
      { line: 1203, column: 'claim_code', reason: 'This claim code is also on an earlier line of the file.' },
    ]);
    expect(await cardCount(store)).toBe(0);
  });

  test('re-importing the same file changes nothing; a changed row is a conflict, never an overwrite', async ({ store }) => {
    const text = csv([row(1), row(2), row(3)]);
    await importCards(store, admin, source(text), { fileName: 'once.csv' });
    const stored = await store.db('cards').orderBy('id');
    const again = await importCards(store, admin, source(text), { fileName: 'once.csv' });
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 3, rejected: 0 });
    expect(await store.db('cards').orderBy('id')).toEqual(stored);
    // The same values written differently (spaced serial, lower-case code, 25 for 25.00) are the same card.
    const restyled = csv([row(1, { serial: '1700-0000-0000-0000-001', claim_code: row(1).claim_code.toLowerCase(), face_value: '25' })]);
    expect(await importCards(store, admin, source(restyled), { fileName: 'restyled.csv' })).toMatchObject({ alreadyPresent: 1, imported: 0 });

    const changed = csv([row(4), row(2, { face_value: '50.00', recipient_name: 'Someone Else' }), row(3, { claim_code: 'ZZZZZZZZZZZZZZ' })]);
    const error = await refused(importCards(store, admin, source(changed), { fileName: 'changed.csv' }));
    expect((error.details as { problems: unknown[] }).problems).toEqual([
      { line: 3, column: 'face_value', reason: 'Conflict: card 1700000000000000002 is already in the store with a different face_value, recipient_name; it was not changed.' },
      { line: 4, column: 'claim_code', reason: 'Conflict: card 1700000000000000003 is already in the store with a different claim_code; it was not changed.' },
    ]);
    expect(await store.db('cards').orderBy('id')).toEqual(stored);
    // With --skip-invalid the new row goes in and the conflicts are still not applied.
    expect(await importCards(store, admin, source(changed), { fileName: 'changed.csv', skipInvalid: true })).toMatchObject({ imported: 1, rejected: 2 });
    expect(await store.db('cards').whereIn('id', stored.map((c) => c.id)).orderBy('id')).toEqual(stored);
  });

  test('skip-invalid imports the valid rows and writes each refused row with its reason', async ({ store }) => {
    const rows = [row(1), row(2, { marketplace: 'FR' }), row(3), row(4, { face_value: '-1', recipient_name: 'Anaïs, "Nini"' })];
    const rejects = new PassThrough();
    let out = '';
    rejects.on('data', (c) => (out += c));
    const summary = await importCards(store, admin, source(csv(rows, { bom: true })), { fileName: 'mixed.csv', skipInvalid: true, rejects });
    expect(summary).toMatchObject({ rowsRead: 4, imported: 2, rejected: 2 });
    expect(summary.problems.map((p) => [p.line, p.column])).toEqual([[3, 'marketplace'], [5, 'face_value']]);
    const written = parse(out) as string[][];
    expect(written[0]).toEqual([...CARD_IMPORT_COLUMNS, 'reason']);
    expect(written[1]).toEqual([...CARD_IMPORT_COLUMNS.map((c) => rows[1]![c]), 'line 3, marketplace: The marketplace is one of US, CA, UK, DE, JP, IN.']);
    expect(written[2]!.slice(0, 11)).toEqual(CARD_IMPORT_COLUMNS.map((c) => rows[3]![c]));
    expect(written[2]![11]).toMatch(/^line 5, face_value: /);
    expect(await cardCount(store)).toBe(2);
    expect(await store.db('card_import_batches').first()).toMatchObject({ outcome: 'imported', rows_imported: 2, rows_rejected: 2 });
  });

  test('a cancel part way leaves the store exactly as it was', async ({ store }) => {
    await importCards(store, admin, source(csv([row(1)])), { fileName: 'seed.csv' });
    const before = await snapshot(store);
    const cardsBefore = await store.db('cards').orderBy('id');
    const controller = new AbortController();
    const seen: ImportProgress[] = [];
    const text = csv(Array.from({ length: 5000 }, (_, i) => row(i + 2)));
    const error = await refused(
      importCards(store, admin, source(text, 2048), {
        fileName: 'big.csv',
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.rowsRead >= 2000) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('IMPORT_CANCELLED');
    expect(error.message).toMatch(/cancelled at line \d+; nothing was imported/);
    expect(seen.some((p) => p.imported >= 1000)).toBe(true); // rows had been written inside the transaction
    expect(await store.db('cards').orderBy('id')).toEqual(cardsBefore);
    expect(await snapshot(store)).toMatchObject({ cards: before.cards, imported: before.imported });
    expect(await store.db('card_import_batches').where({ outcome: 'cancelled' }).first()).toMatchObject({ file_name: 'big.csv', rows_imported: 0, checksum: null });
    expect((await verifyAuditChain(store.db)).intact).toBe(true);
    // Nothing is left locked or half-done: the same file imports whole afterwards.
    expect(await importCards(store, admin, source(text, 65536), { fileName: 'big.csv' })).toMatchObject({ imported: 5000 });
  });

  test('generate → import round trip: a few thousand realistic rows, and an agent finds one', async ({ store }) => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await generateCards(out, { count: 3000, seed: 42 });
    const text = Buffer.concat(chunks).toString('utf8');
    const rows = [...generateCardRows(3000, 42)];
    expect(new Set(rows.map((r) => r.serial)).size).toBe(3000);
    expect(new Set(rows.map((r) => r.claim_code)).size).toBe(3000);
    expect(new Set(rows.map((r) => r.marketplace))).toEqual(new Set(['US', 'CA', 'UK', 'DE', 'JP', 'IN']));
    expect(new Set(rows.map((r) => r.delivery_channel))).toEqual(new Set(['email', 'physical']));
    expect(rows.some((r) => /[^ -~]/.test(r.purchaser_name))).toBe(true);
    expect(rows.some((r) => r.shipping_address.includes('\n'))).toBe(true);
    // Same seed, same file; another seed, other cards.
    expect([...generateCardRows(5, 42)]).toEqual(rows.slice(0, 5));
    expect([...generateCardRows(5, 43)][0]!.serial).not.toBe(rows[0]!.serial);

    const summary = await importCards(store, admin, source(text, 65536), { fileName: 'generated.csv' });
    expect(summary).toMatchObject({ rowsRead: 3000, imported: 3000, rejected: 0 });
    const pick = rows[1234]!;
    const card = await lookupCard(store, agent, { serial: pick.serial });
    expect(card).toMatchObject({ serial: pick.serial, marketplace: pick.marketplace, claimCodeLast4: pick.claim_code.slice(-4) });
    expect(await importCards(store, admin, source(text, 65536), { fileName: 'generated.csv' })).toMatchObject({ imported: 0, alreadyPresent: 3000 });
  });
});
