import { defineConfig } from 'vitest/config';

/** `npm run bench`: figures, not tests; one file at a time so engines do not compete. */
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.ts'],
    environment: 'node',
    pool: 'forks',
    globalSetup: ['test/support/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
