/**
 * Serial lookup through the IPC wrapper (sender check, session, zod parse, service,
 * audit write) on SQLite and on PostgreSQL, side by side, over a store with the demo
 * data plus 200 000 more cards. `npm run bench` prints the figures; nothing here
 * asserts a time (each call must only succeed).
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import { dispatch, type WrapperOptions } from '../../electron/ipc/wrapper';
import { wrapperOptions, windowEvent } from '../support/ipc';
import { demoFixtures } from '../../electron/services/demo';
import { createTestStore, engines, type TestStore } from '../support/store';

const EXTRA_CARDS = 200_000;
const fixtures = demoFixtures();

async function addCards(store: TestStore): Promise<string[]> {
  const serials: string[] = [];
  const now = store.clock.now();
  for (let start = 0; start < EXTRA_CARDS; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(start + 500, EXTRA_CARDS); i++) {
      const serial = `179${String(i).padStart(16, '0')}`;
      serials.push(serial);
      rows.push({
        serial,
        marketplace: 'US',
        face_value_minor: 2500,
        status: 'active',
        claim_code_digest: `bench-${i}`,
        claim_code_last4: 'BNCH',
        claim_code_cipher: 'x',
        delivery_channel: 'email',
        order_number: `B-${i}`,
        ordered_at: now,
        purchaser_name: 'Bench Buyer',
        recipient_name: 'Bench Recipient',
        delivery_email: 'bench@example.com',
        created_at: now,
      });
    }
    await store.db('cards').insert(rows);
  }
  return serials;
}

const WARMUP = 200;
const SAMPLES = 2000;

interface Figures {
  samples: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

async function measure(call: () => Promise<void>): Promise<Figures> {
  for (let n = 0; n < WARMUP; n++) await call();
  const times: number[] = [];
  for (let n = 0; n < SAMPLES; n++) {
    const start = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return {
    samples: times.length,
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
  };
}

const results: { engine: string; kind: string; figures: Figures }[] = [];
function report(engine: string, kind: string, figures: Figures) {
  results.push({ engine, kind, figures });
}

afterAll(() => {
  const rows = results.map(({ engine, kind, figures }) => ({
    engine,
    lookup: kind,
    samples: figures.samples,
    'mean ms': figures.meanMs.toFixed(3),
    'p50 ms': figures.p50Ms.toFixed(3),
    'p95 ms': figures.p95Ms.toFixed(3),
    'p99 ms': figures.p99Ms.toFixed(3),
  }));
  console.table(rows);
  for (const kind of new Set(results.map((r) => r.kind))) {
    const sqlite = results.find((r) => r.engine === 'sqlite' && r.kind === kind);
    const postgres = results.find((r) => r.engine === 'postgres' && r.kind === kind);
    if (sqlite && postgres) {
      console.log(`${kind}: postgres/sqlite p50 ratio ${(postgres.figures.p50Ms / sqlite.figures.p50Ms).toFixed(2)}`);
    }
  }
});

for (const engine of engines) {
  describe(`cards:lookup through the IPC wrapper (${engine})`, () => {
    let store: TestStore;
    let options: WrapperOptions;
    let serials: string[] = [];
    let i = 0;
    const event = windowEvent();

    beforeAll(async () => {
      store = await createTestStore({ engine, demo: true });
      serials = await addCards(store);
      options = wrapperOptions(store);
      const signedIn = await dispatch('session:signIn', event, { username: 'ava', password: fixtures.users.ava.password }, options);
      if (!signedIn.ok) throw new Error('sign-in failed');
    }, 300_000);
    afterAll(async () => {
      await store.close();
    });

    test(`${engine}: found`, async () => {
      report(engine, 'found', await measure(async () => {
        const result = await dispatch('cards:lookup', event, { serial: serials[i++ % serials.length] }, options);
        if (!result.ok) throw new Error(result.error.message);
      }));
    });

    test(`${engine}: not found, with typo suggestions`, async () => {
      report(engine, 'not found + suggestions', await measure(async () => {
        const result = await dispatch('cards:lookup', event, { serial: `1799${String(i++).padStart(15, '0')}` }, options);
        if (result.ok || result.error.code !== 'CARD_NOT_FOUND') throw new Error('expected CARD_NOT_FOUND');
      }));
    });
  });
}
