/**
 * Issue 12, "Load and scale": the team table. N simulated consoles (1, 10, 50, 100)
 * each sign in and then run a realistic mix over real HTTP against one and against two
 * `giftdesk serve` processes (separate child processes, each with its own PostgreSQL
 * pool of 5) on the test PostgreSQL, with the demo data plus bench cards. Printed:
 * operations per second, p50/p99 latency, and the audit chain's head lock — the share
 * of the calls' time spent in the statement that takes it, and how busy it was.
 * Figures, not a timed test: nothing here asserts a speed.
 *
 * Small runs while developing: GIFTDESK_BENCH_CONSOLES=1,4 GIFTDESK_BENCH_PHASE_MS=1500.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/net';
import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HeadLockStats } from '../../electron/db/transaction';
import { CLAIM_CODE_ALPHABET as CODE_ALPHABET } from '../../shared/claimCode';
import { CONTRACT_VERSION, CONTRACT_VERSION_HEADER } from '../../shared/protocol';
import { issueCards, type NewCard } from '../../electron/services/cardIssue';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import { TEST_SECRET_KEY } from '../support/engines';
import { createTestStore, engines, type TestStore } from '../support/store';
import { buildBenchServer } from './serverBuild';

const CONSOLES = (process.env['GIFTDESK_BENCH_CONSOLES'] ?? '1,10,50,100').split(',').map(Number);
const PHASE_MS = Number(process.env['GIFTDESK_BENCH_PHASE_MS'] ?? 6000);
const WARMUP_MS = Math.min(1500, Math.round(PHASE_MS / 4));
const BENCH_CARDS = Number(process.env['GIFTDESK_BENCH_CARDS'] ?? 6000);
const fixtures = demoFixtures();
const usAccounts = generateDemoDataset()
  .accounts.filter((a) => a.marketplace === 'US')
  .map((a) => a.id);

// ---------- the servers ----------

interface BenchServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  ask<T>(message: string): Promise<T>;
}


async function startServer(bundle: string, store: TestStore): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-bench-server-'));
  const child = fork(bundle, [String(port)], {
    env: {
      PATH: process.env['PATH'],
      GIFTDESK_DATABASE_URL: store.config.databaseUrl!,
      GIFTDESK_SECRET_KEY: TEST_SECRET_KEY,
      GIFTDESK_DATA_DIR: dataDir,
      GIFTDESK_HEAD_LOCK_STATS: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('giftdesk: serving')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}: ${stderr}`)));
  });
  const ask = <T>(message: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (answer) => resolve(answer as T));
      child.send(message);
    });
  return { url: `http://127.0.0.1:${port}`, dataDir, child, ask };
}

async function stopServer(server: BenchServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.send('stop');
  await exited;
}

// ---------- the data: bench cards with known codes and order details ----------

interface BenchCard {
  serial: string;
  claimCode: string;
  orderNumber: string;
  purchaserName: string;
  recipientName: string;
  deliveryEmail: string;
}

async function addBenchCards(store: TestStore): Promise<BenchCard[]> {
  const now = store.clock.now();
  const cards: (NewCard & BenchCard)[] = [];
  for (let i = 0; i < BENCH_CARDS; i++) {
    let code = '';
    for (let n = i, k = 0; k < 14; k++) {
      // Deterministic and distinct: the index in base 32, then a fixed tail.
      code += k < 4 ? CODE_ALPHABET[n % 32] : CODE_ALPHABET[(i * 7 + k * 13) % 32];
      if (k < 4) n = Math.floor(n / 32);
    }
    cards.push({
      serial: `178${String(i).padStart(16, '0')}`,
      claimCode: code,
      marketplace: 'US',
      faceValueMinor: 2500,
      status: 'active',
      deliveryChannel: 'email',
      orderNumber: `112-${String(1_000_000 + i)}-${String(2_000_000 + i)}`,
      orderedAt: now,
      purchaserName: 'Bench Buyer',
      recipientName: 'Bench Recipient',
      deliveryEmail: `bench${i}@example.com`,
      deliveryAddress: null,
      createdAt: now,
    });
  }
  await store.db.transaction((trx) => issueCards(trx, store.vault, cards));
  return cards;
}

// ---------- the consoles ----------

interface Console {
  role: 'agent' | 'supervisor';
  username: string;
  server: number;
  token: string;
  http: Client;
}

interface Sample {
  op: string;
  ms: number;
  ok: boolean;
  code?: string;
}

async function call(c: Console, channel: string, input: unknown): Promise<{ ok: boolean; data?: any; error?: { code: string } }> {
  const response = await c.http.request({
    path: `/rpc/${channel}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}`, [CONTRACT_VERSION_HEADER]: String(CONTRACT_VERSION) },
    body: JSON.stringify({ input }),
  });
  return (await response.body.json()) as { ok: boolean; data?: any; error?: { code: string } };
}

/** The shared pool the mix draws from: unused cards, pending credit requests. */
class Work {
  private nextCard = 0;
  private n = 0;
  readonly pending: number[] = [];
  constructor(private readonly cards: BenchCard[]) {}
  card(): BenchCard {
    const card = this.cards[this.nextCard++];
    if (!card) throw new Error('the bench ran out of cards: raise GIFTDESK_BENCH_CARDS');
    return card;
  }
  lookupSerial(): string {
    // Cards the mix may already have used: a lookup or balance of any card is realistic.
    return this.cards[Math.floor(Math.random() * this.cards.length)]!.serial;
  }
  key(): string {
    return `bench-${process.pid}-${++this.n}`;
  }
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** One operation of the mix: agents 35% lookup, 25% balance, 10% redeem, 10% recovery check, 20% credit request; supervisors approve what is pending, and look cards up. */
async function oneOperation(c: Console, work: Work): Promise<Sample> {
  const r = Math.random();
  let op: string;
  let run: () => Promise<{ ok: boolean; error?: { code: string }; data?: any }>;
  if (c.role === 'agent') {
    if (r < 0.35) {
      op = 'lookup';
      run = () => call(c, 'cards:lookup', { serial: work.lookupSerial() });
    } else if (r < 0.6) {
      op = 'balance';
      run = () => call(c, 'cards:balance', { serial: work.lookupSerial() });
    } else if (r < 0.7) {
      op = 'redeem';
      const card = work.card();
      run = () => call(c, 'cards:redeem', { claimCode: card.claimCode, accountId: pick(usAccounts), ticketId: 'T-9001', idempotencyKey: work.key() });
    } else if (r < 0.8) {
      op = 'recovery';
      const card = work.card();
      run = () =>
        call(c, 'recovery:verify', {
          serial: card.serial,
          orderNumber: card.orderNumber,
          purchaserName: card.purchaserName,
          recipientName: card.recipientName,
          deliveryAddress: card.deliveryEmail,
          ticketId: 'T-9002',
        });
    } else {
      op = 'credit';
      run = async () => {
        const answer = await call(c, 'credits:request', {
          accountId: pick(usAccounts),
          amountMinor: 500,
          currency: 'USD',
          reason: 'GOODWILL',
          ticketId: 'T-9003',
          idempotencyKey: work.key(),
        });
        if (answer.ok) work.pending.push(answer.data.id as number);
        return answer;
      };
    }
  } else {
    const requestId = r < 0.5 ? work.pending.shift() : undefined;
    if (requestId !== undefined) {
      op = 'approve';
      run = () => call(c, 'credits:approve', { requestId, idempotencyKey: work.key() });
    } else if (r < 0.85) {
      op = 'lookup';
      run = () => call(c, 'cards:lookup', { serial: work.lookupSerial() });
    } else {
      op = 'pendingCount';
      run = () => call(c, 'credits:pendingCount', {});
    }
  }
  const start = performance.now();
  const answer = await run();
  const ms = performance.now() - start;
  return answer.ok ? { op, ms, ok: true } : { op, ms, ok: false, code: answer.error?.code ?? '?' };
}

// ---------- figures ----------

interface Row {
  servers: number;
  consoles: number;
  ops: number;
  opsPerSec: number;
  auditedPerSec: number;
  p50: number;
  p99: number;
  failed: number;
  lockWaitShare: number;
  lockBusy: number;
  perOp: Record<string, { n: number; p50: number; p99: number }>;
  refusals: Record<string, number>;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Everything in the mix writes an audit entry except the passive pending count. */
const AUDITED = new Set(['lookup', 'balance', 'redeem', 'recovery', 'credit', 'approve']);

async function phase(consoles: Console[], servers: BenchServer[], work: Work): Promise<Row> {
  const samples: Sample[] = [];
  const state = { recording: false, stopped: false };
  const loops = consoles.map(async (c) => {
    while (!state.stopped) {
      const sample = await oneOperation(c, work);
      if (state.recording && !state.stopped) samples.push(sample);
    }
  });
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  await Promise.all(servers.map((s) => s.ask('reset')));
  state.recording = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, PHASE_MS));
  state.stopped = true;
  const wall = performance.now() - started;
  const stats = (await Promise.all(servers.map((s) => s.ask<{ stats: HeadLockStats }>('stats')))).map((a) => a.stats);
  await Promise.all(loops);

  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const perOp: Row['perOp'] = {};
  for (const op of new Set(samples.map((s) => s.op))) {
    const times = samples.filter((s) => s.op === op).map((s) => s.ms).sort((a, b) => a - b);
    perOp[op] = { n: times.length, p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
  }
  const refusals: Record<string, number> = {};
  for (const s of samples) if (!s.ok) refusals[`${s.op}:${s.code}`] = (refusals[`${s.op}:${s.code}`] ?? 0) + 1;
  const waitMs = stats.reduce((sum, s) => sum + s.waitMs, 0);
  const holdMs = stats.reduce((sum, s) => sum + s.holdMs, 0);
  const latencyMs = sorted.reduce((sum, ms) => sum + ms, 0);
  return {
    servers: servers.length,
    consoles: consoles.length,
    ops: samples.length,
    opsPerSec: (samples.length / wall) * 1000,
    auditedPerSec: (samples.filter((s) => s.ok && AUDITED.has(s.op)).length / wall) * 1000,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    failed: samples.filter((s) => !s.ok).length,
    lockWaitShare: latencyMs > 0 ? waitMs / latencyMs : 0,
    lockBusy: holdMs / wall,
    perOp,
    refusals,
  };
}

function table(rows: Row[]): string {
  const head = ['servers', 'consoles', 'ops', 'ops/s', 'audited ops/s', 'p50 ms', 'p99 ms', 'refused', 'head-lock wait', 'head-lock busy'];
  const lines = rows.map((r) => [
    String(r.servers),
    String(r.consoles),
    String(r.ops),
    r.opsPerSec.toFixed(0),
    r.auditedPerSec.toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    String(r.failed),
    `${(r.lockWaitShare * 100).toFixed(0)}%`,
    `${(r.lockBusy * 100).toFixed(0)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => '| ' + cells.map((c, i) => c.padStart(widths[i]!)).join(' | ') + ' |';
  return [fmt(head), '|' + widths.map((w) => '-'.repeat(w + 1) + ':').join('|') + '|', ...lines.map(fmt)].join('\n');
}

// ---------- the run ----------

describe.skipIf(!engines.includes('postgres'))('team server under load (PostgreSQL)', () => {
  let store: TestStore;
  let servers: BenchServer[] = [];
  let cards: BenchCard[];

  beforeAll(async () => {
    const t0 = performance.now();
    store = await createTestStore({ engine: 'postgres', demo: true });
    cards = await addBenchCards(store);
    const bundle = await buildBenchServer();
    servers = [await startServer(bundle, store), await startServer(bundle, store)];
    console.log(`team bench: store with the demo data + ${cards.length} bench cards and two servers ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    for (const s of servers) await rm(s.dataDir, { recursive: true, force: true });
    await store?.close();
  });

  test('N consoles against one and against two `giftdesk serve` processes', async () => {
    // Each console signs in once (scrypt at N = 2^17 costs ~0.4–0.7 s of CPU: sign-ins
    // are timed apart, not in the mix). Sessions live in the database, so the same
    // signed-in consoles are used against one server and against two.
    const most = Math.max(...CONSOLES);
    const t0 = performance.now();
    const consoles: Console[] = [];
    const signInOne = async (i: number) => {
      const supervisor = i % 10 === 3 || i % 10 === 8; // 20% of the consoles
      const username = supervisor ? (i % 2 === 0 ? 'sam' : 'sky') : 'ava';
      const base = servers[i % 2]!.url;
      const http = new Client(base);
      const response = await http.request({
        path: '/rpc/session:signIn',
        method: 'POST',
        headers: { 'content-type': 'application/json', [CONTRACT_VERSION_HEADER]: String(CONTRACT_VERSION) },
        body: JSON.stringify({ input: { username, password: fixtures.users[username].password } }),
      });
      const body = (await response.body.json()) as { ok: boolean; token?: string };
      await http.close();
      expect(body.ok, JSON.stringify(body)).toBe(true);
      consoles[i] = { role: supervisor ? 'supervisor' : 'agent', username, server: 0, token: body.token!, http: new Client(servers[0]!.url) };
    };
    for (let i = 0; i < most; i += 4) await Promise.all([i, i + 1, i + 2, i + 3].filter((n) => n < most).map(signInOne));
    const signInSeconds = (performance.now() - t0) / 1000;

    const work = new Work(cards);
    const rows: Row[] = [];
    for (const serverCount of [1, 2]) {
      for (const c of consoles) await c.http.close();
      consoles.forEach((c, i) => {
        c.server = i % serverCount;
        c.http = new Client(servers[c.server]!.url);
      });
      for (const n of CONSOLES) {
        const row = await phase(consoles.slice(0, n), servers.slice(0, serverCount), work);
        rows.push(row);
        console.log(`  ${serverCount} server(s), ${n} console(s): ${row.opsPerSec.toFixed(0)} ops/s, p99 ${row.p99.toFixed(1)} ms`);
      }
    }
    for (const c of consoles) await c.http.close();

    console.log(
      `\nTeam server, PostgreSQL, ${os.cpus().length} cores shared by the servers, PostgreSQL and the load generator (load average at the end ${os.loadavg()[0]!.toFixed(1)}); ` +
        `separate \`giftdesk serve\` child processes (pool of 5 connections each); ${PHASE_MS / 1000} s per row after ${WARMUP_MS / 1000} s warm-up.\n` +
        `Mix: agents (80%) 35% lookup, 25% balance, 10% redeem, 10% recovery check, 20% credit request; supervisors (20%) approve pending requests, otherwise lookups and pending counts.\n` +
        `head-lock wait = time in the statement that takes the audit head's row lock / total call time; head-lock busy = time the lock was held / wall time (100% = saturated).\n` +
        `${most} sign-ins beforehand: ${signInSeconds.toFixed(1)} s (4 at a time).\n\n` +
        table(rows) +
        '\n',
    );
    for (const row of rows) {
      const ops = Object.entries(row.perOp)
        .map(([op, f]) => `${op} ${f.n} (p50 ${f.p50.toFixed(1)}, p99 ${f.p99.toFixed(1)})`)
        .join('; ');
      const refused = Object.entries(row.refusals).map(([what, n]) => `${what} ×${n}`).join(', ');
      console.log(`  ${row.servers}×${row.consoles}: ${ops}${refused ? ` — refused: ${refused}` : ''}`);
    }
    expect(rows.every((r) => r.ops > 0)).toBe(true);
  });
});
