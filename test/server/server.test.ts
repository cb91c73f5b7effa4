/**
 * Issue 12, phase 1: `giftdesk serve`. Real parts only: the server runs in-process on
 * a loopback port over each engine and is called over real HTTP with fetch; two
 * server instances share one database; one TLS test with a certificate made by openssl.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../electron/cli';
import { startRuntime, type Runtime } from '../../electron/runtime';
import { createServer, type GiftdeskServer } from '../../electron/server/app';
import { DatabaseSessions } from '../../electron/server/dbSessions';
import { isLoopback, parseListen } from '../../electron/server/serve';
import { channels, contract } from '../../shared/contract';
import { CONTRACT_VERSION, CONTRACT_VERSION_HEADER } from '../../shared/protocol';
import { AppError } from '../../shared/errors';
import { ServerClient } from '../../electron/remote/client';
import { demoFixtures } from '../../electron/services/demo';
import { createTestStore, engines, type TestStore } from '../support/store';

const fixtures = demoFixtures();
const us = fixtures.accounts.usCustomer.id;
const serial = fixtures.cards.activeUS.serial;
type Username = keyof typeof fixtures.users;

interface Answer {
  status: number;
  body: any;
}

async function rpc(base: string, channel: string, input: unknown = {}, token?: string): Promise<Answer> {
  const response = await fetch(`${base}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ input }),
  });
  return { status: response.status, body: await response.json() };
}

async function signIn(base: string, username: Username): Promise<string> {
  const answer = await rpc(base, 'session:signIn', { username, password: fixtures.users[username].password });
  expect(answer.body).toMatchObject({ ok: true, data: { user: { username } } });
  return answer.body.token as string;
}

function refusedBecause(answer: Answer, reason: string) {
  expect(answer.status).toBe(401);
  expect(answer.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason } } });
}

/** A log destination that keeps every line. */
function captureLog() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => lines.push(line) } };
}

/** An open `/events` stream: the events received so far, in order. */
async function openEvents(base: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${base}/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const received: { event: string; data: any }[] = [];
  let closed = false;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(chunk)?.[1];
          const data = /^data: (.*)$/m.exec(chunk)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted by the test
    }
    closed = true;
  })();
  return {
    status: response.status,
    received,
    isClosed: () => closed,
    close: () => controller.abort(),
  };
}

