/**
 * A real team server for the `team` project: `giftdesk serve` from the built CLI, as its
 * own process, on a test database, over TLS with the run's test certificate. Consoles
 * are then configured with its URL and CA only (no database URL, no key).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './launch';

export interface TeamServerOptions {
  /** GIFTDESK_DATABASE_URL, GIFTDESK_SECRET_KEY, GIFTDESK_TEST_HOOKS … (the server's own configuration). */
  env: Record<string, string>;
  /** A directory of the server's own (its data directory). */
  dataDir: string;
  tls: { certFile: string; keyFile: string };
  /** Listen on this port (a restart keeps its URL); default: any free port. */
  port?: number;
}

export interface TeamServer {
  readonly url: string;
  readonly port: number;
  /** SIGTERM: the server finishes calls in flight and exits. */
  stop(): Promise<void>;
  /** SIGKILL: the server is gone at once, mid-call if need be. */
  kill(): Promise<void>;
  output(): string;
}

const CLI = path.join(ROOT, 'bin/giftdesk.js');

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startTeamServer(options: TeamServerOptions): Promise<TeamServer> {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--listen', `127.0.0.1:${options.port ?? 0}`, '--tls-cert', options.tls.certFile, '--tls-key', options.tls.keyFile],
    {
      cwd: ROOT,
      env: { ...process.env, ...options.env, GIFTDESK_DATA_DIR: options.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the team server did not start in time:\n${output}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const serving = /giftdesk: serving .* on (https:\/\/\S+)/.exec(output);
      if (serving) {
        clearTimeout(timer);
        resolve(serving[1]!.replace(/\/$/, ''));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the team server exited with code ${code}:\n${output}`));
    });
  });
  const port = Number(new URL(url).port);
  return {
    // The certificate names localhost and 127.0.0.1; consoles use the address it listens on.
    url,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // Graceful shutdown finishes calls in flight; a server that hangs is a finding, not a stuck run.
      const timer = setTimeout(() => {
        output += '\n[test] the server did not stop within 10 s of SIGTERM; killed\n';
        child.kill('SIGKILL');
      }, 10_000);
      await exited(child);
      clearTimeout(timer);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    output: () => output,
  };
}

/** The built `giftdesk` CLI run to its end with `env` (the server's configuration); exit code and output. */
export function runServerCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}
