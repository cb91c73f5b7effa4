/**
 * Opening the store: a Knex handle over sqlite3 (a file in the data directory) or
 * PostgreSQL (team mode), migrated to the shipped schema. A database migrated by a
 * newer Giftdesk is refused rather than used.
 */
import path from 'node:path';
import { chmod } from 'node:fs/promises';
import knexFactory, { type Knex } from 'knex';
import { types as pgBuiltinTypes } from 'pg';
import { migrationSource, shippedMigrationNames } from '../../migrations';
import { storeKind, type StoreKind } from './dialect';

export interface StoreOptions {
  /** A `postgres://` URL for team mode; otherwise SQLite in `dataDir`. */
  databaseUrl?: string | null;
  dataDir: string;
  /** SQLite file name inside `dataDir`. */
  sqliteFile?: string;
  /** Most connections one console opens to PostgreSQL. */
  maxConnections?: number;
}

export interface Store {
  db: Knex;
  kind: StoreKind;
  /** Where the data lives, for messages: a file path or the URL without its password. */
  location: string;
  close(): Promise<void>;
}

export const SQLITE_FILE = 'giftdesk.sqlite';

interface SqliteConnection {
  run(sql: string, callback: (error: Error | null) => void): void;
}

type SqliteCallback = (this: unknown, error: Error | null, result?: unknown) => void;

interface SqliteStatement {
  all(bindings: unknown, callback: SqliteCallback): void;
  finalize(callback?: () => void): void;
}

/** The parts of a sqlite3 Database the statement cache replaces or uses. */
interface SqliteDatabase {
  all(sql: string, bindings: unknown, callback: SqliteCallback): void;
  prepare(sql: string, callback: (error: Error | null) => void): SqliteStatement;
  close(callback: (error: Error | null) => void): void;
}

/** Distinct statements one connection keeps prepared (least recently used ones are finalised). */
export const SQLITE_STATEMENT_CACHE = 200;

/**
 * Keeps the connection's statements prepared, by SQL text, for Knex's `all` (every
 * select, raw statement, BEGIN/COMMIT and insert/update with RETURNING; `run`, which
 * may stop at a first row and leave a statement open, is left as it is). sqlite3's own
 * `all` prepares a new statement per call, one more trip through the thread pool before
 * the statement runs: a console's hot path (the session's user, the card, the audit
 * append) repeats the same handful of statements, so each costs one trip instead of
 * two. `all` always steps a statement to its end, so a kept statement holds no lock
 * between calls. A statement that fails is dropped (it is prepared afresh next time);
 * the connection finalises them all before it closes.
 */
function cacheStatements(conn: SqliteDatabase): void {
  const cache = new Map<string, SqliteStatement>();
  const drop = (sql: string, statement: SqliteStatement) => {
    if (cache.get(sql) === statement) {
      cache.delete(sql);
      statement.finalize();
    }
  };
  conn.all = (sql: string, bindings: unknown, callback: SqliteCallback) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql); // re-inserted below: the most recently used come last
    } else {
      const prepared: SqliteStatement = conn.prepare(sql, (error) => {
        if (error) {
          drop(sql, prepared);
          callback.call(prepared, error);
        }
      });
      statement = prepared;
      if (cache.size >= SQLITE_STATEMENT_CACHE) {
        const [oldest, old] = cache.entries().next().value!;
        cache.delete(oldest);
        old.finalize();
      }
    }
    cache.set(sql, statement);
    const used = statement;
    used.all(bindings, function (this: unknown, error, result) {
      if (error) drop(sql, used);
      callback.call(this, error, result);
    });
  };
  const close = conn.close.bind(conn);
  conn.close = (callback) => {
    for (const statement of cache.values()) statement.finalize();
    cache.clear();
    close(callback);
  };
}

