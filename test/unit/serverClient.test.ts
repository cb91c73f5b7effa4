/**
 * The console's HTTPS client for the team server, at the transport level: trust (system
 * CAs, a private CA, a pinned fingerprint), and every way a server can fail to answer,
 * each turned into STORE_UNAVAILABLE with a reason and words. A real TLS server (Fastify
 * with a throw-away certificate) answers the protocol's routes.
 */
import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { normaliseFingerprint, parseServerUrl, ServerClient } from '../../electron/remote/client';
import { AppError } from '../../shared/errors';
import { CONTRACT_VERSION, CONTRACT_VERSION_HEADER } from '../../shared/protocol';
import { freePort } from '../support/net';
import { makeTestCertificate, type TestCertificate } from '../support/tls';

let tls: TestCertificate;
let other: TestCertificate;
let server: FastifyInstance;
let url: string;
let seen: { auth?: string | undefined; version?: string | undefined; body?: unknown } = {};

beforeAll(async () => {
  tls = makeTestCertificate();
  other = makeTestCertificate();
  server = Fastify({ https: { cert: tls.cert, key: tls.key } });
  server.get('/healthz', async () => ({ status: 'ok', contractVersion: CONTRACT_VERSION, version: '9.9.9' }));
  server.post('/rpc/:channel', async (req) => {
    seen = { auth: req.headers.authorization, version: req.headers[CONTRACT_VERSION_HEADER] as string | undefined, body: req.body };
    const { channel } = req.params as { channel: string };
    if (channel === 'session:signIn') return { ok: true, data: { user: 'u' }, token: 'tok-123' };
    if (channel === 'hang-up') {
      req.raw.socket.destroy();
      return new Promise(() => {});
    }
    if (channel === 'not-json') return 'hello';
    return { ok: false, error: { code: 'FORBIDDEN', message: 'no' } };
  });
  server.get('/events', async (req, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    // A multi-byte character split across writes must still parse.
    const text = 'event: credits:changed\ndata: {"note":"caf\u00e9"}\n\n';
    const bytes = Buffer.from(text, 'utf8');
    const cut = bytes.indexOf(0xc3) + 1;
    reply.raw.write(bytes.subarray(0, cut));
    setTimeout(() => reply.raw.end(bytes.subarray(cut)), 20);
    return reply;
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address() as net.AddressInfo;
  url = `https://localhost:${address.port}`;
});

afterAll(async () => {
  await server?.close();
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('server URL and fingerprint settings', () => {
  test('plain http only to a loopback address; no credentials in the URL', () => {
    expect(parseServerUrl('http://127.0.0.1:8080').origin).toBe('http://127.0.0.1:8080');
    expect(() => parseServerUrl('http://giftdesk.example.com')).toThrow(/plain http to another machine/);
    expect(() => parseServerUrl('https://bob:pw@giftdesk.example.com')).toThrow(/must not hold a user name or password/);
    expect(() => parseServerUrl('ftp://x')).toThrow(/must start with https/);
    expect(() => parseServerUrl('not a url')).toThrow(/is not a URL/);
  });

  test('fingerprints are accepted with or without colons, in any case', () => {
    const hex = 'ab'.repeat(32);
    expect(normaliseFingerprint(hex)).toBe(Array(32).fill('AB').join(':'));
    expect(() => normaliseFingerprint('abc')).toThrow(/64 hex digits/);
  });
});

describe('trust', () => {
  test('a server certificate the console does not trust is refused before anything is sent', async () => {
    seen = {};
    const client = new ServerClient({ url });
    const error = await refusal(client.call('cards:lookup', { serial: '1' }, 'secret-token'));
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.details).toMatchObject({ reason: 'certificate', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(error.message).toContain('does not trust');
    expect(seen).toEqual({});
    await client.close();
  });

  test('a private CA file makes the server trusted', async () => {
    const client = new ServerClient({ url, ca: tls.cert });
    expect(await client.health()).toMatchObject({ status: 'ok', contractVersion: CONTRACT_VERSION });
    await client.close();
  });

  test('a pinned fingerprint trusts exactly that certificate', async () => {
    const pinned = new ServerClient({ url, fingerprint: tls.fingerprint });
    expect((await pinned.health()).status).toBe('ok');
    await pinned.close();
    const wrong = new ServerClient({ url, fingerprint: other.fingerprint });
    const error = await refusal(wrong.health());
    expect(error.details).toMatchObject({ reason: 'certificate', code: 'GIFTDESK_CERT_PIN_MISMATCH' });
    await wrong.close();
  });

  test('a CA that did not sign the server certificate is refused', async () => {
    const client = new ServerClient({ url, ca: other.cert });
    expect((await refusal(client.health())).details).toMatchObject({ reason: 'certificate' });
    await client.close();
  });
});

describe('calls', () => {
  let client: ServerClient;
  beforeAll(() => {
    client = new ServerClient({ url, ca: tls.cert });
  });
  afterAll(() => client.close());

  test('a call carries the input, the bearer token and the contract version; a sign-in hands back the token', async () => {
    const signIn = await client.call('session:signIn', { username: 'ava', password: 'x' }, null);
    expect(signIn).toEqual({ envelope: { ok: true, data: { user: 'u' } }, token: 'tok-123' });
    expect(seen).toEqual({ auth: undefined, version: String(CONTRACT_VERSION), body: { input: { username: 'ava', password: 'x' } } });
    const refused = await client.call('cards:lookup', { serial: '1' }, 'tok-123');
    expect(refused).toEqual({ envelope: { ok: false, error: { code: 'FORBIDDEN', message: 'no' } } });
    expect(seen.auth).toBe('Bearer tok-123');
  });

  test('a connection broken mid-call says the action may or may not have been done', async () => {
    const error = await refusal(client.call('hang-up', {}, 'tok-123'));
    expect(error.details).toMatchObject({ reason: 'interrupted' });
    expect(error.message).toContain('at most once');
  });

  test('an answer that is not a Giftdesk envelope is named', async () => {
    expect((await refusal(client.call('not-json', {}, null))).details).toMatchObject({ reason: 'not-giftdesk' });
  });

  test('a server of another contract version is refused in words', async () => {
    const newer = new ServerClient({ url, ca: tls.cert }, { contractVersion: CONTRACT_VERSION + 1 });
    const error = await refusal(newer.health());
    expect(error.details).toMatchObject({ reason: 'version', serverContract: CONTRACT_VERSION });
    expect(error.message).toContain('Install the console that matches the server');
    await newer.close();
  });

  test('events arrive by name, parsed, across split multi-byte characters', async () => {
    const got: [string, unknown][] = [];
    await client.events('tok-123', (event, payload) => got.push([event, payload]), new AbortController().signal);
    expect(got).toEqual([['credits:changed', { note: 'café' }]]);
  });
});

describe('unreachable servers', () => {
  test('nobody listening on the port', async () => {
    const port = await freePort();
    const client = new ServerClient({ url: `https://127.0.0.1:${port}` });
    const error = await refusal(client.call('app:info', {}, null));
    expect(error.details).toMatchObject({ reason: 'unreachable' });
    expect(error.message).toContain(`https://127.0.0.1:${port}`);
    await client.close();
  });

  test('a host name that does not resolve', async () => {
    const client = new ServerClient({ url: 'https://giftdesk.invalid' });
    const error = await refusal(client.health());
    expect(error.details).toMatchObject({ reason: 'unknown-host' });
    await client.close();
  });
});
