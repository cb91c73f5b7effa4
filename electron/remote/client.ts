/**
 * The console's side of the team server protocol (shared/protocol.ts): forwards a
 * contract call over HTTPS with the window's bearer token, and reads the server's
 * events. The main process holds the tokens; the renderer never sees one.
 *
 * Trust: the operating system's certificate authorities by default, or a private CA
 * file (`serverCa`), or a pinned certificate (`serverFingerprint`, the SHA-256
 * fingerprint of the server's certificate, which then need not chain to any CA).
 * Plain `http://` only to a loopback address (a trial on one machine).
 *
 * Every transport failure becomes `STORE_UNAVAILABLE` with `details.reason` and a
 * message in words (unreachable, unknown host, certificate refused, other version,
 * interrupted, not a Giftdesk server): the console shows it on its store-down screen
 * with Try again, and the CLI prints it and exits 1.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TLSSocket } from 'node:tls';
import { createParser } from 'eventsource-parser';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import { AppError, type Envelope } from '../../shared/errors';
import {
  CONTRACT_VERSION,
  CONTRACT_VERSION_HEADER,
  EVENTS_PATH,
  EXPORT_AUDIT_PATH,
  EXPORT_ROWS_TRAILER,
  EXPORT_SHA256_TRAILER,
  HEALTH_PATH,
  RPC_PREFIX,
  type ServerHealth,
} from '../../shared/protocol';

export interface ServerEndpoint {
  /** `https://host[:port]` (or `http://127.0.0.1:port` for a trial). */
  url: string;
  /** PEM text of a CA (or the server's own certificate) to trust instead of the system's. */
  ca?: string | null;
  /** SHA-256 fingerprint of the server's certificate, hex with or without colons. */
  fingerprint?: string | null;
}

export type ServerProblem = 'unreachable' | 'unknown-host' | 'certificate' | 'version' | 'interrupted' | 'timeout' | 'not-giftdesk';

export interface CallResult {
  envelope: Envelope<unknown>;
  /** The new session's token, only from a call that opened one (a sign-in, the first admin's creation). */
  token?: string;
}

export interface ServerClientOptions {
  /** Milliseconds to wait for an answer (default 30 s). */
  timeoutMs?: number;
  /** The contract version this console speaks (tests override it). */
  contractVersion?: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Parses and checks a configured server URL; throws AppError('VALIDATION_FAILED') in words. */
export function parseServerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('VALIDATION_FAILED', `serverUrl "${raw}" is not a URL; write it as https://giftdesk.example.com:8443.`);
  }
  if (url.username || url.password) {
    throw new AppError('VALIDATION_FAILED', 'serverUrl must not hold a user name or password; consoles sign in with their own users.');
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `serverUrl ${url.origin} uses plain http to another machine; use https (plain http is only for a trial on 127.0.0.1).`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('VALIDATION_FAILED', `serverUrl must start with https:// (it starts with ${url.protocol}//).`);
  }
  return url;
}

/** `AB:CD:…` upper case, as Node prints `fingerprint256`; throws in words when it cannot be one. */
export function normaliseFingerprint(raw: string): string {
  const hex = raw.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new AppError('VALIDATION_FAILED', 'serverFingerprint must be the SHA-256 fingerprint of the server certificate: 64 hex digits, colons allowed.');
  }
  return hex.match(/../g)!.join(':');
}

const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'GIFTDESK_CERT_PIN_MISMATCH',
]);

function problem(reason: ServerProblem, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('STORE_UNAVAILABLE', message, { reason, ...extra });
}

export class ServerClient {
  readonly origin: string;
  private readonly base: URL;
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;
  private readonly contractVersion: number;

