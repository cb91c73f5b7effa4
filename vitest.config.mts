import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Unit and service tests run the test build's code (with the test-only channels).
  define: { __GIFTDESK_TEST_BUILD__: 'true' },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/services/**/*.test.ts', 'test/ipc/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/server/**/*.test.ts', 'test/release/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    // Vitest's default is one fewer than the cores: one file at a time on this 2-core machine,
    // while most tests wait on PostgreSQL, a child process or scrypt. Two files at once took the
    // suite from ~9 to ~6 minutes here.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
