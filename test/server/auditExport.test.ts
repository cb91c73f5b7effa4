/**
 * Issue 14: the audit export in a team. The server streams `audit:export` as a download
 * (`POST /export/audit`) through the same wrapper as `/rpc` (token, session, role, input),
 * writes the CSV and the `audit.exported` entry itself, and ends with completion trailers;
 * the team console (RemoteConsole) saves it beside the chosen path and renames it only
 * when it arrived whole. Real parts: the server in-process on a loopback port on each
 * engine; for a server that drops mid-stream, a bare node:http server plays it.
 */
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EXPORT_NEEDS_DOWNLOAD } from '../../electron/ipc/auditExportDesk';
import type { EventPublisher } from '../../electron/ipc/events';
import { ServerClient } from '../../electron/remote/client';
import { RemoteConsole } from '../../electron/remote/console';
import { createServer, exportFileName, type GiftdeskServer } from '../../electron/server/app';
import { demoFixtures } from '../../electron/services/demo';
import { CONTRACT_VERSION, CONTRACT_VERSION_HEADER, EXPORT_AUDIT_PATH, EXPORT_ROWS_TRAILER, EXPORT_SHA256_TRAILER } from '../../shared/protocol';
import { createTestStore, engines, type TestStore } from '../support/store';

const fixtures = demoFixtures();
type Username = keyof typeof fixtures.users;

async function rpc(base: string, channel: string, input: unknown = {}, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ input }),
  });
  return { status: response.status, body: await response.json() };
}

async function signIn(base: string, username: Username): Promise<string> {
  const answer = await rpc(base, 'session:signIn', { username, password: fixtures.users[username].password });
  expect(answer.body).toMatchObject({ ok: true });
  return answer.body.token as string;
}

