import { createHash } from 'node:crypto';
import path from 'node:path';
import { build } from 'vite';

const root = path.resolve(__dirname, '../..');

/**
 * Bundles test/support/raceWorker.ts (and the real services it imports) into one
 * CommonJS file that plain Node runs, so each racing process is a real separate
 * process with its own connection pool. It lives under node_modules/.cache so that
 * knex, pg and sqlite3 resolve from the project, in a folder named for this checkout:
 * git worktrees that share one node_modules must not run each other's services.
 */
export async function buildRaceWorker(): Promise<string> {
  const checkout = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const outDir = path.join(root, 'node_modules', '.cache', `giftdesk-race-${checkout}`);
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    define: { __GIFTDESK_TEST_BUILD__: 'true' },
    build: {
      ssr: path.join(root, 'test/support/raceWorker.ts'),
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rollupOptions: { output: { format: 'cjs', entryFileNames: 'raceWorker.cjs' } },
    },
  });
  return path.join(outDir, 'raceWorker.cjs');
}
