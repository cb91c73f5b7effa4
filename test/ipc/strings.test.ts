/**
 * Bypass 1 of issue 11: one ill-formed string (a lone UTF-16 surrogate) or a NUL must
 * never reach a service, the database or the audit chain. Every string field of every
 * channel is tried through the real wrapper.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { SessionStore } from '../../electron/ipc/sessions';
import { dispatch, type WrapperOptions } from '../../electron/ipc/wrapper';
import { appendAudit, verifyAuditChain } from '../../electron/services/audit';
import { writeTransaction } from '../../electron/db/transaction';
import { demoFixtures } from '../../electron/services/demo';
import { createUser } from '../../electron/services/auth';
import { channels, contract, type Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import { windowEvent, wrapperOptions } from '../support/ipc';
import { createTestStore, engines, type TestStore } from '../support/store';

const fixtures = demoFixtures();

/** The keys of a channel's input whose schema is a string (through optional, default, pipe, union). */
function stringFields(schema: z.ZodType): string[] {
  const def = (schema as unknown as { def: Record<string, any> }).def;
  if (def['type'] === 'object') {
    return Object.entries(def['shape'] as Record<string, z.ZodType>)
      .filter(([, field]) => isString(field))
      .map(([key]) => key);
  }
  if (def['type'] === 'union') return [...new Set((def['options'] as z.ZodType[]).flatMap(stringFields))];
  if (def['type'] === 'pipe') return stringFields(def['in']);
  return [];
}

function isString(schema: z.ZodType): boolean {
  const def = (schema as unknown as { def: Record<string, any> }).def;
  if (def['type'] === 'string') return true;
  if (['optional', 'default', 'nullable', 'prefault'].includes(def['type'])) return isString(def['innerType']);
  if (def['type'] === 'pipe') return isString(def['in']);
  return false;
}

/** A user the channel admits (public channels are tried signed out). */
function callerFor(channel: Channel): keyof typeof fixtures.users | null {
  const roles = contract[channel].roles;
  if (roles === 'public') return null;
  const byRole = { agent: 'ava', supervisor: 'sam', admin: 'ada' } as const;
  return byRole[roles[0]!];
}

const hostile = [
  { name: 'a lone high surrogate', value: 'T-\uD800' },
  { name: 'a lone low surrogate', value: '\uDC00abc' },
  { name: 'a NUL', value: 'T-1\u0000' },
];

let store: TestStore;
let sessions: SessionStore;

function options(): WrapperOptions {
  return wrapperOptions(store, { sessions, testHooks: () => true });
}

async function call(channel: Channel, input: unknown, windowId = 1): Promise<Envelope<any>> {
  return dispatch(channel, windowEvent(windowId), input, options());
}

async function signInAs(username: keyof typeof fixtures.users, windowId: number) {
  const result = await call('session:signIn', { username, password: fixtures.users[username].password }, windowId);
  expect(result.ok).toBe(true);
}

async function written() {
  const audit = await store.db('audit_log').count({ n: '*' }).first();
  const head = await store.db('audit_head').where({ id: 1 }).first('seq', 'hash');
  return { audit: Number(audit?.['n']), head };
}