  constructor(endpoint: ServerEndpoint, options: ServerClientOptions = {}) {
    this.base = parseServerUrl(endpoint.url);
    this.origin = this.base.origin;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.contractVersion = options.contractVersion ?? CONTRACT_VERSION;
    const pin = endpoint.fingerprint ? normaliseFingerprint(endpoint.fingerprint) : null;
    const ca = endpoint.ca ?? undefined;
    // A pinned certificate need not chain to a CA: the chain check is replaced by the pin.
    const connector = buildConnector({ ...(ca ? { ca } : {}), rejectUnauthorized: pin === null });
    const connect: buildConnector.connector = (opts, callback) =>
      connector(opts, (error, socket) => {
        if (error || !pin || this.base.protocol !== 'https:') return callback(error as Error, socket as never);
        const raw = (socket as TLSSocket).getPeerCertificate(false)?.raw;
        const seen = raw ? new X509Certificate(raw).fingerprint256 : '';
        if (seen !== pin) {
          socket.destroy();
          const mismatch = Object.assign(new Error('the server certificate does not match the pinned fingerprint'), {
            code: 'GIFTDESK_CERT_PIN_MISMATCH',
          });
          return callback(mismatch, null);
        }
        return callback(null, socket);
      });
    this.dispatcher = new Agent({ connect, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
  }

  private headers(token: string | null): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [CONTRACT_VERSION_HEADER]: String(this.contractVersion),
    };
    if (token) headers['authorization'] = `Bearer ${token}`;
    return headers;
  }

  /** Turns a transport error into the words the console shows. */
  private explain(error: unknown, sent: boolean): AppError {
    if (error instanceof AppError) return error;
    const code = String((error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '');
    const where = this.origin;
    if (CERTIFICATE_CODES.has(code)) {
      return problem(
        'certificate',
        code === 'GIFTDESK_CERT_PIN_MISMATCH'
          ? `The team server at ${where} presented a certificate whose fingerprint is not the one this console is configured with (serverFingerprint). Nothing was sent. Ask your administrator whether the server's certificate changed.`
          : `The team server at ${where} presented a certificate this console does not trust (${code}). Nothing was sent. Ask your administrator for the server's CA file (serverCa) or its certificate fingerprint (serverFingerprint).`,
        { code },
      );
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return problem('unknown-host', `The team server's address ${this.base.hostname} does not resolve. Check serverUrl in giftdesk.config.json (or GIFTDESK_SERVER_URL).`);
    }
    if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return problem('unreachable', `Giftdesk cannot reach the team server at ${where}. Check that the server is running and that serverUrl is right, then try again.`);
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return problem('timeout', `The team server at ${where} did not answer in time. The action may or may not have been done: try again — a repeated request is recognised and done at most once.`);
    }
    if (sent) {
      return problem('interrupted', `The connection to the team server at ${where} broke during this action. It may or may not have been done: try again — a repeated request is recognised and done at most once.`);
    }
    return problem('unreachable', `Giftdesk cannot reach the team server at ${where} (${code || 'connection failed'}). Try again.`);
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }

  /** `/healthz`: the server's versions; refuses another contract version in words. */
  async health(): Promise<ServerHealth> {
    let body: unknown;
    try {
      const res = await request(this.url(HEALTH_PATH), { method: 'GET', dispatcher: this.dispatcher, headers: this.headers(null) });
      body = await res.body.json().catch(() => null);
    } catch (error) {
      throw this.explain(error, false);
    }
    const health = body as Partial<ServerHealth> | null;
    if (!health || health.status !== 'ok' || typeof health.contractVersion !== 'number') {
      throw problem('not-giftdesk', `${this.origin} does not answer as a Giftdesk server. Check serverUrl.`);
    }
    this.checkVersion(health.contractVersion, health.version);
    return health as ServerHealth;
  }

  private checkVersion(serverVersion: number, serverRelease?: string): void {
    if (serverVersion !== this.contractVersion) {
      throw problem(
        'version',
        `The team server at ${this.origin} is Giftdesk ${serverRelease ?? 'of another version'} (contract ${serverVersion}); this console speaks contract ${this.contractVersion}. Install the console that matches the server.`,
        { serverContract: serverVersion, consoleContract: this.contractVersion },
      );
    }
  }

  /** One contract call. Transport failures throw AppError('STORE_UNAVAILABLE'); refusals come back in the envelope. */
  async call(channel: string, input: unknown, token: string | null): Promise<CallResult> {
    let status: number;
    let body: unknown;
    try {
      const res = await request(this.url(RPC_PREFIX + encodeURIComponent(channel)), {
        method: 'POST',
        dispatcher: this.dispatcher,
        headers: this.headers(token),
        body: JSON.stringify({ input: input === undefined ? {} : input }),
      });
      status = res.statusCode;
      body = await res.body.json().catch(() => null);
    } catch (error) {
      throw this.explain(error, true);
    }
    const answer = this.answerOf(status, body);
    return typeof answer.token === 'string' ? { envelope: answer.envelope, token: answer.token } : { envelope: answer.envelope };
  }

