/**
 * `pii:reveal` through the real wrapper: the contract lets agents through so that a
 * granted agent can reveal, and the service refuses every user without the permission
 * (agents by default) with FORBIDDEN, on record. An admin's grant or withdrawal holds
 * from the user's next call, and `session:current` says whether the user may reveal.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SessionStore } from '../../electron/ipc/sessions';
import { dispatch, type WrapperOptions } from '../../electron/ipc/wrapper';
import { demoFixtures } from '../../electron/services/demo';
import type { Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import { windowEvent, wrapperOptions } from '../support/ipc';
import { createTestStore, engines, type TestStore } from '../support/store';

const fixtures = demoFixtures();
const card = fixtures.cards.damagedEmailUS;
let store: TestStore;
let opts: WrapperOptions;

function call(channel: Channel, input: unknown, windowId: number): Promise<Envelope<any>> {
  return dispatch(channel, windowEvent(windowId), input, opts);
}

const ADMIN = 1;
const AGENT = 2;
const SUPERVISOR = 3;
const reveal = { subjectType: 'card', subjectId: card.serial, field: 'purchaserName', reason: 'caller disputes the purchase', ticketId: 'T-IPC-1' };

for (const engine of engines) {
  describe(engine, () => {
    beforeEach(async () => {
      store = await createTestStore({ engine, demo: true });
      opts = wrapperOptions(store, { sessions: new SessionStore() });
      for (const [username, windowId] of [['ada', ADMIN], ['ava', AGENT], ['sam', SUPERVISOR]] as const) {
        const signedIn = await call('session:signIn', { username, password: fixtures.users[username].password }, windowId);
        expect(signedIn).toMatchObject({ ok: true, data: { canReveal: username === 'sam' } });
      }
    });
    afterEach(async () => {
      await store.close();
    });

    test('an agent gets FORBIDDEN (on record, nothing revealed); a supervisor gets the field; an admin is refused by role', async () => {
      const refused = await call('pii:reveal', reveal, AGENT);
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(JSON.stringify(refused)).not.toContain(card.purchaserName);
      expect(await call('pii:reveal', reveal, SUPERVISOR)).toMatchObject({ ok: true, data: { value: card.purchaserName, visibleForSeconds: 60 } });
      expect(await call('pii:reveal', reveal, ADMIN)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Your role does not allow this action.' } });
      const rows = await store.db('audit_log').whereIn('action', ['pii.revealed', 'pii.reveal.refused']).orderBy('seq').select('actor', 'action');
      expect(rows).toEqual([
        { actor: 'ava', action: 'pii.reveal.refused' },
        { actor: 'sam', action: 'pii.revealed' },
      ]);
    });

    test('an admin grants the agent the permission: it holds from the next call, and is withdrawn the same way', async () => {
      expect(await call('users:update', { username: 'ava', revealPermission: 'granted' }, ADMIN)).toMatchObject({ ok: true, data: { canReveal: true } });
      expect(await call('session:current', {}, AGENT)).toMatchObject({ ok: true, data: { canReveal: true } });
      expect(await call('pii:reveal', reveal, AGENT)).toMatchObject({ ok: true, data: { value: card.purchaserName } });
      expect(await call('users:update', { username: 'ava', revealPermission: 'withdrawn' }, ADMIN)).toMatchObject({ ok: true, data: { canReveal: false } });
      expect(await call('pii:reveal', reveal, AGENT)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call('session:current', {}, AGENT)).toMatchObject({ ok: true, data: { canReveal: false } });
      // A supervisor's permission withdrawn holds at their next call too.
      expect(await call('users:update', { username: 'sam', revealPermission: 'withdrawn' }, ADMIN)).toMatchObject({ ok: true });
      expect(await call('pii:reveal', reveal, SUPERVISOR)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      // Only admins change it.
      expect(await call('users:update', { username: 'ava', revealPermission: 'granted' }, SUPERVISOR)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    });

    test('a reason must be words and the field one of the list; the contract says so in words', async () => {
      for (const [input, message] of [
        [{ ...reveal, reason: '' }, /Give the reason for revealing/],
        [{ ...reveal, reason: '12345 678' }, /Say why in a few words/],
        [{ ...reveal, reason: 'x'.repeat(301) }, /at most 300 characters/],
        [{ ...reveal, ticketId: '' }, /Enter the ticket id/],
        [{ ...reveal, field: 'claimCode' }, /Choose the field to reveal/],
        [{ ...reveal, subjectType: 'user' }, /Choose a card or an account/],
      ] as const) {
        const answer = await call('pii:reveal', input, SUPERVISOR);
        expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        expect(answer.ok ? '' : answer.error.message).toMatch(message);
      }
    });
  });
}
