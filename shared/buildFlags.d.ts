/**
 * Build-time constant, replaced by the bundler (electron.vite.config.ts `define`):
 * `true` in a test build (`npm run build`, vitest), `false` in a release build
 * (`npm run build:release`, `npm start`, packaging). Code guarded by it is removed
 * from a release bundle, names and all. Never read it at run time from anything else.
 */
declare const __GIFTDESK_TEST_BUILD__: boolean;
