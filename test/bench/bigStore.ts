/**
 * The bench's big store: the demo data plus GIFTDESK_BENCH_STORE_CARDS cards (1 000 000 by
 * default; GIFTDESK_BENCH_STORE_CARDS=10000000 for the large figure) and one
 * account with 100 000 ledger entries. (GIFTDESK_BENCH_CARDS is team.bench.ts's own:
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
/** Bumped whenever what the cached store holds changes. */
const FILL_VERSION = 2;
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

export interface BigStoreInfo {
  cards: number;
  accountId: string;
  fillRowsPerSecond: number;
  fillVia: string;
  builtAt: string;
}

function cacheDir(): string {
  return path.join(os.tmpdir(), 'giftdesk-bench-cache', `${BENCH_CARDS}-cards-${SCHEMA_VERSION}-fill${FILL_VERSION}`);
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