function runPragmas(conn: SqliteConnection, pragmas: string[], done: (error: Error | null, conn: unknown) => void) {
  const next = (i: number) => {
    if (i === pragmas.length) return done(null, conn);
    conn.run(pragmas[i]!, (error) => (error ? done(error, conn) : next(i + 1)));
  };
  next(0);
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * PostgreSQL hands BIGINT (and COUNT(*)) back as strings; Giftdesk's amounts and
 * counts are safe integers, so they become numbers here, once, and anything beyond
 * 2^53 fails loudly instead of losing digits.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === pgBuiltinTypes.builtins.INT8 && format !== 'binary') {
      return (value: string) => {
        const n = Number(value);
        if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${value} is beyond a safe integer`);
        return n;
      };
    }
    return format === 'binary' ? pgBuiltinTypes.getTypeParser(oid, 'binary') : pgBuiltinTypes.getTypeParser(oid, 'text');
  },
};

export const DEFAULT_PG_CONNECTIONS = 5;

export function createKnex(options: StoreOptions): { db: Knex; kind: StoreKind; location: string } {
  const url = options.databaseUrl?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error('GIFTDESK_DATABASE_URL must be a postgres:// URL');
    }
    const db = knexFactory({
      client: 'pg',
      connection: { connectionString: url, types: pgTypes, connectionTimeoutMillis: 5000, application_name: 'giftdesk' },
      pool: { min: 0, max: options.maxConnections ?? DEFAULT_PG_CONNECTIONS },
      acquireConnectionTimeout: 15_000,
      // Bound values (names, e-mails, digests) never reach an error message or a log line.
      compileSqlOnError: false,
    });
    return { db, kind: 'postgres', location: redactUrl(url) };
  }
  const filename = path.join(options.dataDir, options.sqliteFile ?? SQLITE_FILE);
  const db = knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // Bound values (names, e-mails, digests) never reach an error message or a log line.
    compileSqlOnError: false,
    // One connection per process: writes queue in the pool instead of failing with
    // SQLITE_BUSY; other processes wait on the file lock through busy_timeout.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (error: Error | null, conn: unknown) => void) =>
        runPragmas(
          conn,
          ['PRAGMA journal_mode = WAL', 'PRAGMA foreign_keys = ON', 'PRAGMA busy_timeout = 10000', 'PRAGMA synchronous = NORMAL'],
          (error) => {
            if (!error) cacheStatements(conn as unknown as SqliteDatabase);
            done(error, conn);
          },
        ),
    },
  });
  return { db, kind: 'sqlite', location: filename };
}

export class SchemaTooNewError extends Error {
  constructor(readonly unknownMigrations: string[]) {
    super(
      `This database was migrated by a newer version of Giftdesk (it has ${unknownMigrations.join(', ')}, ` +
        'which this version does not ship). Update Giftdesk on this computer before using this store.',
    );
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Refuses a database whose applied migrations are not a prefix of the shipped list;
 * answers whether it is already up to date.
 */
export async function checkSchemaVersion(db: Knex): Promise<'current' | 'behind'> {
  const hasTable = await db.schema.hasTable('knex_migrations');
  if (!hasTable) return 'behind';
  const applied = (await db('knex_migrations').select('name').orderBy('id')).map((r: { name: string }) => r.name);
  const unknown = applied.filter((name) => !shippedMigrationNames.includes(name));
  if (unknown.length > 0) throw new SchemaTooNewError(unknown);
  applied.forEach((name, i) => {
    if (shippedMigrationNames[i] !== name) {
      throw new Error(`The database's migrations are out of order at ${name}; refusing to use it.`);
    }
  });
  return applied.length === shippedMigrationNames.length ? 'current' : 'behind';
}

/** Any fixed number: the advisory lock team consoles take while one of them migrates. */
const MIGRATION_LOCK = 0x6769_6674;

/** What an operator runs, as the role that owns the schema, to bring a team database up to date. */
export const MIGRATE_HINT = 'run `giftdesk migrate` as the owner role (the role that owns the database and migrates it), then start again';

