/**
 * Killing the team server mid-call (issue 12): a real `giftdesk serve` child process
 * (the built CLI) is killed with SIGKILL while a redemption it received is in flight.
 * The console's client says the call was cut off ("may or may not have been done"),
 * nothing is half-written, and the retry with the same idempotency key — to a
 * restarted server — is done at most once and answers like the first.
 * Needs the build (`npm run build`, which `npm test` runs first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ServerClient } from '../../electron/remote/client';
import { demoFixtures } from '../../electron/services/demo';
import { AppError } from '../../shared/errors';
import { TEST_SECRET_KEY } from '../support/engines';
import { createTestStore, engines, type TestStore } from '../support/store';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/giftdesk.js');

interface Child {
  url: string;
  process: ChildProcess;
}

function startServer(store: TestStore, port = 0): Promise<Child> {
  if (!existsSync(path.join(ROOT, 'out/main/cli.js'))) throw new Error('Build first: npm run build (npm test does).');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), GIFTDESK_DATA_DIR: store.dataDir };
  if (store.engine === 'postgres') {
    env['GIFTDESK_DATABASE_URL'] = store.config.databaseUrl!;
    env['GIFTDESK_SECRET_KEY'] = TEST_SECRET_KEY;
  }
  const child = spawn(process.execPath, [CLI, 'serve', '--listen', `127.0.0.1:${port}`], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const serving = /serving .* on (http:\/\/\S+)/.exec(output);
      if (serving) {
        clearTimeout(timer);
        resolve({ url: serving[1]!.replace(/\/$/, ''), process: child });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}):\n${output}`));
    });
  });
}

function killed(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.kill('SIGKILL');
  });
}

const { cards, accounts, users } = demoFixtures();

for (const engine of engines) {
  describe(engine, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await createTestStore({ engine, demo: true });
    });
    afterAll(async () => {
      await store?.close();
    });

    test('a server killed during a redemption: the client is told it may or may not be done; the retry with the same key posts once', async () => {
      const first = await startServer(store);
      const client = new ServerClient({ url: first.url });
      const signIn = await client.call('session:signIn', { username: users.ava.username, password: users.ava.password }, null);
      expect(signIn.envelope.ok).toBe(true);
      const token = signIn.token!;
      const input = {
        claimCode: cards.activeUS.claimCode,
        accountId: accounts.usCustomer.id,
        ticketId: 'T-KILL-1',
        idempotencyKey: `kill-${engine}-0001`,
      };
      const balanceBefore = await balanceOf(store, accounts.usCustomer.id);
      const redemptionsBefore = await redemptionCount(store, accounts.usCustomer.id);

      // The request is on its way (the server has it) when the process dies.
      const inFlight = client.call('cards:redeem', input, token).then(
        (answer) => ({ answer }),
        (error: unknown) => ({ error: error as AppError }),
      );
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 15)));
      await killed(first);
      const outcome = await inFlight;
      if ('error' in outcome) {
        expect(outcome.error.code).toBe('STORE_UNAVAILABLE');
        expect(outcome.error.details).toMatchObject({ reason: 'interrupted' });
        expect(outcome.error.message).toContain('may or may not have been done');
      } else {
        expect(outcome.answer.envelope.ok).toBe(true); // it finished just before the kill
      }
      // Nothing half-written: the card is either untouched or redeemed with its ledger entry.
      await expectConsistent(store, accounts.usCustomer.id, balanceBefore);

      const second = await startServer(store, Number(new URL(first.url).port));
      try {
        // The session lives in the database: the same token still works on the new process.
        const retried = await client.call('cards:redeem', input, token);
        expect(retried.envelope).toMatchObject({ ok: true, data: { amountMinor: cards.activeUS.faceValueMinor } });
        const again = await client.call('cards:redeem', input, token);
        expect(again.envelope).toEqual(retried.envelope);
        expect(await balanceOf(store, accounts.usCustomer.id)).toBe(balanceBefore + cards.activeUS.faceValueMinor);
        expect(await redemptionCount(store, accounts.usCustomer.id)).toBe(redemptionsBefore + 1);
      } finally {
        await client.close();
        await killed(second);
      }
    });
  });
}

async function balanceOf(store: TestStore, accountId: string): Promise<number> {
  const row = await store.db('accounts').where({ id: accountId }).first('balance_minor');
  return Number(row.balance_minor);
}

async function redemptionCount(store: TestStore, accountId: string): Promise<number> {
  const row = await store.db('ledger_entries').where({ account_id: accountId, type: 'redemption' }).count({ n: '*' }).first();
  return Number(row!.n);
}

async function expectConsistent(store: TestStore, accountId: string, balanceBefore: number): Promise<void> {
  const card = await store.db('cards').where({ serial: cards.activeUS.serial }).first('status');
  const balance = await balanceOf(store, accountId);
  const sum = await store.db('ledger_entries').where({ account_id: accountId }).sum({ s: 'amount_minor' }).first();
  expect(Number(sum!.s)).toBe(balance);
  if (card.status === 'active') expect(balance).toBe(balanceBefore);
  else expect(balance).toBe(balanceBefore + cards.activeUS.faceValueMinor);
}
