/**
 * The bench's big store: the demo data plus GIFTDESK_BENCH_STORE_CARDS cards (1 000 000 by
 * default; GIFTDESK_BENCH_STORE_CARDS=10000000 for the issue's large figure) and one
 * account with 100 000 ledger entries, plus 1 000 000 audit entries and 20 000 credit requests
 * over a year (addAuditEntries: the dashboard's load). (GIFTDESK_BENCH_CARDS is team.bench.ts's own:
 * the cards its consoles redeem.)
 *
 * Filling goes through ONE function, `fillCards`: the real card import path
 * (`importCards` from electron/services/cardImport.ts, what `giftdesk cards import`
 * runs: a generated CSV streams through parsing, row checks, duplicate checks, sealing
 * and the batch insert), in batches of FILL_BATCH rows each in its own transaction.
 *
 * The SQLite store is built once and cached in the OS temp directory under a name
 * holding the card count, the schema version (last shipped migration) and FILL_VERSION;
 * each run works on a copy, so the cache never sees the run's writes. PostgreSQL is
 * filled on every run (its test server lives only as long as the run).
 */
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { shippedMigrationNames } from '../../migrations';
import { CLAIM_CODE_ALPHABET } from '../../shared/claimCode';
import { SQLITE_FILE } from '../../electron/db/store';
import type { NewCard } from '../../electron/services/cardIssue';
import { importCards } from '../../electron/services/cardImport';
import type { Actor, ServiceDeps } from '../../electron/services/context';
import { startRuntime, type Runtime } from '../../electron/runtime';
import { TEST_SECRET_KEY } from '../support/engines';

export const BENCH_CARDS = Number(process.env['GIFTDESK_BENCH_STORE_CARDS'] ?? 1_000_000);
export const LEDGER_ENTRIES = 100_000;
/** Audit entries (and credit requests) spread over the year before the store was built: the dashboard's load. */
export const BENCH_AUDIT_ENTRIES = Number(process.env['GIFTDESK_BENCH_AUDIT_ENTRIES'] ?? 1_000_000);
export const BENCH_CREDIT_REQUESTS = 20_000;
/** Bumped whenever what the cached store holds changes. */
const FILL_VERSION = 4;
const SCHEMA_VERSION = shippedMigrationNames[shippedMigrationNames.length - 1]!;

if (!Number.isSafeInteger(BENCH_CARDS) || BENCH_CARDS < 1000 || BENCH_CARDS > 99_999_999) {
  throw new Error('GIFTDESK_BENCH_STORE_CARDS must be a whole number from 1000 to 99 999 999');
}

/** Bench card n: serial 179…n (19 digits), a distinct claim code (n in base 32, then a fixed tail). */
export function benchSerial(n: number): string {
  return `179${String(n).padStart(16, '0')}`;
}

function benchCode(n: number): string {
  let code = '';
  for (let k = 0, rest = n; k < 14; k++) {
    if (k < 6) {
      code += CLAIM_CODE_ALPHABET[rest % 32];
      rest = Math.floor(rest / 32);
    } else code += CLAIM_CODE_ALPHABET[(n * 7 + k * 13) % 32];
  }
  return code;
}

const FIRST_NAMES = ['Zoë', 'José', 'Ana', 'Björn', 'Chloé', 'Dmitri', 'Émile', 'Fatima', 'Günther', 'Hélène', 'Ines', 'Jürgen'];
const LAST_NAMES = ['Nuñez', 'Müller', 'García', 'Øster', 'Dubois', 'Kowalski', 'Rossi', 'Smith', 'Łukasz', 'Brontë'];

function benchCard(n: number, now: Date): NewCard {
  const physical = n % 5 === 0;
  const name = (k: number) => `${FIRST_NAMES[(n + k) % FIRST_NAMES.length]} ${LAST_NAMES[(n * 3 + k) % LAST_NAMES.length]}`;
  return {
    serial: benchSerial(n),
    claimCode: benchCode(n),
    marketplace: 'US',
    faceValueMinor: 2500 + (n % 8) * 500,
    status: 'active',
    deliveryChannel: physical ? 'physical' : 'email',
    orderNumber: `112-${String(n % 10_000_000).padStart(7, '0')}-${String(n).padStart(8, '0')}`,
    orderedAt: now,
    purchaserName: name(0),
    recipientName: name(1),
    deliveryEmail: physical ? null : `buyer${n}@example.com`,
    deliveryAddress: physical ? `${n % 900 + 1} Main Street, Springfield, IL 62701, US` : null,
    createdAt: now,
  };
}

