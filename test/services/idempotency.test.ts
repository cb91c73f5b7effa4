import { expect } from 'vitest';
import { writeTransaction } from '../../electron/db/transaction';
import { idempotent, type IdempotentCall } from '../../electron/services/idempotency';
import { refusable } from '../../electron/services/refusal';
import { AppError } from '../../shared/errors';
import { newKey } from '../support/ledger';
import { refusal } from '../support/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const call = (key: string, request: unknown): IdempotentCall => ({ key, operation: 'cards:redeem', actorUserId: 1, request });
const settingsCount = async (store: TestStore) => Number((await store.db('settings').where('key', 'like', 'run-%').count({ n: '*' }).first())?.n ?? 0);

forEachEngine(() => {
  test('the same key and request answers the first result without running the work again', async ({ demoStore: store }) => {
    let runs = 0;
    const work = (c: IdempotentCall) =>
      writeTransaction(
        store.db,
        idempotent(store, c, async (trx) => {
          runs += 1;
          await trx('settings').insert({ key: `run-${runs}`, value: '1', updated_at: store.clock.now() });
          return { run: runs };
        }),
      );
    const key = newKey();
    expect(await work(call(key, { amountMinor: 100 }))).toEqual({ run: 1 });
    expect(await work(call(key, { amountMinor: 100 }))).toEqual({ run: 1 });
    expect(runs).toBe(1);
    const conflict = await refusal(work(call(key, { amountMinor: 200 })));
    expect(conflict.toBody()).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', details: { operation: 'cards:redeem' } });
    expect(runs).toBe(1);
    expect(await settingsCount(store)).toBe(1);
  });

  test('the result is remembered in the work’s transaction: work that fails leaves no memory', async ({ demoStore: store }) => {
    const key = newKey();
    let runs = 0;
    const attempt = (fail: boolean) =>
      writeTransaction(
        store.db,
        idempotent(store, call(key, { x: 1 }), async () => {
          runs += 1;
          if (fail) throw new Error('boom');
          return { run: runs };
        }),
      );
    await expect(attempt(true)).rejects.toThrow('boom');
    expect(await store.db('idempotency_keys').where({ key })).toHaveLength(0);
    expect(await attempt(false)).toEqual({ run: 2 });
    expect(await store.db('idempotency_keys').where({ key })).toHaveLength(1);
  });

  test('a refused call is not remembered: asking again runs the work again', async ({ demoStore: store }) => {
    const key = newKey();
    let runs = 0;
    const attempt = () =>
      refusable(
        store,
        idempotent(store, call(key, { x: 1 }), async (_trx, refuse) => {
          runs += 1;
          if (runs === 1) throw refuse(new AppError('CARD_VOID', 'void'), { actor: 'ava', action: 'card.redeem.refused' });
          return { run: runs };
        }),
      );
    expect((await refusal(attempt())).code).toBe('CARD_VOID');
    expect(await store.db('idempotency_keys').where({ key })).toHaveLength(0);
    expect(await attempt()).toEqual({ run: 2 });
    expect(await attempt()).toEqual({ run: 2 });
    expect(runs).toBe(2);
  });
});
