import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Unit and service tests run the test build's code (with the test-only channels).
  define: { __GIFTDESK_TEST_BUILD__: 'true' },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/services/**/*.test.ts', 'test/ipc/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/server/**/*.test.ts', 'test/release/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
