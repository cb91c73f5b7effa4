/**
 * `giftdesk serve`: the team server process. It opens the store with the same
 * configuration as every other Giftdesk process (GIFTDESK_DATABASE_URL /
 * GIFTDESK_SECRET_KEY or the data directory's giftdesk.config.json), so the database
 * URL and the claim-code key live only where the server runs, then listens until
 * SIGTERM or SIGINT and shuts down gracefully (stop accepting, finish calls in flight,
 * close the store). No Electron here.
 */
import { readFile } from 'node:fs/promises';
import { defaultUserDataDir, resolveConfig } from '../config';
import { startRuntime } from '../runtime';
import { OffsetClock } from '../services/context';
import { createServer, DEFAULT_RATE_LIMIT } from './app';

export interface ListenAddress {
  host: string;
  port: number;
}

export const DEFAULT_LISTEN = '127.0.0.1:8443';

/** `host:port`, `[::1]:port`; null when it is neither. */
export function parseListen(text: string): ListenAddress | null {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return null;
  const port = Number(match[3]);
  if (port > 65_535) return null;
  return { host: (match[1] ?? match[2])!, port };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase());
}

export const PLAIN_HTTP_REFUSED = (host: string) =>
  `refusing to serve plain HTTP on ${host}: without TLS the server listens only on a loopback address (127.0.0.1, ::1, localhost). ` +
  'Give the certificate and key with --tls-cert and --tls-key (PEM files), or listen on 127.0.0.1 for a trial.';

export interface ServeOptions {
  listen: ListenAddress;
  tlsCert?: string;
  tlsKey?: string;
  /** Calls per minute from one client address. */
  rateLimit?: number;
}

export interface ServeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<unknown>;
}

/** The serve command's problem in words (exit 1). */
export class ServeError extends Error {}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolve(signal);
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
  });
}

/** Runs the server until asked to stop; answers the exit code. */
export async function serve(options: ServeOptions, io: ServeIo, appVersion: string): Promise<number> {
  const tls = options.tlsCert !== undefined && options.tlsKey !== undefined;
  // Checked before anything opens: no store, no port, for a refused address.
  if (!tls && !isLoopback(options.listen.host)) throw new ServeError(PLAIN_HTTP_REFUSED(options.listen.host));
  const pem = tls
    ? {
        cert: await readFile(options.tlsCert!).catch(() => {
          throw new ServeError(`cannot read the TLS certificate ${options.tlsCert}.`);
        }),
        key: await readFile(options.tlsKey!).catch(() => {
          throw new ServeError(`cannot read the TLS key ${options.tlsKey}.`);
        }),
      }
    : null;

  const config = await resolveConfig(io.env, { dataDir: defaultUserDataDir(io.env) });
  config.demo = false; // a server never seeds the demo dataset
  const runtime = await startRuntime(config, { clock: new OffsetClock() });
  try {
    const server = await createServer({
      deps: runtime,
      appVersion,
      testHooks: config.testHooks,
      tls: pem,
      rateLimit: { max: options.rateLimit ?? DEFAULT_RATE_LIMIT.max, windowMs: 60_000 },
      logStream: io.stdout,
    });
    let stopSignal: Promise<unknown>;
    try {
      const url = await server.listen(options.listen);
      // From here on a signal stops the server gracefully (before, it simply ends the process).
      stopSignal = io.stopSignal ?? untilSignal();
      io.stderr.write(`giftdesk: serving ${runtime.kind === 'postgres' ? 'the team database' : 'the SQLite store'} on ${url}\n`);
    } catch (error) {
      await server.close();
      throw new ServeError(`cannot listen on ${options.listen.host}:${options.listen.port}: ${(error as Error).message}`);
    }
    await stopSignal;
    io.stderr.write('giftdesk: stopping: finishing calls in flight…\n');
    await server.close();
    return 0;
  } finally {
    await runtime.close();
  }
}
