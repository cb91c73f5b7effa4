/**
 * The team server's HTTP surface (issue 12), derived from the contract and nothing
 * written per channel:
 *  - `POST /rpc/:channel` with `{ "input": … }` and `Authorization: Bearer <token>`:
 *    the channel runs through the same wrapper as a console window's call, over the
 *    database session store; the answer is the wrapper's envelope. `session:signIn`
 *    adds the new token beside it (`{ ok, data, token }`): never in the contract's
 *    output, the logs or the audit log.
 *  - `POST /export/audit` with `{ "input": …, "fileName": … }`: `audit:export` through
 *    the same wrapper (token, session, role, input), answered as the CSV itself with
 *    completion trailers (shared/protocol.ts), for the team console's Export CSV.
 *  - `GET /events`: server-sent events (the contract's events) for the bearer's session.
 *  - `GET /healthz` (the process is up) and `GET /readyz` (the store answers and its
 *    migrations are current) for a load balancer.
 *
 * Logging: one line per call with the channel, status code and duration only. No
 * request line, no headers, no bodies, no addresses: nothing personal, no code, no token.
 * No Electron here.
 */
import rateLimit from '@fastify/rate-limit';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isChannel, type Channel, type EventName } from '../../shared/contract';
import { AppError, type Envelope, type ErrorCode } from '../../shared/errors';
import {
  CONTRACT_VERSION,
  CONTRACT_VERSION_HEADER,
  EXPORT_AUDIT_PATH,
  EXPORT_FILE_NAME_MAX,
  EXPORT_ROWS_TRAILER,
  EXPORT_SHA256_TRAILER,
  type ServerHealth,
} from '../../shared/protocol';
import { checkSchemaVersion } from '../db/store';
import { CHANGE_CHECK_INTERVAL_MS, startEventPush, type EventPush } from '../ipc/events';
import { handlers } from '../ipc/handlers';
import { SessionStore } from '../ipc/sessions';
import { callChannel, resolveSession, testChannelRefused, unauthenticated, type Caller, type WrapperOptions } from '../ipc/wrapper';
import type { ServiceDeps } from '../services/context';
import { DatabaseSessions } from './dbSessions';

export interface RateLimitOptions {
  /** Calls one client address may make per window. */
  max: number;
  windowMs: number;
}

/** The least time between two session checks started by calls (the interval's and `checkEvents`' always run). */
const SESSION_CHECK_MIN_MS = 1_000;

const SSE_HEARTBEAT_MS = 25_000;

/** Generous: a busy agent's console makes a few calls a second at most. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 600, windowMs: 60_000 };

export interface ServerOptions {
  /** The open store (the server opens it before it listens and closes it after). */
  deps: ServiceDeps;
  appVersion: string;
  /** Test-only channels exist (test build with GIFTDESK_TEST_HOOKS=1 only). */
  testHooks: boolean;
  tls?: { cert: string | Buffer; key: string | Buffer } | null;
  rateLimit?: RateLimitOptions;
  /** Where log lines go (default standard output). */
  logStream?: { write(line: string): unknown };
  logLevel?: string;
  /** How often events look for changes made elsewhere; null: only after calls and `checkEvents` (tests). */
  eventIntervalMs?: number | null;
}

export interface GiftdeskServer {
  app: FastifyInstance;
  sessions: DatabaseSessions;
  /** Listens; answers the base URL. */
  listen(options: { host: string; port: number }): Promise<string>;
  /** Stops accepting, finishes calls in flight, ends event streams. The store stays open (its owner closes it). */
  close(): Promise<void>;
  /** Runs the event checks now (session ends, credit changes) and waits for them. */
  checkEvents(): Promise<void>;
  /** Calls being answered right now. */
  inFlight(): number;
}

function envelopeError(code: ErrorCode, message: string, details?: Record<string, unknown>): Envelope<never> {
  return { ok: false, error: new AppError(code, message, details).toBody() };
}

/** The HTTP status that goes with an answer (the body always says the same in its envelope). */
export function statusFor(answer: Envelope<unknown>): number {
  if (answer.ok) return 200;
  switch (answer.error.code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'VALIDATION_FAILED':
      return 400;
    case 'NOT_FOUND':
      return 404;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'STORE_UNAVAILABLE':
      return 503;
    default:
      // Understood and refused by the domain (card not found, already redeemed…).
      return 422;
  }
}

