/**
 * One racing process (bundled by raceBuild.ts, run by race.ts): opens its own store
 * connection, says READY, waits for GO on stdin so that every process fires at the
 * same moment, runs one operation and prints its outcome.
 */
import { createInterface } from 'node:readline';
import type { GiftdeskConfig } from '../../electron/config';
import { startRuntime } from '../../electron/runtime';
import { isAppError } from '../../shared/errors';
import { raceOps, type RaceOpName } from './raceOps';

interface Job {
  config: GiftdeskConfig;
  now: string;
  op: RaceOpName;
  args: unknown;
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (line) => {
      if (line.trim() === 'GO') {
        rl.close();
        resolve();
      }
    });
  });
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const now = new Date(job.now);
  const runtime = await startRuntime(job.config, { clock: { now: () => new Date(now) } });
  const op = raceOps[job.op] as (rt: typeof runtime, args: unknown) => Promise<unknown>;
  if (!op) throw new Error(`unknown race operation ${job.op}`);
  process.stdout.write('READY\n');
  await waitForGo();
  let outcome: unknown;
  try {
    outcome = { ok: true, value: await op(runtime, job.args) };
  } catch (error) {
    outcome = isAppError(error)
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: 'THROWN', message: error instanceof Error ? error.message : String(error) };
  }
  await runtime.close();
  process.stdout.write(`RESULT ${JSON.stringify(outcome)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`race worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
