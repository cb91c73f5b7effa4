import { expect } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../electron/services/audit';
import { refusable } from '../../electron/services/refusal';
import { AppError } from '../../shared/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

// Rows of this test's own in the settings table (the store keeps its key fingerprint there too).
const setting = (key: string) => ({ key: `test.${key}`, value: '"x"', updated_at: new Date('2026-11-22T09:00:00Z') });
const keys = async (store: TestStore) =>
  (await store.db('settings').where('key', 'like', 'test.%').orderBy('key').select('key')).map((r: { key: string }) => r.key.slice(5));
const actions = async (store: TestStore) => (await store.db('audit_log').orderBy('seq').select('action')).map((r: { action: string }) => r.action);

forEachEngine(() => {
  test('work that is not refused commits whole and answers its result', async ({ store }) => {
    const result = await refusable(store, async (trx) => {
      await trx('settings').insert(setting('done'));
      await appendAudit(trx, store.clock, { actor: 'ava', action: 'card.redeemed' });
      return { fine: true };
    });
    expect(result).toEqual({ fine: true });
    expect(await keys(store)).toEqual(['done']);
    expect(await actions(store)).toEqual(['card.redeemed']);
  });

  test('a refusal is committed and audited, then answered; none of the refused work survives', async ({ store }) => {
    const error = new AppError('CARD_VOID', 'This card was cancelled and cannot be redeemed.');
    const thrown = await refusable(store, async (trx, refuse) => {
      await trx('settings').insert(setting('partial'));
      await appendAudit(trx, store.clock, { actor: 'ava', action: 'card.redeemed' });
      throw refuse(
        error,
        { actor: 'ava', action: 'card.redeem.refused', subjectType: 'card', subjectId: '1700', ticketId: 'T-1', details: { accountId: 'ACC-1' } },
        (outer) => outer('settings').insert(setting('failure recorded')),
      );
    }).then(
      () => null,
      (e: unknown) => e,
    );
    // The caller gets the AppError itself, not the wrapper that carried it.
    expect(thrown).toBe(error);
    expect(await keys(store)).toEqual(['failure recorded']);
    const entries = await store.db('audit_log').orderBy('seq');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ seq: 1, actor: 'ava', action: 'card.redeem.refused', subject_type: 'card', subject_id: '1700', ticket_id: 'T-1' });
    // The refusal's entry always names the error code.
    expect(JSON.parse(entries[0].details)).toEqual({ accountId: 'ACC-1', code: 'CARD_VOID' });
    expect(await verifyAuditChain(store.db)).toEqual({ intact: true, checked: 1, headSeq: 1 });
  });

  test('anything else thrown rolls everything back and records nothing', async ({ store }) => {
    for (const failure of [new AppError('IDEMPOTENCY_CONFLICT', 'reused key'), new Error('disk on fire')]) {
      await expect(
        refusable(store, async (trx) => {
          await trx('settings').insert(setting('partial'));
          await appendAudit(trx, store.clock, { actor: 'ava', action: 'card.redeemed' });
          throw failure;
        }),
      ).rejects.toBe(failure);
    }
    expect(await keys(store)).toEqual([]);
    expect(await actions(store)).toEqual([]);
  });

  test('housekeeping done before the work survives its refusal', async ({ store }) => {
    const error = new AppError('REQUEST_NOT_PENDING', 'This request is already expired.');
    await expect(
      refusable(
        store,
        async (_trx, refuse) => {
          throw refuse(error, { actor: 'sam', action: 'credit.approve.refused', subjectType: 'creditRequest', subjectId: '7' });
        },
        { before: (trx) => trx('settings').insert(setting('expired the stale ones')) },
      ),
    ).rejects.toBe(error);
    expect(await keys(store)).toEqual(['expired the stale ones']);
    expect(await actions(store)).toEqual(['credit.approve.refused']);
  });
});
