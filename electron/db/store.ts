/**
 * Opening the store: a Knex handle over sqlite3 (a file in the data directory) or
 * PostgreSQL (team mode), migrated to the shipped schema. A database migrated by a
 * newer Giftdesk is refused rather than used.
 */
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrationSource, shippedMigrationNames } from '../../migrations';
import { type StoreKind } from './dialect';

export interface StoreOptions {
  /** A `postgres://` URL for team mode; otherwise SQLite in `dataDir`. */
  databaseUrl?: string | null;
  dataDir: string;
  /** SQLite file name inside `dataDir`. */
  sqliteFile?: string;
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

export function createKnex(options: StoreOptions): { db: Knex; kind: StoreKind; location: string } {
  const url = options.databaseUrl?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error('GIFTDESK_DATABASE_URL must be a postgres:// URL');
    }
    const db = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 10 } });
    return { db, kind: 'postgres', location: redactUrl(url) };
  }
  const filename = path.join(options.dataDir, options.sqliteFile ?? SQLITE_FILE);
  const db = knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // One connection per process: writes queue in the pool instead of failing with
    // SQLITE_BUSY; other processes wait on the file lock through busy_timeout.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (error: Error | null, conn: unknown) => void) =>
        runPragmas(
          conn,
          ['PRAGMA journal_mode = WAL', 'PRAGMA foreign_keys = ON', 'PRAGMA busy_timeout = 10000', 'PRAGMA synchronous = NORMAL'],
          done,
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

/** Refuses a database whose applied migrations are not a prefix of the shipped list. */
export async function checkSchemaVersion(db: Knex): Promise<void> {
  const hasTable = await db.schema.hasTable('knex_migrations');
  if (!hasTable) return;
  const applied = (await db('knex_migrations').select('name').orderBy('id')).map((r: { name: string }) => r.name);
  const unknown = applied.filter((name) => !shippedMigrationNames.includes(name));
  if (unknown.length > 0) throw new SchemaTooNewError(unknown);
  applied.forEach((name, i) => {
    if (shippedMigrationNames[i] !== name) {
      throw new Error(`The database's migrations are out of order at ${name}; refusing to use it.`);
    }
  });
}

export async function migrateToLatest(db: Knex): Promise<void> {
  await checkSchemaVersion(db);
  await db.migrate.latest({ migrationSource });
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const { db, kind, location } = createKnex(options);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, kind, location, close: () => db.destroy() };
}
