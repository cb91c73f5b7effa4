/**
 * Issue 11: every numeric id and integer input is a safe, bounded integer checked in
 * the contract. Ids are `integer` columns (PostgreSQL: at most 2^31 − 1), so an id
 * beyond that used to reach the database and come back INTERNAL ("value out of range
 * for type integer") on PostgreSQL only; now the contract refuses it on every engine
 * with VALIDATION_FAILED naming the field, before any service runs.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import type { Channel } from '../../shared/contract';
import { useDesk } from '../support/ipc';
import { engines, type TestStore } from '../support/store';

const MAX_ID = 2 ** 31 - 1;

async function written(store: TestStore) {
  const audit = await store.db('audit_log').count({ n: '*' }).first();
  const head = await store.db('audit_head').where({ id: 1 }).first('seq', 'hash');
  return { audit: Number(audit?.['n']), head };
}

/** channel, window (1 = agent ava, 2 = supervisor sam, 3 = admin ada), a valid input, the integer field to push out of range. */
const integerFields: [Channel, number, Record<string, unknown>, string][] = [
  ['credits:approve', 2, { requestId: 1, idempotencyKey: 'bounds-approve-1' }, 'requestId'],
  ['credits:reject', 2, { requestId: 1, reason: 'not needed' }, 'requestId'],
  ['credits:cancel', 1, { requestId: 1 }, 'requestId'],
  ['credits:list', 1, {}, 'cursor'],
  ['credits:list', 1, {}, 'limit'],
  ['accounts:get', 1, { accountId: 'A-1' }, 'beforeId'],
  ['accounts:get', 1, { accountId: 'A-1' }, 'limit'],
  ['audit:list', 2, {}, 'beforeSeq'],
  ['audit:list', 2, {}, 'limit'],
];

for (const engine of engines) {
  describe(engine, () => {
    const desk = useDesk(engine);
    const { call, signInAs } = desk;
    beforeEach(async () => {
      await signInAs('ava', 1);
      await signInAs('sam', 2);
      await signInAs('ada', 3);
    });

    test('credits:approve with requestId 2^31 is VALIDATION_FAILED naming requestId, not INTERNAL', async () => {
      const result = await call('credits:approve', { requestId: 2 ** 31, idempotencyKey: 'bounds-approve-1' }, 2);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('requestId'), details: { fields: [{ path: 'requestId' }] } },
      });
    });

    test('2^31 − 1 is still an id: it is simply not found', async () => {
      expect(await call('credits:approve', { requestId: MAX_ID, idempotencyKey: 'bounds-approve-1' }, 2)).toMatchObject({
        ok: false,
        error: { code: 'REQUEST_NOT_FOUND' },
      });
    });

    test('every integer field refuses out-of-range and non-integer numbers, naming the field, writing nothing', async () => {
      const before = await written(desk.store);
      for (const [channel, windowId, valid, field] of integerFields) {
        for (const value of [2 ** 31, 2 ** 53, -1, 0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e300, '1', null]) {
          // Audit sequence numbers are bigint: 2^31 is a position like any other there.
          if (field === 'beforeSeq' && value === 2 ** 31) continue;
          const result = await call(channel, { ...valid, [field]: value }, windowId);
          expect(result, `${channel}.${field} = ${String(value)}`).toMatchObject({
            ok: false,
            error: { code: 'VALIDATION_FAILED', message: expect.stringContaining(field), details: { fields: [{ path: field }] } },
          });
        }
      }
      expect(await written(desk.store)).toEqual(before);
    });
  });
}
