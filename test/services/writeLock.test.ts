import { expect } from 'vitest';
import { createKnex } from '../../electron/db/store';
import { writeTransaction } from '../../electron/db/transaction';
import { appendAudit, verifyAuditChain } from '../../electron/services/audit';
import { forEachEngine, storeTest as test } from '../support/store';

forEachEngine(() => {
  test('write transactions on separate connections are serialised: read-then-write never loses an update', async ({ store }) => {
    await store.db('settings').insert({ key: 'counter', value: '0', updated_at: new Date() });
    const others = Array.from({ length: 4 }, () => createKnex({ dataDir: store.dataDir, databaseUrl: store.config.databaseUrl }).db);
    try {
      const increments = others.flatMap((db) =>
        Array.from({ length: 5 }, () =>
          writeTransaction(db, async (trx) => {
            const row = await trx('settings').where({ key: 'counter' }).first('value');
            await new Promise((resolve) => setTimeout(resolve, 2)); // widen the race window
            await trx('settings').where({ key: 'counter' }).update({ value: String(Number(row.value) + 1) });
            await appendAudit(trx, store.clock, { actor: 'race', action: 'limits.changed' });
          }),
        ),
      );
      await Promise.all(increments);
    } finally {
      await Promise.all(others.map((db) => db.destroy()));
    }
    expect(await store.db('settings').where({ key: 'counter' }).first('value')).toEqual({ value: '20' });
    expect(await verifyAuditChain(store.db)).toEqual({ intact: true, checked: 20, headSeq: 20 });
  });
});
