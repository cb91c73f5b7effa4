import { defineConfig } from 'vitest/config';

// The bench's PostgreSQL server keeps its default durability (fsync, synchronous commit),
// as a team server would; the test suites' server turns it off for speed.
process.env['GIFTDESK_TEST_PG_DURABLE'] ??= '1';

/** `npm run bench`: figures, not tests; one file at a time so engines do not compete. */
export default defineConfig({
  // The bench measures the release build's code path (no test-only channels).
  define: { __GIFTDESK_TEST_BUILD__: 'false' },
  test: {
    include: ['test/bench/**/*.bench.ts'],
    environment: 'node',
    pool: 'forks',
    globalSetup: ['test/support/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 3 * 3_600_000,
    hookTimeout: 3 * 3_600_000,
  },
});
