import { expect } from 'vitest';
import { appendAudit, canonicalJson, listAudit, recordAudit, verifyAuditChain } from '../../electron/services/audit';
import { writeTransaction } from '../../electron/db/transaction';
import { forEachEngine, storeTest as test } from '../support/store';

const ava = { id: 1, username: 'ava', role: 'supervisor' as const };

forEachEngine((engine) => {
  test('appended entries form a chain that verifies', async ({ store }) => {
    for (let i = 0; i < 5; i++) {
      store.clock.advance(1000);
      await recordAudit(store.db, store.clock, { actor: 'ava', action: 'card.lookup', subjectType: 'card', subjectId: `17${i}`, details: { found: i % 2 === 0 } });
    }
    const result = await verifyAuditChain(store.db);
    expect(result).toEqual({ intact: true, checked: 5, headSeq: 5 });
    const page = await listAudit(store, ava, { limit: 3 });
    expect(page.entries.map((e) => e.seq)).toEqual([5, 4, 3]);
    expect(page.nextBeforeSeq).toBe(3);
    const older = await listAudit(store, ava, { limit: 3, beforeSeq: 3 });
    expect(older.entries.map((e) => e.seq)).toEqual([2, 1]);
    expect(older.nextBeforeSeq).toBeNull();
    expect(older.entries[1]).toMatchObject({ actor: 'ava', action: 'card.lookup', subjectId: '170', details: { found: true } });
  });

  test('verification pages through long chains', async ({ store }) => {
    await writeTransaction(store.db, async (trx) => {
      for (let i = 0; i < 25; i++) await appendAudit(trx, store.clock, { actor: null, action: 'card.lookup', details: { i } });
    });
    expect(await verifyAuditChain(store.db, 7)).toEqual({ intact: true, checked: 25, headSeq: 25 });
  });

  test('appends in savepoints, kept or rolled back, and around them stay one chain (the head handed over by the lock may go stale)', async ({ store }) => {
    await writeTransaction(store.db, async (trx) => {
      await appendAudit(trx, store.clock, { actor: null, action: 'card.lookup', details: { step: 'outer 1' } });
      await trx.transaction((savepoint) => appendAudit(savepoint, store.clock, { actor: null, action: 'card.lookup', details: { step: 'kept' } }));
      await appendAudit(trx, store.clock, { actor: null, action: 'card.lookup', details: { step: 'outer 2' } });
      await expect(
        trx.transaction(async (savepoint) => {
          await appendAudit(savepoint, store.clock, { actor: null, action: 'card.lookup', details: { step: 'rolled back' } });
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      await appendAudit(trx, store.clock, { actor: null, action: 'card.lookup', details: { step: 'outer 3' } });
    });
    expect(await verifyAuditChain(store.db)).toEqual({ intact: true, checked: 4, headSeq: 4 });
    const page = await listAudit(store, ava, { limit: 10 });
    expect(page.entries.map((e) => e.details['step'])).toEqual(['outer 3', 'outer 2', 'kept', 'outer 1']);
  });

  test('the table refuses UPDATE and DELETE', async ({ store }) => {
    await recordAudit(store.db, store.clock, { actor: 'ava', action: 'session.signIn' });
    await expect(store.db('audit_log').update({ actor: 'mallory' })).rejects.toThrow(/append-only/);
    await expect(store.db('audit_log').delete()).rejects.toThrow(/append-only/);
    if (engine === 'postgres') await expect(store.db.raw('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true, checked: 1 });
  });

  test('a tampered entry is reported as the first broken link', async ({ store }) => {
    for (let i = 0; i < 4; i++) await recordAudit(store.db, store.clock, { actor: 'ava', action: 'card.lookup', details: { i } });
    // Someone with raw database access drops the trigger and edits entry 3.
    await store.db.raw(engine === 'sqlite' ? 'DROP TRIGGER audit_log_no_update' : 'DROP TRIGGER audit_log_no_update_delete ON audit_log');
    await store.db('audit_log').where({ seq: 3 }).update({ actor: 'mallory' });
    expect(await verifyAuditChain(store.db)).toEqual({
      intact: false,
      checked: 4,
      headSeq: 4,
      firstBrokenSeq: 3,
      reason: 'entry content does not match its hash',
      brokenCount: 1,
      broken: [{ seq: 3, reason: 'entry content does not match its hash' }],
    });
  });

  test('every broken link is reported, not only the first: two tampered entries, a relinked one, a gap', async ({ store }) => {
    for (let i = 0; i < 10; i++) await recordAudit(store.db, store.clock, { actor: 'ava', action: 'card.lookup', details: { i } });
    await store.db.raw(engine === 'sqlite' ? 'DROP TRIGGER audit_log_no_update' : 'DROP TRIGGER audit_log_no_update_delete ON audit_log');
    if (engine === 'sqlite') await store.db.raw('DROP TRIGGER audit_log_no_delete');
    await store.db('audit_log').where({ seq: 3 }).update({ actor: 'mallory' });
    await store.db('audit_log').where({ seq: 6 }).update({ details: '{"i":600}' });
    // Entry 8's stored hash is replaced: its content no longer matches it, and entry 9 no longer links to it.
    await store.db('audit_log').where({ seq: 8 }).update({ hash: 'f'.repeat(64) });
    expect(await verifyAuditChain(store.db)).toMatchObject({
      intact: false,
      checked: 10,
      headSeq: 10,
      firstBrokenSeq: 3,
      brokenCount: 4,
      broken: [
        { seq: 3, reason: 'entry content does not match its hash' },
        { seq: 6, reason: 'entry content does not match its hash' },
        { seq: 8, reason: 'entry content does not match its hash' },
        { seq: 9, reason: 'previous hash does not match the entry before it' },
      ],
    });
    await store.db('audit_log').where({ seq: 5 }).delete();
    const result = await verifyAuditChain(store.db);
    expect(result).toMatchObject({ intact: false, firstBrokenSeq: 3, brokenCount: 5 });
    expect(result.intact ? [] : result.broken.map((b) => b.seq)).toEqual([3, 5, 6, 8, 9]);
  });

  test('the list of broken links is bounded, the count is not', async ({ store }) => {
    for (let i = 0; i < 12; i++) await recordAudit(store.db, store.clock, { actor: 'ava', action: 'card.lookup', details: { i } });
    await store.db.raw(engine === 'sqlite' ? 'DROP TRIGGER audit_log_no_update' : 'DROP TRIGGER audit_log_no_update_delete ON audit_log');
    await store.db('audit_log').update({ actor: 'mallory' });
    const result = await verifyAuditChain(store.db, 5, 4);
    expect(result).toMatchObject({ intact: false, checked: 12, brokenCount: 12 });
    expect(result.intact ? [] : result.broken.map((b) => b.seq)).toEqual([1, 2, 3, 4]);
  });

  test('a verify racing concurrent appends never reports a broken chain', async ({ store }) => {
    const appending = { done: false };
    const appender = (async () => {
      for (let i = 0; i < 60; i++) await recordAudit(store.db, store.clock, { actor: 'ava', action: 'card.lookup', details: { i } });
      appending.done = true;
    })();
    const results: unknown[] = [];
    while (!appending.done) results.push(await verifyAuditChain(store.db, 2));
    await appender;
    expect(results.length).toBeGreaterThan(1);
    for (const result of results) expect(result).toMatchObject({ intact: true });
    expect(await verifyAuditChain(store.db)).toEqual({ intact: true, checked: 60, headSeq: 60 });
  });

  test('a removed entry is reported', async ({ store }) => {
    for (let i = 0; i < 3; i++) await recordAudit(store.db, store.clock, { actor: 'ava', action: 'card.lookup', details: { i } });
    await store.db.raw(engine === 'sqlite' ? 'DROP TRIGGER audit_log_no_delete' : 'DROP TRIGGER audit_log_no_update_delete ON audit_log');
    await store.db('audit_log').where({ seq: 2 }).delete();
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: false, firstBrokenSeq: 2, reason: 'entry missing' });
  });

  test('the last entries removed (head left behind) are reported as missing', async ({ store }) => {
    for (let i = 0; i < 4; i++) await recordAudit(store.db, store.clock, { actor: 'ava', action: 'card.lookup', details: { i } });
    await store.db.raw(engine === 'sqlite' ? 'DROP TRIGGER audit_log_no_delete' : 'DROP TRIGGER audit_log_no_update_delete ON audit_log');
    await store.db('audit_log').where('seq', '>=', 3).delete();
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: false, firstBrokenSeq: 3, brokenCount: 1, broken: [{ seq: 3, reason: 'entries 3–4 missing' }] });
  });

  test('details are hashed as they are stored: odd values still verify', async ({ store }) => {
    await recordAudit(store.db, store.clock, {
      actor: 'ava',
      action: 'card.lookup',
      details: { minusZero: -0, notANumber: Number.NaN, gone: undefined, when: new Date(0), list: [undefined, 1], text: 'e\u0301 \u{1F600}' },
    });
    expect(await verifyAuditChain(store.db)).toEqual({ intact: true, checked: 1, headSeq: 1 });
  });

  test('a write that fails rolls its audit entry back with it', async ({ store }) => {
    await expect(
      writeTransaction(store.db, async (trx) => {
        await appendAudit(trx, store.clock, { actor: 'ava', action: 'card.redeemed' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.db('audit_log').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(await verifyAuditChain(store.db)).toEqual({ intact: true, checked: 0, headSeq: 0 });
  });
});

test('canonical JSON sorts keys at every depth and drops undefined', () => {
  expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: undefined } })).toBe('{"a":{"d":[2,{"y":null,"z":1}]},"b":1}');
});
