/**
 * Issue 13, "Scale and speed": one table of figures measured side by side in one run,
 * on SQLite and on PostgreSQL, over a store of GIFTDESK_BENCH_STORE_CARDS cards (1 000 000
 * by default; GIFTDESK_BENCH_STORE_CARDS=10000000 for the large figure) — see bigStore.ts
 * for how it is built and cached.
 *
 *  - the floor: a bare prepared `get` of a card by serial (sqlite3 on the same file;
 *    a named prepared query over `pg` on the same database), run before every sample
 *    of every figure below (so both see the same moment of a shared machine);
 *  - serial lookup, balance inquiry, not-found with typo suggestions and an account's
 *    ledger page (an account with 100 000 entries), each through the full IPC wrapper
 *    (sender check, session, zod, query, audit append): p50 and p99, and their ratio to
 *    the floor's p50 and p99;
 *  - cards brought in: the whole fill, and 100 000 more into the big store, rows/s;
 *  - the console's start-up on the big store (open, migrations check, key check);
 *  - the process's resident memory with the big store open, after all the calls.
 *
 * Printed to stdout and written to bench-results.md in the checkout's root
 * (gitignored). Figures, not a timed test: nothing here asserts a speed.
 * GIFTDESK_BENCH_SAMPLES (default 2000) sets the samples per figure.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { SQLITE_FILE } from '../../electron/db/store';
import { dispatch, type WrapperOptions } from '../../electron/ipc/wrapper';
import { demoFixtures } from '../../electron/services/demo';
import { startRuntime, type Runtime } from '../../electron/runtime';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/postgres';
import { PG_TEMPLATE_DEMO } from '../support/engines';
import { wrapperOptions, windowEvent } from '../support/ipc';
import { engines, pgAdminUrl, type Engine } from '../support/store';
import {
  addLedger,
  BENCH_CARDS,
  benchActor,
  benchConfig,
  benchSerial,
  cachedSqliteStore,
  copySqliteStore,
  FILL_VIA,
  fillCards,
  LEDGER_ENTRIES,
} from './bigStore';

const WARMUP = 200;
const SAMPLES = Number(process.env['GIFTDESK_BENCH_SAMPLES'] ?? 2000);
const MORE_CARDS = 100_000;
const HOURS = 3 * 3_600_000;
const fixtures = demoFixtures();
const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

interface Latency {
  p50: number;
  p99: number;
}

function quantiles(times: number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const elapsedMs = async (run: () => Promise<void>) => {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

/**
 * The call's latency; the floor's get runs before each sample, timed on its own, so
 * the floor and the figure see the same moment of a shared machine.
 */
async function measure(call: (n: number) => Promise<void>, floor: Floor): Promise<Latency> {
  for (let n = 0; n < WARMUP; n++) {
    await floor.get(n);
    await call(n);
  }
  const times: number[] = [];
  for (let n = WARMUP; n < WARMUP + SAMPLES; n++) {
    floor.samples.push(await elapsedMs(() => floor.get(n)));
    times.push(await elapsedMs(() => call(n)));
  }
  return quantiles(times);
}

/** The floor: a bare prepared get of a card by serial, on its own connection; its samples from every figure. */
interface Floor {
  get(n: number): Promise<void>;
  samples: number[];
  close(): Promise<void>;
}

async function openFloor(engine: Engine, runtime: Runtime, dataDir: string): Promise<Floor> {
  if (engine === 'sqlite') {
    const raw = new sqlite3.Database(path.join(dataDir, SQLITE_FILE), sqlite3.OPEN_READONLY);
    const statement = raw.prepare('SELECT * FROM cards WHERE serial = ?');
    return {
      samples: [],
      get: (n) =>
        new Promise<void>((resolve, reject) =>
          statement.get(serialAt(n), (error: Error | null, row: unknown) => (error || !row ? reject(error ?? new Error('no row')) : resolve())),
        ),
      close: () => new Promise((resolve) => statement.finalize(() => raw.close(() => resolve()))),
    };
  }
  const client = new PgClient({ connectionString: runtime.config.databaseUrl! });
  await client.connect();
  return {
    samples: [],
    get: async (n) => {
      const result = await client.query({ name: 'bench-floor', text: 'SELECT * FROM cards WHERE serial = $1', values: [serialAt(n)] });
      if (result.rowCount !== 1) throw new Error('no row');
    },
    close: () => client.end(),
  };
}

