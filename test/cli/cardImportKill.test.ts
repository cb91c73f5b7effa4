/**
 * kill -9 in the middle of `giftdesk cards import` (issue 13): the built CLI, a real
 * child process, imports a generated 50 000-row file into the store; once it reports
 * rows read (the rows so far are inside its open transaction) it is killed with
 * SIGKILL. The store is exactly as before: the same cards, the same audit chain
 * (intact), no batch record — and the same file then imports whole.
 * Needs the build (`npm run build`, which `npm test` runs first).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAuditChain } from '../../electron/services/audit';
import { generateCards } from '../../electron/services/cardGenerate';
import { importCards } from '../../electron/services/cardImport';
import { TEST_SECRET_KEY } from '../support/engines';
import { createTestStore, engines, type TestStore } from '../support/store';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/giftdesk.js');

/** Runs the CLI's import, SIGKILLs it once it has reported `rows` rows read; answers what it printed. */
function importAndKill(store: TestStore, file: string, rows: number): Promise<{ stderr: string; signal: NodeJS.Signals | null; code: number | null }> {
  if (!existsSync(path.join(ROOT, 'out/main/cli.js'))) throw new Error('Build first: npm run build (npm test does).');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), GIFTDESK_DATA_DIR: store.dataDir };
  if (store.engine === 'postgres') {
    env['GIFTDESK_DATABASE_URL'] = store.config.databaseUrl!;
    env['GIFTDESK_SECRET_KEY'] = TEST_SECRET_KEY;
  }
  const child = spawn(process.execPath, [CLI, 'cards', 'import', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no progress from the import:\n${stderr}`));
    }, 120_000);
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const read = [...stderr.matchAll(/giftdesk: (\d+) rows read/g)].map((m) => Number(m[1]));
      if (read.some((n) => n >= rows) && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (stdout.includes('Imported')) reject(new Error(`the import finished before it was killed:\n${stdout}`));
      else resolve({ stderr, signal, code });
    });
  });
}

async function state(store: TestStore) {
  const count = async (table: string) => Number((await store.db(table).count({ n: '*' }).first())!.n);
  const head = await store.db('audit_head').where({ id: 1 }).first('seq', 'hash');
  return { cards: await count('cards'), audit: await count('audit_log'), batches: await count('card_import_batches'), head: { seq: Number(head.seq), hash: head.hash } };
}

for (const engine of engines) {
  describe(engine, () => {
    let store: TestStore;
    let file: string;
    beforeAll(async () => {
      store = await createTestStore({ engine, demo: engine === 'sqlite' });
      file = path.join(store.dataDir, 'big.csv');
      const out = createWriteStream(file);
      await generateCards(out, { count: 50_000, seed: 13 });
      // Something imported before, so "as before" is not simply "empty".
      const header = 'serial,claim_code,marketplace,face_value,order_number,ordered_at,purchaser_name,recipient_name,delivery_channel,delivery_email,shipping_address';
      await importCards(store, { username: 'ada' }, Readable.from([`${header}\n1799999999999999991,ZZZZZZZZZZZZZZ,UK,10.00,ORD-0,2026-01-02,Siân Jones,Siân Jones,email,sian@example.uk,\n`]), {
        fileName: 'earlier.csv',
      });
    }, 120_000);
    afterAll(async () => {
      await store?.close();
    });

    test('SIGKILL part way through a 50 000-row import leaves the store exactly as before', async () => {
      const before = await state(store);
      const cardsBefore = await store.db('cards').orderBy('id').select('id', 'serial', 'status', 'claim_code_digest');
      const killed = await importAndKill(store, file, 20_000);
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.stderr).toMatch(/giftdesk: 20000 rows read/);

      expect(await state(store)).toEqual(before);
      expect(await store.db('cards').orderBy('id').select('id', 'serial', 'status', 'claim_code_digest')).toEqual(cardsBefore);
      expect(await store.db('card_import_batches').where({ file_name: 'big.csv' })).toEqual([]);
      const verification = await verifyAuditChain(store.db);
      expect(verification).toMatchObject({ intact: true, checked: before.audit });

      // Nothing left locked or half-done: the same file then imports whole, once.
      const { createReadStream } = await import('node:fs');
      const summary = await importCards(store, { username: 'ada' }, createReadStream(file), { fileName: 'big.csv' });
      expect(summary).toMatchObject({ rowsRead: 50_000, imported: 50_000, rejected: 0 });
      expect((await state(store)).cards).toBe(before.cards + 50_000);
      expect((await verifyAuditChain(store.db)).intact).toBe(true);
    }, 240_000);
  });
}