for (const engine of engines) {
  describe(engine, () => {
    beforeEach(async () => {
      store = await createTestStore({ engine, demo: true });
      sessions = new SessionStore();
    });
    afterEach(async () => {
      await store.close();
    });

    test('the contract has string fields to try (the enumeration sees them)', () => {
      const all = channels.flatMap((channel) => stringFields(contract[channel].input).map((field) => `${channel}.${field}`));
      expect(all).toEqual(expect.arrayContaining(['session:signIn.username', 'session:signIn.password', 'cards:redeem.ticketId', 'credits:request.note']));
      expect(all.length).toBeGreaterThan(20);
    });

    test('every string field of every channel refuses a lone surrogate and a NUL, naming the field, writing nothing', async () => {
      const windows = { ava: 2, sam: 3, ada: 4 } as const;
      for (const [user, windowId] of Object.entries(windows)) await signInAs(user as keyof typeof windows, windowId);
      const before = await written();
      let tried = 0;
      for (const channel of channels) {
        const caller = callerFor(channel);
        const windowId = caller === null ? 1 : windows[caller as keyof typeof windows];
        for (const field of stringFields(contract[channel].input)) {
          for (const { name, value } of hostile) {
            const result = await call(channel, { [field]: value }, windowId);
            expect(result, `${channel}.${field} with ${name}`).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
            const fields = (result as unknown as { error: { details: { fields: { path: string; message: string }[] } } }).error.details.fields;
            expect(fields, `${channel}.${field} with ${name}`).toContainEqual({ path: field, message: expect.stringContaining(field) });
            expect(result.ok ? '' : result.error.message, `${channel}.${field}`).toContain(field);
            tried += 1;
          }
        }
      }
      expect(tried).toBeGreaterThan(60);
      expect(await written()).toEqual(before);
      expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
    });

    test('a hostile string nested anywhere or in a key is refused too', async () => {
      await signInAs('ava', 2);
      const before = await written();
      expect(await call('cards:lookup', { ['serial\uD800']: '1' }, 2)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(await call('session:signIn', { username: 'ava', password: 'ava-demo', extra: [{ deep: 'x\u0000' }] })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', details: { fields: [{ path: 'extra.0.deep' }] } },
      });
      expect(await written()).toEqual(before);
    });

    test('"T-\\uD800" as a ticket id can no longer break the audit chain', async () => {
      await signInAs('ava', 2);
      await signInAs('sam', 3);
      const card = fixtures.cards.activeUS;
      const attempts: [Channel, Record<string, unknown>, number][] = [
        ['cards:redeem', { claimCode: 'AAAA-BBBBBB-CCCC', accountId: 'A-1', ticketId: 'T-\uD800', idempotencyKey: 'surrogate-redeem-1' }, 2],
        [
          'recovery:verify',
          {
            serial: card.serial,
            orderNumber: 'x',
            purchaserName: 'x',
            recipientName: 'x',
            deliveryAddress: 'x',
            claimCodeFragment: '',
            ticketId: 'T-\uD800',
          },
          2,
        ],
        ['recovery:unlock', { serial: card.serial, reason: 'surrogate \uD800 reason' }, 3],
        ['credits:request', { accountId: 'A-1', amountMinor: 100, currency: 'USD', reason: 'OTHER', note: '\uDFFF', ticketId: 'T-\uD800' }, 2],
      ];
      for (const [channel, input, windowId] of attempts) {
        expect(await call(channel, input, windowId), channel).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      }
      expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
    });

    test('appendAudit itself refuses an ill-formed string or a NUL (defence in depth)', async () => {
      const before = await written();
      for (const input of [
        { ticketId: 'T-\uD800' },
        { subjectId: 'a\u0000b' },
        { details: { nested: ['ok', { bad: '\uDC01' }] } },
        { details: { ['k\uD800']: 1 } },
      ]) {
        await expect(
          writeTransaction(store.db, (trx) => appendAudit(trx, store.clock, { actor: 'ava', action: 'audit.verified', ...input })),
        ).rejects.toThrow(/not well-formed|NUL/);
      }
      expect(await written()).toEqual(before);
      expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
    });

    test('a user made outside the IPC edge (the CLI) gets the same text rule', async () => {
      const before = await written();
      const cli = { username: 'cli:tester' };
      await expect(createUser(store, cli, { username: 'fay', role: 'agent', password: 'pass\uD800word' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(createUser(store, cli, { username: 'fay', role: 'agent', password: 'password', displayName: 'F\u0000y' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      expect(await written()).toEqual(before);
    });

    test('a password is the same password in either normal form: NFC at the edge, NFKC in the hash, at creation and at sign-in', async () => {
      await createUser(store, { username: 'cli:tester' }, { username: 'fay', role: 'agent', password: 'cre\u0301me-brule\u0301e', displayName: 'Fe\u0301e' });
      expect(await store.db('users').where({ username: 'fay' }).first('display_name')).toEqual({ display_name: 'F\u00e9e' });
      expect(await call('session:signIn', { username: 'fay', password: 'cr\u00e9me-brul\u00e9e' })).toMatchObject({ ok: true });
      expect(await call('session:signIn', { username: 'fay', password: 'cre\u0301me-brule\u0301e' }, 5)).toMatchObject({ ok: true });
    });

    test('text is normalised to NFC at the edge: a decomposed ticket id is stored composed, and the chain holds', async () => {
      await signInAs('ava', 2);
      const decomposed = 'T-Re\u0301sume\u0301';
      const result = await call(
        'cards:redeem',
        { claimCode: 'AAAA-BBBBBB-CCCC', accountId: 'A-1', ticketId: decomposed, idempotencyKey: 'nfc-redeem-1' },
        2,
      );
      expect(result.ok).toBe(false);
      const rows = await store.db('audit_log').whereNotNull('ticket_id').orderBy('seq', 'desc').first('ticket_id');
      expect(rows?.ticket_id).toBe(decomposed.normalize('NFC'));
      expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
    });
  });
}