/** Serials spread over the whole store (a fixed pseudo-random walk, the same on both engines). */
function serialAt(n: number): string {
  return benchSerial((n * 7_919 + 104_729) % BENCH_CARDS);
}

interface EngineFigures {
  floor?: Latency;
  lookup?: Latency;
  balance?: Latency;
  notFound?: Latency;
  ledger?: Latency;
  fillRowsPerSecond?: number;
  moreRowsPerSecond?: number;
  startupMs?: number;
  rssMb?: number;
  rssBeforeMb?: number;
}

const figures: Partial<Record<Engine, EngineFigures>> = {};
let fillNote = '';

const ms = (v: number | undefined) => (v === undefined ? '—' : v < 10 ? v.toFixed(3) : v.toFixed(1));
const ratio = (v: number | undefined, floor: number | undefined) => (v === undefined || !floor ? '—' : `${(v / floor).toFixed(1)}×`);
const int = (v: number | undefined) => (v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));

function table(): string {
  const shown = engines.filter((e) => figures[e]);
  const head = `| figure (${BENCH_CARDS.toLocaleString('en-US')} cards) | ${shown.map((e) => `${e === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ×floor`).join(' | ')} |`;
  const rule = `|---|${shown.map(() => '---:|---:').join('|')}|`;
  const rows: string[] = [];
  const latencyRow = (label: string, pick: (f: EngineFigures) => Latency | undefined, isFloor = false) => {
    for (const q of ['p50', 'p99'] as const) {
      const cells = shown.map((e) => {
        const f = figures[e]!;
        const v = pick(f)?.[q];
        return `${ms(v)} ms | ${isFloor ? '1.0×' : ratio(v, f.floor?.[q])}`;
      });
      rows.push(`| ${label} ${q} | ${cells.join(' | ')} |`);
    }
  };
  latencyRow('floor: bare prepared get by serial (beside every call below)', (f) => f.floor, true);
  latencyRow('cards:lookup, found (full wrapper)', (f) => f.lookup);
  latencyRow('cards:balance', (f) => f.balance);
  latencyRow('cards:lookup, not found + typo suggestions', (f) => f.notFound);
  latencyRow(`accounts:get, first page of ${LEDGER_ENTRIES.toLocaleString('en-US')} entries`, (f) => f.ledger);
  const plain = (label: string, pick: (f: EngineFigures) => string) => rows.push(`| ${label} | ${shown.map((e) => `${pick(figures[e]!)} | `).join(' | ')} |`);
  plain(`cards brought in: whole store, rows/s (${FILL_VIA})`, (f) => int(f.fillRowsPerSecond));
  plain(`cards brought in: ${MORE_CARDS.toLocaleString('en-US')} more into the big store, rows/s (${FILL_VIA})`, (f) => int(f.moreRowsPerSecond));
  plain('console start-up on the big store (open, migrations check, key check), ms', (f) => ms(f.startupMs));
  plain('process RSS with the big store open, after the calls, MB', (f) => int(f.rssMb));
  return [head, rule, ...rows].join('\n');
}

afterAll(async () => {
  const text = [
    `Giftdesk bench, ${new Date().toISOString()}, ${SAMPLES} samples per latency figure after ${WARMUP} warm-up calls.`,
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
    fillNote,
    '',
    table(),
    '',
  ].join('\n');
  process.stdout.write(`\n${text}\n`);
  await writeFile(path.resolve(__dirname, '../../bench-results.md'), text);
});

/** The console's calls through the real wrapper, one window signed in as the demo agent. */
async function signedInWindow(runtime: Runtime): Promise<{ options: WrapperOptions; call: (channel: any, input: unknown) => ReturnType<typeof dispatch> }> {
  const options = wrapperOptions(runtime);
  const event = windowEvent();
  const signedIn = await dispatch('session:signIn', event, { username: 'ava', password: fixtures.users.ava.password }, options);
  if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.error.message}`);
  return { options, call: (channel, input) => dispatch(channel, event, input, options) };
}

async function wrapperFigures(runtime: Runtime, accountId: string, f: EngineFigures, floor: Floor): Promise<void> {
  const { call } = await signedInWindow(runtime);
  const ok = async (channel: string, input: unknown) => {
    const result = await call(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  };
  f.lookup = await measure((n) => ok('cards:lookup', { serial: serialAt(n) }), floor);
  f.balance = await measure((n) => ok('cards:balance', { serial: serialAt(n + 50_000) }), floor);
  f.notFound = await measure(async (n) => {
    // A well-formed serial one digit off a bench card (a 0 among the leading digits typed as 5): no card has it, the typo suggestions find the card.
    const serial = serialAt(n + 100_000);
    const result = await call('cards:lookup', { serial: `${serial.slice(0, 5)}5${serial.slice(6)}` });
    if (!result.ok && (result.error.details as { suggestions?: string[] } | undefined)?.suggestions?.length !== 1) throw new Error('expected one suggestion');
    if (result.ok || result.error.code !== 'CARD_NOT_FOUND') throw new Error('expected CARD_NOT_FOUND');
  }, floor);
  f.ledger = await measure(() => ok('accounts:get', { accountId, limit: 25 }), floor);
  f.floor = quantiles(floor.samples);
}

for (const engine of engines) {
  describe(`the big store on ${engine}`, () => {
    const f: EngineFigures = {};
    figures[engine] = f;
    let runtime: Runtime | null = null;
    let dataDir = '';
    let database: string | null = null;
    let accountId = '';

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), `giftdesk-bench-${engine}-`));
      f.rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
      if (engine === 'sqlite') {
        const cached = await cachedSqliteStore(log);
        accountId = cached.info.accountId;
        f.fillRowsPerSecond = cached.info.fillRowsPerSecond;
        fillNote = `SQLite store built ${cached.info.builtAt} through ${cached.info.fillVia} (cached in ${cached.dir}).`;
        await copySqliteStore(cached.dir, dataDir);
        const began = performance.now();
        runtime = await startRuntime(benchConfig(dataDir));
        f.startupMs = performance.now() - began;
      } else {
        database = uniqueDatabaseName('bench');
        const url = await createDatabase(pgAdminUrl(), database, PG_TEMPLATE_DEMO);
        const filling = await startRuntime(benchConfig(dataDir, { databaseUrl: url }));
        log(`filling PostgreSQL with ${BENCH_CARDS} cards`);
        f.fillRowsPerSecond = await fillCards(filling, await benchActor(filling), 0, BENCH_CARDS, (done) => {
          if (done % 200_000 === 0) log(`  ${done} cards`);
        });
        accountId = await addLedger(filling);
        await filling.db.raw('VACUUM ANALYZE');
        await filling.close();
        const began = performance.now();
        runtime = await startRuntime(benchConfig(dataDir, { databaseUrl: url }));
        f.startupMs = performance.now() - began;
      }
    }, HOURS);

    afterAll(async () => {
      await runtime?.close();
      if (database) await dropDatabase(pgAdminUrl(), database);
      await rm(dataDir, { recursive: true, force: true });
    }, HOURS);

    test('through the full wrapper: lookup, balance, not found, ledger page', async () => {
      const floor = await openFloor(engine, runtime!, dataDir);
      try {
        await wrapperFigures(runtime!, accountId, f, floor);
      } finally {
        await floor.close();
      }
    }, HOURS);

    test(`${MORE_CARDS} more cards into the big store`, async () => {
      f.moreRowsPerSecond = await fillCards(runtime!, await benchActor(runtime!), BENCH_CARDS, MORE_CARDS);
      f.rssMb = process.memoryUsage().rss / 2 ** 20;
    }, HOURS);
  });
}
