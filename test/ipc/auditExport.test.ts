/**
 * `audit:export` through the wrapper (issue 14): supervisors and admins export, an agent
 * is FORBIDDEN before any dialog opens; the path comes from the desk's save dialog, never
 * from the window; a closed dialog writes nothing; bad filters are refused by the
 * contract; without a desk or a download (the team server's /rpc) the channel refuses in words,
 * naming the download the team console uses (test/server/auditExport.test.ts).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EXPORT_NEEDS_DOWNLOAD, setExportDesk, suggestedExportName } from '../../electron/ipc/auditExportDesk';
import { SessionStore } from '../../electron/ipc/sessions';
import type { WrapperOptions } from '../../electron/ipc/wrapper';
import { demoFixtures } from '../../electron/services/demo';
import type { Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import { appWindow, wrapperOptions } from '../support/ipc';
import { createTestStore, engines, type TestStore } from '../support/store';

const fixtures = demoFixtures();
let store: TestStore;
let opts: WrapperOptions;
let dialogs: { caller: unknown; suggestedName: string }[];
let chosen: string | null;

function windowOf(windowId: number) {
  const call = appWindow(opts, windowId);
  // The data's type is the channel's; these tests read it loosely.
  return (channel: Channel, input: unknown): Promise<any> => call(channel, input) as Promise<Envelope<any>>;
}

async function signedIn(username: keyof typeof fixtures.users, windowId: number) {
  const call = windowOf(windowId);
  expect(await call('session:signIn', { username, password: fixtures.users[username].password })).toMatchObject({ ok: true });
  return call;
}

for (const engine of engines) {
  describe(engine, () => {
    beforeEach(async () => {
      store = await createTestStore({ engine, demo: true });
      opts = wrapperOptions(store, { sessions: new SessionStore() });
      dialogs = [];
      chosen = null;
      setExportDesk({
        chooseFile: async (caller, suggestedName) => {
          dialogs.push({ caller, suggestedName });
          return chosen;
        },
      });
    });
    afterEach(async () => {
      setExportDesk(null);
      await store.close();
    });

    test('supervisors and admins export to the path the save dialog gives; an agent is refused before any dialog', async () => {
      const ava = await signedIn('ava', 1);
      const sam = await signedIn('sam', 2);
      const ada = await signedIn('ada', 3);
      chosen = path.join(store.dataDir, 'agent.csv');
      expect(await ava('audit:export', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(dialogs).toEqual([]);
      expect(await readdir(store.dataDir)).not.toContain('agent.csv');

      // The supervisor's lookup goes under a ticket-less card.lookup; export just those.
      expect(await ava('cards:lookup', { serial: fixtures.cards.activeUS.serial })).toMatchObject({ ok: true });
      chosen = path.join(store.dataDir, 'lookups.csv');
      const filter = { action: 'card.lookup', subject: fixtures.cards.activeUS.serial };
      const exported = await sam('audit:export', filter);
      expect(exported).toEqual({ ok: true, data: { cancelled: false, rowCount: 1, fileName: 'lookups.csv' } });
      expect(dialogs).toEqual([{ caller: 2, suggestedName: suggestedExportName(store.clock.now()) }]);
      const rows = parse(await readFile(chosen, 'utf8')) as string[][];
      const listed = await sam('audit:list', { ...filter, limit: 50 });
      expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(listed.data.entries.map((e: { seq: number }) => e.seq));
      expect(rows[1]!.slice(2, 6)).toEqual(['ava', 'card.lookup', 'card', fixtures.cards.activeUS.serial]);

      chosen = path.join(store.dataDir, 'admin.csv');
      expect(await ada('audit:export', { actor: 'sam' })).toMatchObject({ ok: true, data: { cancelled: false, fileName: 'admin.csv' } });
      const exports = await sam('audit:list', { action: 'audit.exported', limit: 50 });
      expect(exports.data.entries.map((e: { actor: string; details: { filter: unknown } }) => [e.actor, e.details.filter])).toEqual([
        ['ada', { actor: 'sam' }],
        ['sam', filter],
      ]);
    });

    test('a closed dialog writes and records nothing', async () => {
      const sam = await signedIn('sam', 2);
      chosen = null;
      expect(await sam('audit:export', { ticketId: 'T-1' })).toEqual({ ok: true, data: { cancelled: true } });
      expect(dialogs).toHaveLength(1);
      expect((await sam('audit:list', { action: 'audit.exported', limit: 5 })).data.entries).toEqual([]);
    });

    test('the window cannot name the path, and a bad filter is refused before any dialog', async () => {
      const sam = await signedIn('sam', 2);
      chosen = path.join(store.dataDir, 'x.csv');
      expect(await sam('audit:export', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'Unknown field: path.' } });
      expect(await sam('audit:export', { action: 'card.%' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(await sam('audit:export', { from: '2026-11-22T10:00:00Z', to: '2026-11-22T09:00:00Z' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', details: { fields: [{ path: 'to', message: 'The "to" time must be after the "from" time.' }] } },
      });
      expect(dialogs).toEqual([]);
    });

    test('without a desk or a download (the team server over /rpc) the export is refused in words, naming the download', async () => {
      setExportDesk(null);
      const sam = await signedIn('sam', 2);
      expect(await sam('audit:export', {})).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: EXPORT_NEEDS_DOWNLOAD } });
      expect(EXPORT_NEEDS_DOWNLOAD).toContain('/export/audit');
      expect(EXPORT_NEEDS_DOWNLOAD).toContain('Nothing was exported');
    });
  });
}
