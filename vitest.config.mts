import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/services/**/*.test.ts', 'test/ipc/**/*.test.ts', 'test/cli/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