/**
 * The schema is behind and this connection's role may not change it: a least-privilege
 * runtime role (see the README's Team server section) never runs DDL.
 */
export class SchemaBehindError extends Error {
  constructor(role: string) {
    super(`This database's schema is behind this version of Giftdesk, and the database role "${role}" may not change the schema: ${MIGRATE_HINT}.`);
    this.name = 'SchemaBehindError';
  }
}

/**
 * Whether this connection's role may run the migrations: it may create tables in the
 * schema and, once the schema exists, it is (a member of) the role that owns it.
 * Read-only catalogue queries: no lock, no DDL.
 */
async function pgCanMigrate(db: Knex): Promise<{ can: boolean; role: string }> {
  const result = await db.raw(
    `SELECT current_user AS role,
            has_schema_privilege(current_schema(), 'CREATE') AS can_create,
            COALESCE((SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = to_regclass('knex_migrations')), true) AS owns`,
  );
  const row = (result as { rows: { role: string; can_create: boolean; owns: boolean }[] }).rows[0]!;
  return { can: row.can_create && row.owns, role: row.role };
}

/**
 * Brings the schema up to date. When it is already current this only reads
 * `knex_migrations` (no lock, no DDL), so a runtime role without DDL rights starts.
 * On PostgreSQL several consoles may start at once against an empty database: a
 * transaction-scoped advisory lock lets the first migrate while the others wait, then
 * find the schema current. A role that may not migrate gets SchemaBehindError.
 */
export async function migrateToLatest(db: Knex): Promise<void> {
  if ((await checkSchemaVersion(db)) === 'current') return;
  if (storeKind(db) === 'postgres') {
    const { can, role } = await pgCanMigrate(db);
    if (!can) throw new SchemaBehindError(role);
    try {
      await db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
        if ((await checkSchemaVersion(db)) === 'current') return;
        await db.migrate.latest({ migrationSource });
      });
    } catch (error) {
      // insufficient_privilege on some object the catalogue check could not foresee.
      if ((error as { code?: string }).code === '42501') throw new SchemaBehindError(role);
      throw error;
    }
    return;
  }
  await db.migrate.latest({ migrationSource });
}

/** A connection failure in words an agent or admin can act on, naming the store but never its password. */
export function describeStoreError(error: unknown, location: string): string {
  const e = error as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e.code ?? e.errors?.[0]?.code;
  const store = `the team database at ${location}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `Cannot reach ${store}: the connection was refused. Is the PostgreSQL server running and listening there?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot reach ${store}: the host name does not resolve.`;
    case 'ETIMEDOUT':
      return `Cannot reach ${store}: the connection timed out.`;
    case '28P01':
    case '28000':
      return `Cannot sign in to ${store}: the server refused the user name or password in GIFTDESK_DATABASE_URL.`;
    case '3D000':
      return `Cannot open ${store}: that database does not exist. Create it first (see the README's Team mode section).`;
    default:
      if (/timeout/i.test(e.message ?? '')) return `Cannot reach ${store}: the connection timed out.`;
      return `Cannot open ${store}: ${e.message ?? String(error)}`;
  }
}

function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; errors?: { code?: string }[]; message?: string };
  const code = e.code ?? e.errors?.[0]?.code;
  return (
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', '28P01', '28000', '3D000'].includes(code ?? '') ||
    /Knex: Timeout acquiring a connection|timeout expired|Connection terminated/i.test(e.message ?? '')
  );
}

export class StoreUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnreachableError';
  }
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const { db, kind, location } = createKnex(options);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    if (kind === 'postgres' && isConnectionError(error)) throw new StoreUnreachableError(describeStoreError(error, location), { cause: error });
    throw error;
  }
  if (kind === 'sqlite') await ownerOnly(location);
  return { db, kind, location, close: () => db.destroy() };
}

/** The SQLite file and its WAL companions are the OS user's alone (created with the umask's mode). */
async function ownerOnly(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    await chmod(name, 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
