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
    // while most tests wait on PostgreSQL, a child process or scrypt. With two at once the files'
    // summed time is ~1.9× the run's wall time.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