async function until(condition: () => boolean, what: string, ms = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function auditCount(store: TestStore): Promise<number> {
  return Number((await store.db('audit_log').count({ n: '*' }).first())!.n);
}

for (const engine of engines) {
  describe(engine, () => {
    let store: TestStore;
    let second: Runtime;
    let a: GiftdeskServer;
    let b: GiftdeskServer;
    let urlA: string;
    let urlB: string;
    const logA = captureLog();

    beforeAll(async () => {
      store = await createTestStore({ engine, demo: true });
      // A second process's view of the same database: its own pool, the same clock.
      second = await startRuntime(
        { dataDir: store.dataDir, databaseUrl: store.config.databaseUrl, demo: false, testHooks: false, secretKey: store.config.secretKey },
        { clock: store.clock },
      );
      a = await createServer({ deps: store, appVersion: 'test', testHooks: false, logStream: logA.stream, eventIntervalMs: null });
      b = await createServer({ deps: second, appVersion: 'test', testHooks: false, logStream: captureLog().stream, eventIntervalMs: null });
      urlA = await a.listen({ port: 0, host: '127.0.0.1' });
      urlB = await b.listen({ port: 0, host: '127.0.0.1' });
    });
    const endEveryLiveSession = () => store.db('sessions').whereNull('ended_at').update({ ended_at: store.clock.now(), end_reason: 'signedOut' });

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await second?.close();
      await store?.close();
    });

    test('/healthz says the process is up; /readyz that the store answers and is migrated', async () => {
      expect(await (await fetch(`${urlA}/healthz`)).json()).toEqual({ ok: true, status: 'ok', contractVersion: CONTRACT_VERSION, version: expect.any(String) });
      const ready = await fetch(`${urlB}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true });
    });

    test("the console's client: its contract version is checked on every call and at /healthz; the same version is served", async () => {
      const client = new ServerClient({ url: urlA });
      expect(await client.health()).toMatchObject({ status: 'ok', contractVersion: CONTRACT_VERSION, version: 'test' });
      const signedIn = await client.call('session:signIn', { username: 'ava', password: 'ava-demo' }, null);
      expect(signedIn.envelope.ok).toBe(true);
      expect(signedIn.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await client.call('cards:lookup', { serial }, signedIn.token!)).envelope).toMatchObject({ ok: true, data: { serial } });
      expect((await client.call('session:signOut', {}, signedIn.token!)).envelope.ok).toBe(true);
      await client.close();

      const before = await auditCount(store);
      const older = new ServerClient({ url: urlA }, { contractVersion: CONTRACT_VERSION - 1 });
      for (const attempt of [older.health(), older.call('session:signIn', { username: 'ava', password: 'ava-demo' }, null)]) {
        const refused = await attempt.then(() => null, (e: unknown) => e as AppError);
        expect(refused?.code).toBe('STORE_UNAVAILABLE');
        expect(refused?.details).toMatchObject({ reason: 'version', serverContract: CONTRACT_VERSION });
      }
      // Refused before the wrapper: nothing ran, nothing was recorded.
      expect(await auditCount(store)).toBe(before);
      await older.close();
      // Raw: the 409 and the header.
      const raw = await fetch(`${urlA}/rpc/app:info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CONTRACT_VERSION_HEADER]: '999' },
        body: '{"input":{}}',
      });
      expect(raw.status).toBe(409);
    });

    test('sign in, call, sign out: the token is refused after; it is stored only hashed and is in no audit entry or log line', async () => {
      const signedIn = await rpc(urlA, 'session:signIn', { username: 'ava', password: 'ava-demo' });
      expect(signedIn.status).toBe(200);
      const token: string = signedIn.body.token;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Object.keys(signedIn.body).sort()).toEqual(['data', 'ok', 'token']);
      expect(JSON.stringify(signedIn.body.data)).not.toContain(token);

      expect(await rpc(urlA, 'cards:lookup', { serial }, token)).toMatchObject({ status: 200, body: { ok: true, data: { serial } } });
      expect((await rpc(urlA, 'session:current', {}, token)).body).toMatchObject({ ok: true, data: { user: { username: 'ava' } } });
      expect(await rpc(urlA, 'session:signOut', {}, token)).toEqual({ status: 200, body: { ok: true, data: { signedOut: true } } });
      refusedBecause(await rpc(urlA, 'cards:lookup', { serial }, token), 'signedOut');
      expect((await rpc(urlA, 'session:current', {}, token)).body).toEqual({ ok: true, data: null });

      const rows = await store.db('sessions').select('*');
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(rows.map((r: { token_hash: string }) => r.token_hash)).toContain(createHash('sha256').update(token).digest('base64url'));
      const audit = await store.db('audit_log').select('*');
      expect(JSON.stringify(audit)).not.toContain(token);
      expect(audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['session.signIn', 'card.lookup', 'session.signOut']));

      const log = logA.lines.join('');
      for (const secret of [token, 'ava-demo', serial, 'Bearer']) expect(log).not.toContain(secret);
      const lookupLine = logA.lines.map((l) => JSON.parse(l)).find((l) => l.channel === 'cards:lookup');
      expect(lookupLine).toMatchObject({ statusCode: 200, durationMs: expect.any(Number), msg: 'call' });
      expect(Object.keys(lookupLine).sort()).toEqual(['channel', 'durationMs', 'level', 'msg', 'reqId', 'statusCode', 'time']);
    });

    test('forged, truncated, malformed and missing tokens are refused; unknown and test-only channels do not exist', async () => {
      const token = await signIn(urlA, 'ava');
      const forged = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
      refusedBecause(await rpc(urlA, 'cards:lookup', { serial }, forged), 'invalid');
      refusedBecause(await rpc(urlA, 'cards:lookup', { serial }, token.slice(0, 42)), 'invalid');
      refusedBecause(await rpc(urlB, 'cards:lookup', { serial }, `${token}x`), 'invalid');
      const basic = await fetch(`${urlA}/rpc/cards:lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${token}` },
        body: JSON.stringify({ input: { serial } }),
      });
      expect(basic.status).toBe(401);
      expect(await rpc(urlA, 'cards:lookup', { serial })).toEqual({
        status: 401,
        body: { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } },
      });
      // The real token still works: the refusals changed nothing.
      expect((await rpc(urlA, 'cards:lookup', { serial }, token)).body).toMatchObject({ ok: true });

      for (const channel of ['cards:nope', 'test:advanceClock', '__proto__', 'toString']) {
        const answer = await rpc(urlA, channel, {}, token);
        expect(answer, channel).toMatchObject({ status: 404, body: { ok: false, error: { code: 'NOT_FOUND' } } });
      }
      const notJson = await fetch(`${urlA}/rpc/app:info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect((await rpc(urlA, 'cards:lookup', { serial: 7 }, token)).body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    });

    test('the HTTP surface is the contract: every channel is there without writing it, test-only ones only with test hooks', async () => {
      for (const channel of channels) {
        const answer = await rpc(urlA, channel, {});
        if ((contract[channel] as { testOnly?: true }).testOnly) expect(answer.status, channel).toBe(404);
        else if (contract[channel].roles === 'public') expect(answer.status, channel).not.toBe(404);
        else expect(answer, channel).toMatchObject({ status: 401, body: { ok: false, error: { code: 'UNAUTHENTICATED' } } });
      }
      const hooked = await createServer({ deps: store, appVersion: 'test', testHooks: true, logStream: captureLog().stream, eventIntervalMs: null });
      const url = await hooked.listen({ port: 0, host: '127.0.0.1' });
      try {
        expect(await rpc(url, 'test:advanceClock', { minutes: 0 })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
      } finally {
        await hooked.close();
      }
    });

    test('test hooks: moving the clock with keepSessions shifts every live session, as in a console', async () => {
      const token = await signIn(urlA, 'ava');
      await new DatabaseSessions(() => store).shiftActivity(40 * 60_000);
      store.clock.advanceMinutes(40);
      expect((await rpc(urlA, 'cards:lookup', { serial }, token)).body).toMatchObject({ ok: true });
      await rpc(urlA, 'session:signOut', {}, token);
    });

    test('two servers on one database: activity, sign-out and the idle lock through one are in force on the other', async () => {
      const token = await signIn(urlA, 'ava');
      expect((await rpc(urlB, 'cards:lookup', { serial }, token)).body).toMatchObject({ ok: true });
      // Activity through B keeps the session awake for A.
      store.clock.advanceMinutes(10);
      expect((await rpc(urlB, 'cards:balance', { serial }, token)).body).toMatchObject({ ok: true });
      store.clock.advanceMinutes(10);
      expect((await rpc(urlA, 'cards:lookup', { serial }, token)).body).toMatchObject({ ok: true });

      await rpc(urlB, 'session:signOut', {}, token);
      refusedBecause(await rpc(urlA, 'cards:lookup', { serial }, token), 'signedOut');

      // Earlier tests' sessions would idle out too (and be put on record): end them first.
      await endEveryLiveSession();
      const idle = await signIn(urlB, 'ava');
      const idleLocks = async () => (await store.db('audit_log').where({ action: 'session.idleLock', actor: 'ava' }).select('seq')).length;
      const before = await idleLocks();
      store.clock.advanceMinutes(16);
      // Both servers find it idle at once: one ends it, one records it.
      const [viaA, viaB] = await Promise.all([rpc(urlA, 'cards:lookup', { serial }, idle), rpc(urlB, 'cards:lookup', { serial }, idle)]);
      refusedBecause(viaA, 'idle');
      refusedBecause(viaB, 'idle');
      refusedBecause(await rpc(urlB, 'cards:lookup', { serial }, idle), 'idle');
      expect(await idleLocks()).toBe(before + 1);
      // Recorded once, by the process that ended it.
      const ended = await store.db('sessions').where({ token_hash: createHash('sha256').update(idle).digest('base64url') }).first();
      expect(ended).toMatchObject({ end_reason: 'idle' });
      expect(ended.ended_at).not.toBeNull();
    });

    test('a session nobody uses is ended on record after its idle lock by the server\'s own check, not only at its next call', async () => {
      await endEveryLiveSession();
      const token = await signIn(urlA, 'ada');
      const hash = createHash('sha256').update(token).digest('base64url');
      const idleLocks = async () => (await store.db('audit_log').where({ action: 'session.idleLock', actor: 'ada' }).select('seq')).length;
      const before = await idleLocks();
      store.clock.advanceMinutes(14);
      await Promise.all([a.checkEvents(), b.checkEvents()]);
      expect(await store.db('sessions').where({ token_hash: hash }).first()).toMatchObject({ ended_at: null });
      store.clock.advanceMinutes(2);
      await Promise.all([a.checkEvents(), b.checkEvents()]);
      expect(await store.db('sessions').where({ token_hash: hash }).first()).toMatchObject({ end_reason: 'idle' });
      expect(await idleLocks()).toBe(before + 1);
      refusedBecause(await rpc(urlB, 'audit:list', {}, token), 'idle');
      expect(await idleLocks()).toBe(before + 1);
    });

    test('two servers on one database: a deactivation and a role change are in force on the other at its next call', async () => {
      const sky = await signIn(urlA, 'sky');
      const sam = await signIn(urlA, 'sam');
      expect((await rpc(urlB, 'audit:list', {}, sam)).body).toMatchObject({ ok: true });
      try {
        await store.db('users').where({ username: 'sky' }).update({ active: false });
        refusedBecause(await rpc(urlA, 'cards:lookup', { serial }, sky), 'deactivated');
        // Ended through A: B refuses it with A's reason, even with the user active again.
        await store.db('users').where({ username: 'sky' }).update({ active: true });
        refusedBecause(await rpc(urlB, 'cards:lookup', { serial }, sky), 'deactivated');

        await second.db('users').where({ username: 'sam' }).update({ role: 'agent' });
        expect(await rpc(urlA, 'audit:list', {}, sam)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', details: { role: 'agent' } } } });
        expect(await rpc(urlB, 'audit:list', {}, sam)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
        expect((await rpc(urlB, 'cards:lookup', { serial }, sam)).body).toMatchObject({ ok: true });
      } finally {
        await store.db('users').where({ username: 'sky' }).update({ active: true });
        await store.db('users').where({ username: 'sam' }).update({ role: 'supervisor' });
      }
    });

    test('a sign-in lockout through one server holds on the other; the lifetime set at sign-in holds on both', async () => {
      for (let i = 0; i < 5; i++) {
        expect((await rpc(urlA, 'session:signIn', { username: 'sky', password: `wrong-${i}` })).body).toMatchObject({ ok: false });
      }
      const locked = await rpc(urlB, 'session:signIn', { username: 'sky', password: 'sky-demo' });
      expect(locked.body).toMatchObject({ ok: false, error: { code: 'SIGN_IN_LOCKED' } });
      expect(locked.body.token).toBeUndefined();
      store.clock.advanceMinutes(16);

      await store.db('settings').insert({ key: 'limits.sessionMaxHours', value: '1', updated_at: store.clock.now() });
      try {
        const token = await signIn(urlA, 'sky');
        for (const url of [urlB, urlA, urlB, urlA, urlB]) {
          store.clock.advanceMinutes(10);
          expect((await rpc(url, 'cards:lookup', { serial }, token)).body).toMatchObject({ ok: true });
        }
        store.clock.advanceMinutes(11);
        refusedBecause(await rpc(urlB, 'cards:lookup', { serial }, token), 'expired');
        refusedBecause(await rpc(urlA, 'cards:lookup', { serial }, token), 'expired');
      } finally {
        await store.db('settings').where({ key: 'limits.sessionMaxHours' }).delete();
      }
    });

    test('events: the session\'s credit events and its end reach its stream, whichever server made the change', async () => {
      expect((await fetch(`${urlA}/events`)).status).toBe(401);
      const ava = await signIn(urlA, 'ava');
      const stream = await openEvents(urlA, ava);
      expect(stream.status).toBe(200);
      try {
        const sam = await signIn(urlB, 'sam');
        const request = await rpc(
          urlA,
          'credits:request',
          { accountId: us, amountMinor: 1250, currency: 'USD', reason: 'GOODWILL', ticketId: 'T-7001', idempotencyKey: `server-events-${engine}` },
          ava,
        );
        expect(request.body).toMatchObject({ ok: true });
        const requestId: number = request.body.data.id;
        await a.checkEvents();
        await until(() => stream.received.some((e) => e.event === 'credits:changed'), 'credits:changed');

        expect((await rpc(urlB, 'credits:approve', { requestId, idempotencyKey: `server-approve-${engine}` }, sam)).body).toMatchObject({ ok: true });
        await a.checkEvents();
        await until(() => stream.received.some((e) => e.event === 'credits:decided'), 'credits:decided');
        expect(stream.received.filter((e) => e.event !== 'credits:changed')).toEqual([
          { event: 'credits:decided', data: { requestId, status: 'approved' } },
        ]);

        // Signed out through the other server: the stream says so and ends.
        await rpc(urlB, 'session:signOut', {}, ava);
        await a.checkEvents();
        await until(() => stream.isClosed(), 'the stream to end');
        expect(stream.received.at(-1)).toMatchObject({ event: 'session:ended', data: { reason: 'signedOut' } });
      } finally {
        stream.close();
      }
    });

    test('graceful shutdown: a call in flight finishes, then the server accepts nothing more; too many calls are refused', async () => {
      const c = await createServer({ deps: store, appVersion: 'test', testHooks: false, logStream: captureLog().stream, eventIntervalMs: null });
      const urlC = await c.listen({ port: 0, host: '127.0.0.1' });
      // The sign-in's password hash takes a while: close while it runs.
      const pending = rpc(urlC, 'session:signIn', { username: 'ava', password: 'ava-demo' });
      await until(() => c.inFlight() > 0, 'the call to arrive', 5000);
      const closing = c.close();
      const answer = await pending;
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ ok: true, data: { user: { username: 'ava' } } });
      await closing;
      await expect(fetch(`${urlC}/healthz`)).rejects.toThrow();

      const d = await createServer({ deps: store, appVersion: 'test', testHooks: false, rateLimit: { max: 2, windowMs: 60_000 }, logStream: captureLog().stream, eventIntervalMs: null });
      const urlD = await d.listen({ port: 0, host: '127.0.0.1' });
      try {
        expect((await rpc(urlD, 'app:info')).status).toBe(200);
        expect((await rpc(urlD, 'app:info')).status).toBe(200);
        expect(await rpc(urlD, 'app:info')).toMatchObject({ status: 429, body: { ok: false, error: { code: 'RATE_LIMITED' } } });
        expect((await fetch(`${urlD}/healthz`)).status).toBe(200);
      } finally {
        await d.close();
      }
    });
  });
}

/** The CLI's streams, captured. */
function io(env: Record<string, string>, stopSignal?: Promise<unknown>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = { stdout: '', stderr: '' };
  stdout.on('data', (c) => (out.stdout += c));
  stderr.on('data', (c) => (out.stderr += c));
  return { out, io: { stdin: Readable.from(['']), stdout, stderr, env, ...(stopSignal ? { stopSignal } : {}) } };
}

describe('giftdesk serve', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-serve-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('--listen takes host:port or [v6]:port; only 127.0.0.1, ::1 and localhost count as loopback', () => {
    expect(parseListen('127.0.0.1:8443')).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    for (const bad of ['8443', 'host:', ':8443', 'host:99999', '::1:8443', 'a b:1']) expect(parseListen(bad), bad).toBeNull();
    for (const host of ['127.0.0.1', '::1', 'localhost', 'LocalHost']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '127.0.0.2', '10.0.0.1', 'localhost.example.com']) expect(isLoopback(host), host).toBe(false);
  });

  test('plain HTTP on a non-loopback address is refused with the reason (exit 1) before any store opens', async () => {
    const dataDir = path.join(dir, 'refused');
    for (const listen of ['0.0.0.0:8443', '192.168.1.10:8443', '[::]:8443']) {
      const { out, io: cliIo } = io({ GIFTDESK_DATA_DIR: dataDir });
      expect(await runCli(['serve', '--listen', listen], cliIo), listen).toBe(1);
      expect(out.stderr).toContain('refusing to serve plain HTTP');
      expect(out.stderr).toContain('--tls-cert');
    }
    await expect(readdir(dataDir)).rejects.toThrow();
    const { io: half } = io({ GIFTDESK_DATA_DIR: dataDir });
    expect(await runCli(['serve', '--tls-cert', 'cert.pem'], half)).toBe(2);
    const { io: bad } = io({ GIFTDESK_DATA_DIR: dataDir });
    expect(await runCli(['serve', '--listen', 'nowhere'], bad)).toBe(2);
  });

  test('over TLS with the operator\'s certificate (a SQLite store); a client without the CA refuses it; SIGTERM-style stop exits 0', async () => {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '1', '-keyout', key, '-out', cert,
    ]);
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const { out, io: cliIo } = io({ GIFTDESK_DATA_DIR: path.join(dir, 'tls-store') }, stopSignal);
    const exit = runCli(['serve', '--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key], cliIo);
    await until(() => /serving .* on (https:\/\/\S+)/.test(out.stderr), 'the server to listen', 20_000);
    const base = /serving .* on (https:\/\/\S+)/.exec(out.stderr)![1]!;
    expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const agent = new Agent({ connect: { ca: await readFile(cert) } });
    try {
      const response = await undiciFetch(`${base}/rpc/app:info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: {} }),
        dispatcher: agent,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, data: { store: 'sqlite' } });
      await expect(undiciFetch(`${base}/healthz`)).rejects.toThrow();
    } finally {
      await agent.close();
    }
    stop();
    expect(await exit).toBe(0);
    expect(out.stdout).toContain('"channel":"app:info"');
  });
});
