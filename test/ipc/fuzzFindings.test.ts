/**
 * What the channel fuzzer (fuzz.test.ts) found, each as the smallest call that showed
 * it, so that it stays fixed whatever the fuzzer's seed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SessionStore } from '../../electron/ipc/sessions';
import { dispatch } from '../../electron/ipc/wrapper';
import { demoFixtures } from '../../electron/services/demo';
import type { Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import { windowEvent, wrapperOptions } from '../support/ipc';
import { createTestStore, engines, type TestStore } from '../support/store';

const fixtures = demoFixtures();
const HUGE = 'x'.repeat(100_000);

for (const engine of engines) {
  describe(engine, () => {
    let store: TestStore;
    const sessions = new SessionStore();
    const call = (channel: Channel, input: unknown): Promise<Envelope<any>> =>
      dispatch(channel, windowEvent(1), input, wrapperOptions(store, { sessions }));

    beforeAll(async () => {
      store = await createTestStore({ engine, demo: true });
      expect(await call('session:signIn', { username: 'ava', password: fixtures.users.ava.password })).toMatchObject({ ok: true });
    });
    afterAll(async () => {
      await store?.close();
    });

    test('an unknown field named by a 100 000-character key is refused without echoing the key', async () => {
      const result = await call('cards:lookup', { serial: fixtures.cards.activeUS.serial, [HUGE]: 1 });
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(JSON.stringify(result).length).toBeLessThan(1_000);
    });

    test('an unknown field with a plain name is still named, so a developer sees which', async () => {
      expect(await call('cards:lookup', { serial: '1', extra: true })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('extra'), details: { fields: [{ path: '(input)' }] } },
      });
    });

    test('a field NAME with a lone surrogate or a NUL is refused without echoing it', async () => {
      for (const key of ['k\uD800', `${HUGE}\u0000`]) {
        const result = await call('cards:lookup', { serial: '1', nested: { [key]: 1 } });
        expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { fields: [{ path: 'nested' }] } } });
        const text = JSON.stringify(result);
        expect(text).not.toContain(JSON.stringify(key).slice(1, -1));
        expect(text.length).toBeLessThan(1_000);
      }
    });

    test('a broken value under a field with a huge or broken name is refused without echoing the name', async () => {
      for (const input of [{ [HUGE]: 'a\u0000' }, { nested: { ['k\uD800']: { deeper: 'x\uDC00' } } }, { [`${HUGE}.`]: [[{ a: '\u0000' }]] }]) {
        const result = await call('app:info', input);
        expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        const text = JSON.stringify(result);
        expect(text).not.toContain('xxxxxxxxxx');
        expect(text).not.toContain('k\\ud800');
        expect(text.length).toBeLessThan(1_000);
      }
    });

    test(
      'a sparse array of length 2^32 − 1 (structured clone keeps the length) is refused at once, not walked index by index',
      async () => {
        const sparse: unknown[] = [];
        sparse.length = 2 ** 32 - 1;
        const started = Date.now();
        for (const input of [sparse, { serial: '1', items: sparse }, { nested: [[sparse]] }]) {
          expect(await call('cards:lookup', input)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        }
        // Walking it took minutes, with the main process blocked; the budget stops at the length.
        expect(Date.now() - started).toBeLessThan(5_000);
      },
      15_000,
    );
  });
}
