/**
 * Issue 14, the supervisor dashboard: `dashboard:summary` through the full IPC wrapper
 * (signed in as a demo supervisor) on the big store — GIFTDESK_BENCH_STORE_CARDS cards
 * (1 000 000 by default) and BENCH_AUDIT_ENTRIES audit entries over a year (bigStore.ts)
 * — on SQLite and PostgreSQL: the default period (the last 30 days) and the longest
 * (366 days), p50 and p99, and each chart's statement on its own (p50), so a slow
 * figure names its statement. The issue's bar: the whole summary under 200 ms.
 *
 * Printed to stdout and written to bench-dashboard.md in the checkout's root
 * (gitignored). Figures, not a timed test: nothing here asserts a speed.
 * GIFTDESK_BENCH_DASHBOARD_SAMPLES (default 40) sets the samples per figure.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { dispatch } from '../../electron/ipc/wrapper';
import { dashboardStatements, type DashboardChart } from '../../electron/services/dashboard';
import { demoFixtures } from '../../electron/services/demo';
import { startRuntime, type Runtime } from '../../electron/runtime';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/postgres';
import { PG_TEMPLATE_DEMO } from '../support/engines';
import { wrapperOptions, windowEvent } from '../support/ipc';
import { engines, pgAdminUrl, type Engine } from '../support/store';
import {
  addAuditEntries,
  addLedger,
  BENCH_AUDIT_ENTRIES,
  BENCH_CARDS,
  benchActor,
  benchConfig,
  cachedSqliteStore,
  copySqliteStore,
  fillCards,
} from './bigStore';

const WARMUP = 5;
const SAMPLES = Number(process.env['GIFTDESK_BENCH_DASHBOARD_SAMPLES'] ?? 40);
const HOURS = 3 * 3_600_000;
const DAY = 86_400_000;
const fixtures = demoFixtures();
const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

interface Latency {
  p50: number;
  p99: number;
}

async function measure(call: () => Promise<void>): Promise<Latency> {
  for (let n = 0; n < WARMUP; n++) await call();
  const times: number[] = [];
  for (let n = 0; n < SAMPLES; n++) {
    const start = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = times.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const charts: DashboardChart[] = ['credits', 'queue', 'recovery', 'refusals', 'rateLimitTrips', 'reveals', 'liability'];

interface EngineFigures {
  days30?: Latency;
  days366?: Latency;
  perChart: Partial<Record<DashboardChart, number>>;
}

const figures: Partial<Record<Engine, EngineFigures>> = {};
const ms = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(1));

function table(): string {
  const shown = engines.filter((e) => figures[e]);
  const head = `| dashboard:summary (${BENCH_CARDS.toLocaleString('en-US')} cards, ${BENCH_AUDIT_ENTRIES.toLocaleString('en-US')} audit entries) | ${shown.map((e) => (e === 'sqlite' ? 'SQLite' : 'PostgreSQL')).join(' | ')} |`;
  const rule = `|---|${shown.map(() => '---:').join('|')}|`;
  const rows: string[] = [];
  for (const [label, pick] of [
    ['last 30 days (the default), full wrapper', (f: EngineFigures) => f.days30],
    ['366 days (the longest), full wrapper', (f: EngineFigures) => f.days366],
  ] as const) {
    for (const q of ['p50', 'p99'] as const) rows.push(`| ${label} ${q} | ${shown.map((e) => `${ms(pick(figures[e]!)?.[q])} ms`).join(' | ')} |`);
  }
  for (const chart of charts) rows.push(`| statement \`${chart}\` alone (30 days) p50 | ${shown.map((e) => `${ms(figures[e]!.perChart[chart])} ms`).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

afterAll(async () => {
  const text = [
    `Giftdesk dashboard bench, ${new Date().toISOString()}, ${SAMPLES} samples per figure after ${WARMUP} warm-up calls.`,
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
    '',
    table(),
    '',
  ].join('\n');
  process.stdout.write(`\n${text}\n`);
  await writeFile(path.resolve(__dirname, '../../bench-dashboard.md'), text);
});

for (const engine of engines) {
  describe(`the dashboard on ${engine}`, () => {
    const f: EngineFigures = { perChart: {} };
    figures[engine] = f;
    let runtime: Runtime | null = null;
    let dataDir = '';
    let database: string | null = null;

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), `giftdesk-bench-dash-${engine}-`));
      if (engine === 'sqlite') {
        const cached = await cachedSqliteStore(log);
        await copySqliteStore(cached.dir, dataDir);
        runtime = await startRuntime(benchConfig(dataDir));
      } else {
        database = uniqueDatabaseName('bench');
        const url = await createDatabase(pgAdminUrl(), database, PG_TEMPLATE_DEMO);
        const filling = await startRuntime(benchConfig(dataDir, { databaseUrl: url }));
        log(`filling PostgreSQL with ${BENCH_CARDS} cards and ${BENCH_AUDIT_ENTRIES} audit entries`);
        await fillCards(filling, await benchActor(filling), 0, BENCH_CARDS, (done) => {
          if (done % 250_000 === 0) log(`  ${done} cards`);
        });
        await addLedger(filling);
        await addAuditEntries(filling);
        await filling.db.raw('VACUUM ANALYZE');
        await filling.close();
        runtime = await startRuntime(benchConfig(dataDir, { databaseUrl: url }));
      }
    }, HOURS);

    afterAll(async () => {
      await runtime?.close();
      if (database) await dropDatabase(pgAdminUrl(), database);
      await rm(dataDir, { recursive: true, force: true });
    }, HOURS);

    test('dashboard:summary through the full wrapper, and each statement alone', async () => {
      const options = wrapperOptions(runtime!);
      const event = windowEvent();
      const signedIn = await dispatch('session:signIn', event, { username: 'sam', password: fixtures.users.sam.password }, options);
      if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.error.message}`);
      const summary = async (input: Record<string, unknown>) => {
        const result = await dispatch('dashboard:summary', event, input, options);
        if (!result.ok) throw new Error(`dashboard:summary: ${result.error.code} ${result.error.message}`);
      };
      const now = runtime!.clock.now();
      f.days30 = await measure(() => summary({ utcOffsetMinutes: 60 }));
      f.days366 = await measure(() => summary({ from: new Date(now.getTime() - 366 * DAY).toISOString(), to: now.toISOString(), utcOffsetMinutes: 60 }));
      const statements = dashboardStatements(runtime!.kind, { from: new Date(now.getTime() - 30 * DAY), to: now, utcOffsetMinutes: 60 }, now);
      for (const chart of charts) f.perChart[chart] = (await measure(async () => void (await statements[chart](runtime!.db)))).p50;
    }, HOURS);
  });
}
