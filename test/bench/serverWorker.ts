/**
 * One `giftdesk serve` process for the team bench (bundled by serverBuild.ts, forked by
 * team.bench.ts): the real `serve()` with the team configuration from the environment
 * (GIFTDESK_DATABASE_URL, GIFTDESK_SECRET_KEY, GIFTDESK_DATA_DIR,
 * GIFTDESK_HEAD_LOCK_STATS=1), on 127.0.0.1 and the port given as argv[2]. Over the
 * fork's IPC channel it answers `stats` and `reset` (the head-lock counters of this
 * process) and stops gracefully on `stop`.
 */
import { headLockStats, resetHeadLockStats } from '../../electron/db/transaction';
import { serve } from '../../electron/server/serve';

let stop!: () => void;
const stopSignal = new Promise<void>((resolve) => (stop = resolve));

process.on('message', (message) => {
  if (message === 'stats') process.send!({ stats: headLockStats() });
  else if (message === 'reset') {
    resetHeadLockStats();
    process.send!({ reset: true });
  } else if (message === 'stop') stop();
});

serve(
  // The bench's consoles all come from 127.0.0.1: no per-address rate limit here.
  { listen: { host: '127.0.0.1', port: Number(process.argv[2]) }, rateLimit: 1_000_000_000 },
  { stdout: process.stdout, stderr: process.stderr, env: process.env, stopSignal },
  'bench',
).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench server failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
