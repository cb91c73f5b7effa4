/** SQLite keeps a connection's statements prepared (electron/db/store.ts): what it must never change. */
import { expect, test } from 'vitest';
import { SQLITE_STATEMENT_CACHE } from '../../electron/db/store';
import { createTestStore } from '../support/store';

test('a statement that failed is prepared afresh: once the table exists the same SQL works', async () => {
  const store = await createTestStore({ engine: 'sqlite' });
  try {
    await expect(store.db.raw('SELECT n FROM later WHERE n > ?', [0])).rejects.toThrow(/no such table/);
    await store.db.schema.createTable('later', (t) => t.integer('n'));
    await store.db('later').insert([{ n: 1 }, { n: 2 }]);
    expect(await store.db.raw('SELECT n FROM later WHERE n > ?', [0])).toEqual([{ n: 1 }, { n: 2 }]);
    // A constraint failure drops the statement too; the next call with the same SQL runs.
    await expect(store.db.raw('INSERT INTO audit_head (id, seq, hash) VALUES (?, ?, ?) RETURNING id', [1, 0, 'x'])).rejects.toThrow(/UNIQUE|PRIMARY/);
    await store.db.raw('DELETE FROM later');
    expect(await store.db.raw('SELECT n FROM later WHERE n > ?', [0])).toEqual([]);
  } finally {
    await store.close();
  }
});

test('more distinct statements than the cache keeps: the oldest are finalised, every answer stays right, the store closes', async () => {
  const store = await createTestStore({ engine: 'sqlite' });
  try {
    for (let round = 0; round < 2; round++) {
      for (let n = 0; n < SQLITE_STATEMENT_CACHE + 50; n++) {
        expect(await store.db.raw(`SELECT ${n} AS n`)).toEqual([{ n }]);
      }
    }
    // Writes commit and are seen while their statements stay prepared.
    await store.db.raw('CREATE TABLE kept (n INTEGER)');
    for (let n = 0; n < 5; n++) await store.db.raw('INSERT INTO kept (n) VALUES (?) RETURNING n', [n]);
    expect(await store.db.raw('SELECT count(*) AS c FROM kept')).toEqual([{ c: 5 }]);
  } finally {
    await store.close();
  }
});