  /** A server's JSON answer as an envelope (and the token beside it); throws in words when it is not a Giftdesk answer. */
  private answerOf(status: number, body: unknown): { envelope: Envelope<unknown>; token?: unknown } {
    const answer = body as (Envelope<unknown> & { token?: unknown; contractVersion?: unknown }) | null;
    if (!answer || typeof answer !== 'object' || typeof answer.ok !== 'boolean') {
      throw problem('not-giftdesk', `${this.origin} answered ${status} without a Giftdesk answer. Check serverUrl.`);
    }
    if (typeof answer.contractVersion === 'number') this.checkVersion(answer.contractVersion);
    const envelope: Envelope<unknown> = answer.ok ? { ok: true, data: answer.data } : { ok: false, error: answer.error };
    return { envelope, token: answer.token };
  }

  /**
   * `audit:export` as a download (`POST /export/audit`): the CSV is piped into
   * `destination` as it arrives, and counts only with the server's completion trailers
   * (its row count, and a SHA-256 equal to that of the bytes received). A refusal before
   * the first byte comes back as its envelope; a body broken off, or one without (or not
   * matching) its trailers, throws STORE_UNAVAILABLE ('interrupted') in words, and the
   * caller throws away what `destination` got.
   */
  async exportAudit(
    input: unknown,
    fileName: string,
    token: string | null,
    destination: Writable,
  ): Promise<{ ok: true; rowCount: number } | { ok: false; envelope: Envelope<unknown> }> {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.url(EXPORT_AUDIT_PATH), {
        method: 'POST',
        dispatcher: this.dispatcher,
        headers: this.headers(token),
        body: JSON.stringify({ input: input === undefined ? {} : input, fileName }),
      });
    } catch (error) {
      destination.destroy();
      throw this.explain(error, true);
    }
    if (res.statusCode !== 200 || !String(res.headers['content-type'] ?? '').startsWith('text/csv')) {
      destination.destroy();
      const body = await res.body.json().catch(() => null);
      const { envelope } = this.answerOf(res.statusCode, body);
      // Only the CSV with its trailers is a completed export; anything else that claims one is not believed.
      if (envelope.ok) throw problem('not-giftdesk', `${this.origin} answered the audit export without its CSV. Check serverUrl.`);
      return { ok: false, envelope };
    }
    const digest = createHash('sha256');
    let broken = false;
    res.body.once('error', () => (broken = true));
    try {
      await pipeline(
        res.body,
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            digest.update(chunk);
            callback(null, chunk);
          },
        }),
        destination,
      );
    } catch (error) {
      // The connection broke off, or else the file could not be written (disk full …): that is the reason then.
      if (broken || !destination.errored) throw this.explain(error, true);
      throw error;
    }
    const rows = res.trailers[EXPORT_ROWS_TRAILER];
    const sha256 = res.trailers[EXPORT_SHA256_TRAILER];
    if (typeof rows !== 'string' || !/^\d+$/.test(rows) || sha256 !== digest.digest('hex')) {
      throw problem(
        'interrupted',
        `The audit export from the team server at ${this.origin} did not arrive whole. Nothing was saved; try again.`,
      );
    }
    return { ok: true, rowCount: Number(rows) };
  }

  /**
   * Reads the session's events until `signal` aborts or the server closes the stream
   * (then it resolves 'closed'; the caller reconnects) or refuses it because the session
   * is over ('ended'). Each event is handed over by name.
   */
  async events(token: string, onEvent: (event: string, payload: unknown) => void, signal: AbortSignal): Promise<'closed' | 'ended'> {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.url(EVENTS_PATH), {
        method: 'GET',
        dispatcher: this.dispatcher,
        headers: { ...this.headers(token), accept: 'text/event-stream' },
        signal,
        bodyTimeout: 0,
      });
    } catch (error) {
      if (signal.aborted) return 'closed';
      throw this.explain(error, false);
    }
    if (res.statusCode === 401) {
      await res.body.dump();
      return 'ended';
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw problem('not-giftdesk', `${this.origin} refused the event stream (${res.statusCode}).`);
    }
    const parser = createParser({
      onEvent: (message) => {
        let payload: unknown = null;
        try {
          payload = message.data ? JSON.parse(message.data) : null;
        } catch {
          return;
        }
        onEvent(message.event ?? 'message', payload);
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch (error) {
      if (signal.aborted) return 'closed';
      throw this.explain(error, true);
    }
    return 'closed';
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
