import { createHash } from 'node:crypto';
import path from 'node:path';
import { build } from 'vite';

const root = path.resolve(__dirname, '../..');

/**
 * Bundles test/bench/serverWorker.ts (the real `serve()` and everything it runs) into
 * one CommonJS file that plain Node runs, as a release build would (no test-only
 * channels), under node_modules/.cache in a folder named for this checkout (see
 * test/support/raceBuild.ts for why).
 */
export async function buildBenchServer(): Promise<string> {
  const checkout = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const outDir = path.join(root, 'node_modules', '.cache', `giftdesk-bench-server-${checkout}`);
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    define: { __GIFTDESK_TEST_BUILD__: 'false' },
    build: {
      ssr: path.join(root, 'test/bench/serverWorker.ts'),
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rollupOptions: { output: { format: 'cjs', entryFileNames: 'serverWorker.cjs' } },
    },
  });
  return path.join(outDir, 'serverWorker.cjs');
}
