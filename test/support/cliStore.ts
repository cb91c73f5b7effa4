/**
 * The command line's tests on both engines: each test gets a fresh temp directory with a
 * data directory (and on PostgreSQL an empty database the CLI migrates, as the first
 * console would), `run` calls the real `runCli` with captured output, and `withStore`
 * opens the same store with the services to look at what a command did.
 *
 *   const cli = cliStore(engine, 'limits');   // inside describe(engine, …): registers set-up and clean-up
 *   expect(await cli.run(['limits', 'show'])).toMatchObject({ code: 0 });
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import { runCli, type CliIo } from '../../electron/cli';
import { startRuntime, type Runtime } from '../../electron/runtime';
import { TestClock } from './clock';
import { TEST_SECRET_KEY, type Engine } from './engines';
import { createDatabase, dropDatabase, uniqueDatabaseName } from './postgres';
import { pgAdminUrl } from './store';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface CliRunOptions {
  /** Standard input: text (a pipe) or a stream (e.g. one that says it is a terminal). Default: empty. */
  stdin?: string | (NodeJS.ReadableStream & { isTTY?: boolean });
  /** Told the whole output so far each time a command writes to it. */
  onStdout?: (all: string) => void;
  onStderr?: (all: string) => void;
  /** More of the command's surroundings (e.g. `stopSignal`). */
  io?: Partial<CliIo>;
}

export interface CliStore {
  /** The test's own temp directory (files a test writes go here). */
  readonly root: string;
  /** The data directory the CLI is pointed at (root/data). */
  readonly dataDir: string;
  /** GIFTDESK_DATABASE_URL and GIFTDESK_SECRET_KEY on PostgreSQL (a test may change it); empty on SQLite. */
  env: Record<string, string>;
  run(args: string[], options?: CliRunOptions): Promise<CliResult>;
  /** The same store through the services, on a test clock that starts at `start` (default: TestClock's own start). */
  withStore<T>(fn: (rt: Runtime) => Promise<T>, start?: string): Promise<T>;
}

export function cliStore(engine: Engine, prefix: string): CliStore {
  let database: string | null = null;
  const state = { root: '', dataDir: '', env: {} as Record<string, string> };

  beforeEach(async () => {
    state.root = await mkdtemp(path.join(os.tmpdir(), `giftdesk-cli-${prefix}-`));
    state.dataDir = path.join(state.root, 'data');
    state.env = {};
    database = null;
    if (engine === 'postgres') {
      database = uniqueDatabaseName(`cli_${prefix}`.slice(0, 16));
      state.env = { GIFTDESK_DATABASE_URL: await createDatabase(pgAdminUrl(), database), GIFTDESK_SECRET_KEY: TEST_SECRET_KEY };
    }
  });
  afterEach(async () => {
    if (database) await dropDatabase(pgAdminUrl(), database);
    await rm(state.root, { recursive: true, force: true });
  });

  return {
    get root() {
      return state.root;
    },
    get dataDir() {
      return state.dataDir;
    },
    get env() {
      return state.env;
    },
    set env(next) {
      state.env = next;
    },
    async run(args, options = {}) {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (chunk) => {
        out += chunk;
        options.onStdout?.(out);
      });
      stderr.on('data', (chunk) => {
        err += chunk;
        options.onStderr?.(err);
      });
      const stdin = typeof options.stdin === 'string' || options.stdin === undefined ? Readable.from([options.stdin ?? '']) : options.stdin;
      const code = await runCli(args, {
        stdin,
        stdout,
        stderr,
        env: { GIFTDESK_DATA_DIR: state.dataDir, USER: 'tester', ...state.env },
        ...options.io,
      });
      return { code, out, err };
    },
    async withStore(fn, start) {
      const rt = await startRuntime(
        {
          dataDir: state.dataDir,
          databaseUrl: state.env['GIFTDESK_DATABASE_URL'] ?? null,
          demo: false,
          testHooks: false,
          secretKey: state.env['GIFTDESK_SECRET_KEY'] ?? null,
        },
        { clock: start === undefined ? new TestClock() : new TestClock(start) },
      );
      try {
        return await fn(rt);
      } finally {
        await rt.close();
      }
    },
  };
}