/** POST /export/audit: status, content type, the body as text and the trailers. */
async function download(base: string, body: unknown, token?: string) {
  const res = await request(`${base}${EXPORT_AUDIT_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, type: String(res.headers['content-type']), text, trailers: res.trailers };
}

const silentPublisher = { send() {} } as unknown as EventPublisher;

async function exportedEntries(store: TestStore) {
  const rows = await store.db('audit_log').where({ action: 'audit.exported' }).orderBy('seq', 'asc').select('actor', 'details');
  return rows.map((row: { actor: string; details: unknown }) => ({
    actor: row.actor,
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
  }));
}

test('the file name a console sends is a name only', () => {
  expect(exportFileName('audit.csv')).toBe('audit.csv');
  for (const bad of ['', '../audit.csv', 'a/b.csv', 'a\\b.csv', '.', '..', 'a\nb.csv', 'x'.repeat(256), 42, null]) expect(exportFileName(bad)).toBeNull();
});

for (const engine of engines) {
  describe(engine, () => {
    let store: TestStore;
    let server: GiftdeskServer;
    let base: string;
    let folder: string;

    beforeAll(async () => {
      store = await createTestStore({ engine, demo: true });
      server = await createServer({ deps: store, appVersion: 'test', testHooks: false, logStream: { write: () => true }, eventIntervalMs: null });
      base = await server.listen({ port: 0, host: '127.0.0.1' });
      folder = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-team-export-'));
    });

    afterAll(async () => {
      await server?.close();
      await store?.close();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    test('a supervisor downloads the CSV: the rows audit:list shows, with trailers, on record by the server', async () => {
      const sam = await signIn(base, 'sam');
      await signIn(base, 'ava');
      const filter = { action: 'session.' };
      const before = (await exportedEntries(store)).length;
      const answer = await download(base, { input: filter, fileName: 'sessions.csv' }, sam);
      expect(answer.status).toBe(200);
      expect(answer.type).toMatch(/^text\/csv/);
      const rows = parse(answer.text) as string[][];
      expect(rows[0]).toEqual(['seq', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'ticket_id', 'details', 'hash']);
      const listed = await rpc(base, 'audit:list', { ...filter, limit: 200 }, sam);
      expect(rows.slice(1).map((row) => Number(row[0]))).toEqual(listed.body.data.entries.map((entry: { seq: number }) => entry.seq));
      expect(rows.slice(1).map((row) => row[2])).toEqual(expect.arrayContaining(['ava', 'sam']));
      const sha256 = createHash('sha256').update(answer.text).digest('hex');
      expect(answer.trailers).toMatchObject({ [EXPORT_ROWS_TRAILER]: String(rows.length - 1), [EXPORT_SHA256_TRAILER]: sha256 });
      const entries = await exportedEntries(store);
      expect(entries).toHaveLength(before + 1);
      expect(entries.at(-1)).toMatchObject({
        actor: 'sam',
        details: { filter, rowCount: rows.length - 1, fileName: 'sessions.csv', sha256 },
      });
    });

    test('an agent, a caller without a session, a bad filter and a name with a folder are refused before any byte; nothing on record', async () => {
      const before = (await exportedEntries(store)).length;
      const ava = await signIn(base, 'ava');
      const sam = await signIn(base, 'sam');
      const agent = await download(base, { input: {}, fileName: 'a.csv' }, ava);
      expect(agent.status).toBe(403);
      expect(JSON.parse(agent.text)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const nobody = await download(base, { input: {}, fileName: 'a.csv' });
      expect(nobody.status).toBe(401);
      expect(JSON.parse(nobody.text)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      const forged = await download(base, { input: {}, fileName: 'a.csv' }, 'not-a-token');
      expect(forged.status).toBe(401);
      const backwards = await download(base, { input: { from: '2026-11-22T10:00:00Z', to: '2026-11-22T09:00:00Z' }, fileName: 'a.csv' }, sam);
      expect(backwards.status).toBe(400);
      expect(JSON.parse(backwards.text)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      const extra = await download(base, { input: { limit: 5 }, fileName: 'a.csv' }, sam);
      expect(extra.status).toBe(400);
      for (const fileName of ['../../home/sam/a.csv', '', undefined]) {
        const folderName = await download(base, { input: {}, fileName }, sam);
        expect(folderName.status).toBe(400);
        expect(JSON.parse(folderName.text)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      }
      // Through /rpc there is nowhere to write: refused in words, naming the download.
      expect(await rpc(base, 'audit:export', {}, sam)).toEqual({ status: 403, body: { ok: false, error: { code: 'FORBIDDEN', message: EXPORT_NEEDS_DOWNLOAD } } });
      expect(await exportedEntries(store)).toHaveLength(before);
    });

    test('the download has the same rate limit and contract-version check as /rpc', async () => {
      const limited = await createServer({ deps: store, appVersion: 'test', testHooks: false, rateLimit: { max: 1, windowMs: 60_000 }, logStream: { write: () => true }, eventIntervalMs: null });
      try {
        const url = await limited.listen({ port: 0, host: '127.0.0.1' });
        expect((await download(url, { input: {}, fileName: 'a.csv' })).status).toBe(401);
        const second = await download(url, { input: {}, fileName: 'a.csv' });
        expect(second.status).toBe(429);
        expect(JSON.parse(second.text)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      } finally {
        await limited.close();
      }
      const sam = await signIn(base, 'sam');
      const res = await request(`${base}${EXPORT_AUDIT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sam}`, [CONTRACT_VERSION_HEADER]: String(CONTRACT_VERSION + 1) },
        body: JSON.stringify({ input: {}, fileName: 'a.csv' }),
      });
      expect(res.statusCode).toBe(409);
      expect(await res.body.json()).toMatchObject({ ok: false, error: { code: 'STORE_UNAVAILABLE', details: { reason: 'version' } } });
    });

    test('the team console saves the download under the chosen name, renamed only when whole; a closed dialog saves nothing', async () => {
      let chosen: string | null = path.join(folder, 'team-export.csv');
      const offered: string[] = [];
      const remote = new RemoteConsole({
        client: new ServerClient({ url: base }),
        publisher: silentPublisher,
        log: () => undefined,
        chooseExportFile: async (_windowId, suggestedName) => {
          offered.push(suggestedName);
          return chosen;
        },
      });
      try {
        // No session yet: no dialog.
        expect(await remote.call(7, 'audit:export', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
        expect(offered).toEqual([]);
        expect(await remote.call(7, 'session:signIn', { username: 'sam', password: fixtures.users.sam.password })).toMatchObject({ ok: true });
        const answer = await remote.call(7, 'audit:export', { actor: 'sam' });
        expect(answer).toMatchObject({ ok: true, data: { cancelled: false, fileName: 'team-export.csv' } });
        expect(offered).toEqual([expect.stringMatching(/^giftdesk-audit-\d{4}-\d{2}-\d{2}\.csv$/)]);
        const text = await readFile(chosen, 'utf8');
        const rows = parse(text) as string[][];
        expect((answer as { data: { rowCount: number } }).data.rowCount).toBe(rows.length - 1);
        expect(rows.slice(1).every((row) => row[2] === 'sam')).toBe(true);
        expect(await readdir(folder)).toEqual(['team-export.csv']);
        // The server's entry names the file (not its folder) and the bytes the console saved.
        expect((await exportedEntries(store)).at(-1)).toMatchObject({
          actor: 'sam',
          details: { filter: { actor: 'sam' }, fileName: 'team-export.csv', sha256: createHash('sha256').update(text).digest('hex') },
        });

        chosen = null;
        expect(await remote.call(7, 'audit:export', {})).toEqual({ ok: true, data: { cancelled: true } });
        expect(await readdir(folder)).toEqual(['team-export.csv']);

        // A refusal from the server (another window signed in as an agent) leaves nothing either.
        chosen = path.join(folder, 'agent.csv');
        expect(await remote.call(8, 'session:signIn', { username: 'ava', password: fixtures.users.ava.password })).toMatchObject({ ok: true });
        expect(await remote.call(8, 'audit:export', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await readdir(folder)).toEqual(['team-export.csv']);
      } finally {
        await remote.close();
      }
    });
  });
}

describe('a server that breaks the download off', () => {
  let fake: Server;
  let base: string;
  let folder: string;
  let behaviour: 'drop' | 'no-trailer' | 'wrong-sha' | 'claims-done' = 'drop';

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-team-export-drop-'));
    fake = createHttpServer((req, res) => {
      if (decodeURIComponent(req.url ?? '') === '/rpc/session:signIn') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, data: {}, token: 'fake-token' }));
        return;
      }
      if (req.url === EXPORT_AUDIT_PATH && behaviour === 'claims-done') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, data: { cancelled: false, rowCount: 5, fileName: 'broken.csv' } }));
        return;
      }
      if (req.url === EXPORT_AUDIT_PATH) {
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', trailer: `${EXPORT_ROWS_TRAILER}, ${EXPORT_SHA256_TRAILER}` });
        const part = 'seq,at,actor,action,subject_type,subject_id,ticket_id,details,hash\n1,2026-11-22T09:00:00.000Z,sam,session.signedIn,,,,{},ab\n';
        res.write(part);
        if (behaviour === 'drop') {
          setTimeout(() => res.destroy(), 20);
          return;
        }
        if (behaviour === 'wrong-sha') res.addTrailers({ [EXPORT_ROWS_TRAILER]: '1', [EXPORT_SHA256_TRAILER]: '0'.repeat(64) });
        res.end();
        return;
      }
      // The event stream: the session is over, so the console stops listening.
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } }));
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    fake.closeAllConnections();
    await new Promise((resolve) => fake.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  for (const [how, reason] of [
    ['drop', 'interrupted'],
    ['no-trailer', 'interrupted'],
    ['wrong-sha', 'interrupted'],
    ['claims-done', 'not-giftdesk'],
  ] as const) {
    test(`${how}: the console reports it in words and leaves no file, not even a partial one`, async () => {
      behaviour = how;
      const remote = new RemoteConsole({
        client: new ServerClient({ url: base }),
        publisher: silentPublisher,
        log: () => undefined,
        chooseExportFile: async () => path.join(folder, 'broken.csv'),
      });
      try {
        expect(await remote.call(1, 'session:signIn', { username: 'sam', password: 'x' })).toMatchObject({ ok: true });
        await expect(remote.call(1, 'audit:export', {})).rejects.toMatchObject({
          code: 'STORE_UNAVAILABLE',
          details: { reason },
        });
        expect(await readdir(folder)).toEqual([]);
      } finally {
        await remote.close();
      }
    });
  }
});