export const FILL_VIA = 'cards import';

/** Rows per import batch while filling (one transaction each, like one issuer file). */
const FILL_BATCH = 250_000;

const CSV_HEADER =
  'serial,claim_code,marketplace,face_value,order_number,ordered_at,purchaser_name,recipient_name,delivery_channel,delivery_email,shipping_address\n';
const csvField = (value: string | null) => (value === null ? '' : /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** Cards n = start … start+count-1 as an import file (streamed, never whole in memory). */
export function benchCsv(start: number, count: number, now: Date): Readable {
  function* lines() {
    yield CSV_HEADER;
    for (let at = start; at < start + count; at += 1000) {
      let chunk = '';
      for (let n = at; n < Math.min(at + 1000, start + count); n++) {
        const c = benchCard(n, now);
        chunk +=
          [c.serial, c.claimCode, c.marketplace, (c.faceValueMinor / 100).toFixed(2), c.orderNumber, c.orderedAt.toISOString(), c.purchaserName, c.recipientName, c.deliveryChannel, c.deliveryEmail, c.deliveryAddress]
            .map(csvField)
            .join(',') + '\n';
      }
      yield chunk;
    }
  }
  return Readable.from(lines());
}

/**
 * Puts cards n = start … start+count-1 into the store through the import path; answers rows per second.
 */
export async function fillCards(deps: ServiceDeps, actor: Actor, start: number, count: number, log?: (done: number) => void): Promise<number> {
  const now = deps.clock.now();
  const began = performance.now();
  for (let at = start; at < start + count; at += FILL_BATCH) {
    const rows = Math.min(FILL_BATCH, start + count - at);
    await importCards(deps, actor, benchCsv(at, rows, now), { fileName: `bench-${at}-${rows}.csv` });
    log?.(at + rows - start);
  }
  return count / ((performance.now() - began) / 1000);
}

/** The first US demo account gets LEDGER_ENTRIES more ledger entries (one statement; its balance moves with them). */
export async function addLedger(deps: ServiceDeps): Promise<string> {
  const db = deps.db;
  const account = await db('accounts').where({ marketplace: 'US' }).orderBy('id').first('id', 'balance_minor');
  const base = Number(account.balance_minor);
  const at = deps.clock.now();
  const columns = 'account_id, amount_minor, currency, type, reason, card_id, actor_user_id, ticket_id, balance_after_minor, created_at';
  const values = `?, 100, 'USD', 'manual_credit', 'bench', NULL, NULL, 'T-BENCH', ? + i * 100, ?`;
  if (deps.kind === 'sqlite') {
    await db.raw(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${LEDGER_ENTRIES}) INSERT INTO ledger_entries (${columns}) SELECT ${values} FROM n`,
      [account.id, base, at],
    );
  } else {
    await db.raw(`INSERT INTO ledger_entries (${columns}) SELECT ${values} FROM generate_series(1, ${LEDGER_ENTRIES}) AS i`, [account.id, base, at]);
  }
  await db('accounts').where({ id: account.id }).update({ balance_minor: base + LEDGER_ENTRIES * 100 });
  return account.id as string;
}

const YEAR = 365 * 86_400_000;

/**
 * BENCH_AUDIT_ENTRIES audit entries over the year up to the clock's now, in ONE multi-row
 * INSERT … SELECT (no hashing, no appendAudit): a timing store, not a record. Their
 * hashes are placeholders, so the chain does NOT verify past the demo's entries; the
 * head is moved to the last of them so that later appends (the bench's own calls) still
 * take the next sequence numbers. The mix per 100 entries: 4 recovery checks (verified,
 * failed, locked in turn), 1 unlock, 3 refused redemptions (4 codes in turn, one of them
 * the rate limit), 1 personal-data reveal (5 supervisors), 91 look-ups and balance
 * inquiries — the dashboard's actions are a few in a hundred, as at a real desk.
 * Then BENCH_CREDIT_REQUESTS credit requests over the same year (50 still pending).
 */
export async function addAuditEntries(deps: ServiceDeps): Promise<void> {
  const db = deps.db;
  const n = BENCH_AUDIT_ENTRIES;
  const step = Math.floor(YEAR / n);
  const now = deps.clock.now();
  const head = await db('audit_head').where({ id: 1 }).first('seq');
  const base = Number(head.seq);
  const zeros = '0'.repeat(64);
  const round = '(i / 100)';
  const select = (at: string, series: string) => `
    SELECT ${base} + i, ${at},
      CASE i % 100 WHEN 4 THEN 'sam' WHEN 8 THEN CASE ${round} % 5 WHEN 0 THEN 'sam' WHEN 1 THEN 'sky' WHEN 2 THEN 'sue' WHEN 3 THEN 'sid' ELSE 'sol' END ELSE 'ava' END,
      CASE WHEN i % 100 < 4 THEN 'recovery.verify' WHEN i % 100 = 4 THEN 'recovery.unlocked' WHEN i % 100 < 8 THEN 'card.redeem.refused'
           WHEN i % 100 = 8 THEN 'pii.revealed' WHEN i % 2 = 0 THEN 'card.lookup' ELSE 'card.balanceInquiry' END,
      'card', 'S' || (i % 1000), 'T-BENCH',
      CASE WHEN i % 100 < 4 THEN '{"outcome":"' || CASE ${round} % 3 WHEN 0 THEN 'verified' WHEN 1 THEN 'failed' ELSE 'locked' END || '"}'
           WHEN i % 100 BETWEEN 5 AND 7 THEN '{"code":"' || CASE ${round} % 4 WHEN 0 THEN 'CLAIM_CODE_NOT_FOUND' WHEN 1 THEN 'CARD_VOID' WHEN 2 THEN 'REDEMPTION_RATE_LIMITED' ELSE 'CARD_ALREADY_REDEEMED' END || '"}'
           WHEN i % 100 = 8 THEN '{"field":"purchaserName","reason":"bench"}' ELSE '{}' END,
      '${zeros}', '${zeros}'
    FROM ${series}`;
  const columns = 'seq, at, actor, action, subject_type, subject_id, ticket_id, details, prev_hash, hash';
  const requests = BENCH_CREDIT_REQUESTS;
  const account = await db('accounts').where({ marketplace: 'US' }).orderBy('id').first('id');
  const requester = await db('users').where({ username: 'ava' }).first('id');
  const creditColumns = 'account_id, amount_minor, currency, reason, ticket_id, requester_user_id, status, required_approvals, created_at, expires_at, decided_at';
  const status = `CASE WHEN i > ${requests - 50} THEN 'pending' ELSE CASE i % 4 WHEN 0 THEN 'approved' WHEN 1 THEN 'rejected' WHEN 2 THEN 'expired' ELSE 'cancelled' END END`;
  const reason = `CASE i % 5 WHEN 0 THEN 'DAMAGED_CODE' WHEN 1 THEN 'CODE_NOT_WORKING' WHEN 2 THEN 'GOODWILL' WHEN 3 THEN 'SERVICE_RECOVERY' ELSE 'OTHER' END`;
  const creditStep = Math.floor(YEAR / requests);
  if (deps.kind === 'sqlite') {
    const at = `${now.getTime()} - (${n} - i) * ${step}`;
    await db.raw(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n}) INSERT INTO audit_log (${columns}) ${select(at, 'n')}`);
    const created = `(${now.getTime()} - (${requests} - i) * ${creditStep})`;
    await db.raw(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${requests}) INSERT INTO credit_requests (${creditColumns})
       SELECT ?, 2500, 'USD', ${reason}, 'T-BENCH', ?, ${status}, 1, ${created}, ${created} + 7 * 86400000,
              CASE WHEN ${status} = 'pending' THEN NULL WHEN ${status} = 'expired' THEN ${created} + 7 * 86400000 ELSE ${created} + 3600000 END FROM n`,
      [account.id, requester.id],
    );
  } else {
    const at = `'${now.toISOString()}'::timestamptz - (CAST(${n} - i AS bigint) * ${step}) * interval '1 millisecond'`;
    await db.raw(`INSERT INTO audit_log (${columns}) ${select(at, `generate_series(1, ${n}) AS i`)}`);
    const created = `('${now.toISOString()}'::timestamptz - (CAST(${requests} - i AS bigint) * ${creditStep}) * interval '1 millisecond')`;
    await db.raw(
      `INSERT INTO credit_requests (${creditColumns})
       SELECT ?, 2500, 'USD', ${reason}, 'T-BENCH', ?, ${status}, 1, ${created}, ${created} + interval '7 days',
              CASE WHEN ${status} = 'pending' THEN NULL WHEN ${status} = 'expired' THEN ${created} + interval '7 days' ELSE ${created} + interval '1 hour' END
       FROM generate_series(1, ${requests}) AS i`,
      [account.id, requester.id],
    );
  }
  await db('audit_head').where({ id: 1 }).update({ seq: base + n, hash: zeros });
}

export interface BigStoreInfo {
  cards: number;
  accountId: string;
  fillRowsPerSecond: number;
  fillVia: string;
  builtAt: string;
}

function cacheDir(): string {
  return path.join(os.tmpdir(), 'giftdesk-bench-cache', `${BENCH_CARDS}-cards-${BENCH_AUDIT_ENTRIES}-audit-${SCHEMA_VERSION}-fill${FILL_VERSION}`);
}

/** A console's configuration over the bench store (the demo data is seeded only when building the SQLite cache). */
export function benchConfig(dataDir: string, options: { databaseUrl?: string; demo?: boolean } = {}) {
  return { dataDir, databaseUrl: options.databaseUrl ?? null, demo: options.demo ?? false, testHooks: false, secretKey: TEST_SECRET_KEY };
}

/** The cached SQLite big store (built now if missing): its data directory and what it holds. */
export async function cachedSqliteStore(log: (line: string) => void): Promise<{ dir: string; info: BigStoreInfo }> {
  const dir = cacheDir();
  const infoFile = path.join(dir, 'bench-store.json');
  try {
    return { dir, info: JSON.parse(await readFile(infoFile, 'utf8')) as BigStoreInfo };
  } catch {
    // not built yet
  }
  const building = `${dir}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  const runtime = await startRuntime(benchConfig(building, { demo: true }));
  try {
    const actor = await benchActor(runtime);
    log(`building the ${BENCH_CARDS}-card SQLite store in ${dir} (cached for later runs)`);
    const fillRowsPerSecond = await fillCards(runtime, actor, 0, BENCH_CARDS, (done) => {
      if (done % 100_000 === 0) log(`  ${done} cards`);
    });
    const accountId = await addLedger(runtime);
    log(`adding ${BENCH_AUDIT_ENTRIES} audit entries`);
    await addAuditEntries(runtime);
    await runtime.db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    const info: BigStoreInfo = { cards: BENCH_CARDS, accountId, fillRowsPerSecond, fillVia: FILL_VIA, builtAt: new Date().toISOString() };
    await writeFile(path.join(building, 'bench-store.json'), JSON.stringify(info));
    await runtime.close();
    await rm(dir, { recursive: true, force: true });
    await rename(building, dir);
    return { dir, info };
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
}

/** A working copy of the cached store (the run's writes stay out of the cache). */
export async function copySqliteStore(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  for (const name of [SQLITE_FILE, `${SQLITE_FILE}-wal`]) {
    const exists = await stat(path.join(from, name)).then(() => true, () => false);
    if (exists) await copyFile(path.join(from, name), path.join(to, name));
  }
}

/** The demo admin, who imports. */
export async function benchActor(runtime: Runtime): Promise<Actor> {
  const row = await runtime.db('users').where({ role: 'admin' }).orderBy('id').first('id', 'username', 'role');
  return { id: Number(row.id), username: row.username as string, role: row.role as Actor['role'] };
}
