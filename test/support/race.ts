/**
 * The multi-process race helper: N Node processes, each with its own connection pool
 * against the same store, fire the same operation at the same moment and report
 * their outcomes (in process order).
 *
 *   const outcomes = await race(store, 10, 'signIn', { username: 'ava', password: 'wrong' });
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { inject } from 'vitest';
import type { RaceArgs, RaceOpName } from './raceOps';
import type { TestStore } from './store';

export type RaceOutcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

interface Racer {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  result: Promise<RaceOutcome>;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function startRacer(worker: string, job: unknown): Racer {
  const child = spawn(process.execPath, [worker, JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const ready = deferred();
  const result = new Promise<RaceOutcome>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('READY\n')) ready.resolve();
      const match = /RESULT (.*)\n/.exec(stdout);
      if (match) resolve(JSON.parse(match[1]!) as RaceOutcome);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      if (!/RESULT /.test(stdout)) reject(new Error(`racing process exited with ${code}:\n${stderr}${stdout}`));
    });
  });
  return { child, ready: Promise.race([ready.promise, result.then(() => undefined)]), result };
}

/**
 * The time a test that races processes gets: each racer is a Node process that loads the
 * store and (for sign-ins) runs scrypt, so on a loaded 2-core machine ten of them take
 * far longer than one test's default. A limit for a hung race, not a speed requirement.
 */
export const RACE_TIMEOUT_MS = 120_000;

export async function race<K extends RaceOpName>(
  store: TestStore,
  processes: number,
  op: K,
  args: RaceArgs<K> | ((index: number) => RaceArgs<K>),
): Promise<RaceOutcome[]> {
  const worker = inject('raceWorker');
  const racers = Array.from({ length: processes }, (_, i) =>
    startRacer(worker, {
      config: store.config,
      now: store.clock.now().toISOString(),
      op,
      args: typeof args === 'function' ? (args as (index: number) => RaceArgs<K>)(i) : args,
    }),
  );
  try {
    await Promise.all(racers.map((r) => r.ready));
    for (const r of racers) r.child.stdin.write('GO\n');
    return await Promise.all(racers.map((r) => r.result));
  } finally {
    for (const r of racers) if (r.child.exitCode === null) r.child.stdin.end();
  }
}