/** The bearer token a request presents: '' for none, a key no token can match for a malformed header. */
export function bearerKey(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return '';
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  return match?.[1] ?? '!';
}

/** The name a console says it saves an export under: a plain file name (no folder, no control character), or null. */
export function exportFileName(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > EXPORT_FILE_NAME_MAX) return null;
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f\u007f]/.test(value) || value === '.' || value === '..') return null;
  return value;
}

export async function createServer(options: ServerOptions): Promise<GiftdeskServer> {
  const { deps } = options;
  const common = {
    logger: {
      level: options.logLevel ?? 'info',
      // No host name or process id on every line: the call's own fields only.
      base: null,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Belt and braces: nothing below logs a request, but if anything ever does, no credential.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'], censor: '[redacted]' },
      serializers: { req: (req: { method?: string }) => ({ method: req.method }) },
    },
    // No "incoming request" / "request completed" lines: they carry URLs, addresses and hosts.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  };
  const app = (options.tls ? fastify({ ...common, https: { cert: options.tls.cert, key: options.tls.key } }) : fastify(common)) as unknown as FastifyInstance;

  const sessions = new DatabaseSessions(() => deps);
  const eventIntervalMs = options.eventIntervalMs === undefined ? CHANGE_CHECK_INTERVAL_MS : options.eventIntervalMs;
  let inFlight = 0;
  let closing = false;

  // Event subscribers: one in-memory entry per open /events stream, holding a copy of its
  // database session (refreshed on every check), so the console's event machinery
  // (credit change watcher, session:ended on end) serves them unchanged.
  const subscribers = new SessionStore();
  const streams = new Map<number, { token: string; reply: FastifyReply }>();
  let nextStream = 1;

  let lastSessionCheck = 0;
  let forceSessionCheck = true;
  const wrapper: WrapperOptions = {
    handlers,
    sessions,
    deps: async () => deps,
    // HTTP has no sender frame: the transport's own checks are TLS and the bearer token.
    isTrustedSender: () => false,
    testHooks: () => options.testHooks,
    appVersion: options.appVersion,
    log: (channel, error) =>
      // The error's type only: a message may quote data.
      app.log.error({ channel, errorType: error instanceof Error ? error.name : typeof error }, 'internal error'),
    afterCall: (channel) => {
      // A moved clock (test hooks) may have put sessions past their idle lock: their
      // streams hear of it now, as a console's windows do, not at the next throttled check.
      // (A test build only: in a release build the name is not in the bundle at all.)
      if (__GIFTDESK_TEST_BUILD__ && channel === 'test:advanceClock') forceSessionCheck = true;
      events.afterCall(channel, '');
    },
  };

  const events: EventPush = startEventPush({
    sessions: subscribers,
    deps: () => deps,
    transport: (id, event, payload) => writeEvent(id, event, payload),
    log: (message, error) => app.log.warn({ errorType: error instanceof Error ? error.name : undefined }, `events: ${message}`),
    intervalMs: eventIntervalMs,
    // Sessions past their idle lock or lifetime are ended on record, then each stream's
    // session is read as the database says now, through the wrapper's own checks. It
    // costs queries per stream, so it runs at most once a second (the interval's and the
    // calls' checks), and always when asked (`checkEvents`).
    endSessions: async (current) => {
      if (!forceSessionCheck && Date.now() - lastSessionCheck < SESSION_CHECK_MIN_MS) return;
      forceSessionCheck = false;
      lastSessionCheck = Date.now();
      await sessions.sweep((message) => app.log.warn(`sessions: ${message}`));
      for (const [id] of subscribers.entries()) {
        const stream = streams.get(id);
        if (!stream) continue;
        const checked = await resolveSession(stream.token, wrapper, current);
        if (checked.session) subscribers.set(id, checked.session);
        else subscribers.end(id, checked.ended === null || checked.ended === 'invalid' ? 'signedOut' : checked.ended);
      }
    },
  });
  // After its session:ended, a stream is closed (registered after the push's own listener).
  subscribers.onEnd((id) => closeStream(id));
  // A comment line now and then keeps idle streams open through proxies and load balancers.
  const heartbeat = setInterval(() => {
    for (const stream of streams.values()) stream.reply.raw.write(': ping\n\n');
  }, SSE_HEARTBEAT_MS);
  heartbeat.unref();

  function writeEvent(id: number, event: EventName, payload: unknown): void {
    const stream = streams.get(id);
    if (!stream) return;
    stream.reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  }

  function closeStream(id: number): void {
    const stream = streams.get(id);
    streams.delete(id);
    subscribers.delete(id);
    if (stream && !stream.reply.raw.writableEnded) stream.reply.raw.end();
  }

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `Too many calls from this address; try again in ${context.after}.`,
    }),
  });

  // Every answer, errors included, is an envelope.
  app.setErrorHandler((error: { statusCode?: number; code?: string; message?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    let answer: Envelope<never>;
    if (status === 429) answer = envelopeError('RATE_LIMITED', error.message ?? 'Too many calls; try again shortly.');
    else if (status >= 400 && status < 500) answer = envelopeError('VALIDATION_FAILED', 'The request is not a Giftdesk call: send a JSON body {"input": …}.');
    else {
      request.log.error({ errorType: error.code ?? 'unknown' }, 'request failed');
      answer = envelopeError('INTERNAL', 'The server could not answer this request.');
    }
    void reply.code(status === 429 ? 429 : statusFor(answer)).send(answer);
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send(envelopeError('NOT_FOUND', 'There is nothing at this address.'));
  });

  app.addHook('onRequest', async () => {
    inFlight++;
  });
  app.addHook('onResponse', async (request, reply) => {
    inFlight--;
    const channel = (request.params as { channel?: string } | undefined)?.channel;
    // The channel only when it is one: whatever else a client put in the URL is not logged.
    request.log.info(
      {
        ...(channel !== undefined ? { channel: isChannel(channel) ? channel : '(unknown)' } : { route: request.routeOptions.url ?? '(none)' }),
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'call',
    );
  });

  /** A console of another contract version is refused before anything runs, in words (true when it was). */
  function versionRefused(request: FastifyRequest, reply: FastifyReply): boolean {
    const spoken = request.headers[CONTRACT_VERSION_HEADER];
    if (typeof spoken !== 'string' || spoken === String(CONTRACT_VERSION)) return false;
    void reply.code(409).send({
      ...envelopeError(
        'STORE_UNAVAILABLE',
        `This team server is Giftdesk ${options.appVersion} (contract ${CONTRACT_VERSION}); the console speaks contract ${spoken}. Install the console that matches the server.`,
        { reason: 'version', serverContract: CONTRACT_VERSION },
      ),
      contractVersion: CONTRACT_VERSION,
    });
    return true;
  }

  const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  app.post<{ Params: { channel: string }; Body: unknown }>(
    '/rpc/:channel',
    { config: { rateLimit: { max: limit.max, timeWindow: limit.windowMs } } },
    async (request, reply) => {
      const name = request.params.channel;
      // Test-only channels exist only in a test build with test hooks on, as in the console.
      if (!isChannel(name) || testChannelRefused(name, wrapper)) {
        return reply.code(404).send(envelopeError('NOT_FOUND', 'There is no such channel.'));
      }
      if (versionRefused(request, reply)) return reply;
      const body = request.body;
      if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
        return reply.code(400).send(envelopeError('VALIDATION_FAILED', 'The request body must be a JSON object {"input": …}.'));
      }
      const input = (body as { input?: unknown } | undefined)?.input ?? {};
      const caller: Caller = { key: bearerKey(request) };
      const answer = await callChannel(name as Channel, caller, input, wrapper);
      void reply.header('cache-control', 'no-store').code(statusFor(answer));
      // Only a call that opened a session (a sign-in, the first admin's creation) hands out a token, beside the envelope.
      return caller.credential !== undefined && answer.ok ? { ...answer, token: caller.credential } : answer;
    },
  );

  // audit:export as a download: the same wrapper call as /rpc/audit:export, its caller carrying
  // the response as the place to write. Headers go out with the first CSV byte; until then a
  // refusal is an ordinary envelope. The completion trailers (row count, SHA-256 of the bytes
  // sent) follow only once the handler has returned, i.e. after the export is on record; a
  // failure after the first byte breaks the response off without them.
  app.post<{ Body: unknown }>(EXPORT_AUDIT_PATH, { config: { rateLimit: { max: limit.max, timeWindow: limit.windowMs } } }, async (request, reply) => {
    if (versionRefused(request, reply)) return reply;
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return reply.code(400).send(envelopeError('VALIDATION_FAILED', 'The request body must be a JSON object {"input": …, "fileName": …}.'));
    }
    const { input, fileName: rawName } = body as { input?: unknown; fileName?: unknown };
    const fileName = exportFileName(rawName);
    if (fileName === null) {
      return reply
        .code(400)
        .send(envelopeError('VALIDATION_FAILED', `fileName must be the name of the file the export is saved as, without its folder (at most ${EXPORT_FILE_NAME_MAX} characters).`));
    }
    const raw = reply.raw;
    const digest = createHash('sha256');
    let started = false;
    let ended = false;
    raw.once('finish', () => (ended = true));
    raw.once('error', () => (ended = true));
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (!started) {
          started = true;
          reply.hijack();
          raw.writeHead(200, {
            'content-type': 'text/csv; charset=utf-8',
            'cache-control': 'no-store',
            trailer: `${EXPORT_ROWS_TRAILER}, ${EXPORT_SHA256_TRAILER}`,
            ...(closing ? { connection: 'close' } : {}),
          });
        }
        if (raw.destroyed) return callback(new Error('the console went away during the export'));
        digest.update(chunk);
        if (raw.write(chunk)) return callback();
        const onDrain = () => {
          raw.off('close', onClose);
          callback();
        };
        const onClose = () => {
          raw.off('drain', onDrain);
          callback(new Error('the console went away during the export'));
        };
        raw.once('drain', onDrain);
        raw.once('close', onClose);
      },
    });
    const caller: Caller = { key: bearerKey(request), download: { stream, fileName } };
    const answer = await callChannel('audit:export', caller, input ?? {}, wrapper);
    if (!started) {
      // Refused (or failed) before the first byte: an envelope like /rpc's. (A CSV always has its header line,
      // so an export that succeeded without writing a byte cannot be; it is not answered as one.)
      const refusal = answer.ok ? envelopeError('INTERNAL', 'The server could not answer this request.') : answer;
      void reply.header('cache-control', 'no-store').code(statusFor(refusal));
      return refusal;
    }
    if (answer.ok && !raw.destroyed) {
      const { rowCount } = answer.data as { rowCount: number };
      raw.addTrailers({ [EXPORT_ROWS_TRAILER]: String(rowCount), [EXPORT_SHA256_TRAILER]: digest.digest('hex') });
      raw.end();
    } else {
      raw.destroy();
      // Fastify counts a call done on 'finish' or 'error'; a response broken off has neither.
      if (!ended) inFlight--;
    }
    return reply;
  });

  app.get('/events', async (request, reply) => {
    const token = bearerKey(request);
    const checked = await resolveSession(token, wrapper, deps);
    if (!checked.session) return reply.code(401).send(unauthenticated(checked.ended));
    const id = nextStream++;
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    streams.set(id, { token, reply });
    subscribers.set(id, checked.session);
    request.raw.on('close', () => closeStream(id));
    inFlight--; // a stream is not a call in flight: shutdown ends it rather than waiting for it
    return reply;
  });

  // A console reads the versions here before it signs in (shared/protocol.ts).
  app.get('/healthz', async (): Promise<ServerHealth & { ok: true }> => ({
    ok: true,
    status: 'ok',
    contractVersion: CONTRACT_VERSION,
    version: options.appVersion,
  }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.db.raw('select 1');
      if ((await checkSchemaVersion(deps.db)) !== 'current') {
        return reply.code(503).send({ ok: false, reason: 'The store is not migrated to this version.' });
      }
      return { ok: true };
    } catch {
      return reply.code(503).send({ ok: false, reason: 'The store does not answer.' });
    }
  });

  // Shutdown: streams end first (they never finish on their own), then calls in flight
  // finish, each closing its connection so that no keep-alive socket holds the close up.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
  app.addHook('preClose', async () => {
    closing = true;
    // Deleting the current entry while iterating a Map is safe.
    for (const id of streams.keys()) closeStream(id);
  });
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    await events.stop();
  });

  return {
    app,
    sessions,
    async listen({ host, port }) {
      await app.listen({ host, port });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return `${options.tls ? 'https' : 'http'}://${shownHost}:${actualPort}`;
    },
    close: () => app.close(),
    async checkEvents() {
      forceSessionCheck = true;
      await events.check();
      await events.settled();
    },
    inFlight: () => inFlight,
  };
}
