/**
 * What `window.giftdesk` exposes: domain → verbs, from the contract. Pinned here so
 * that a new channel changes this list on purpose (checked by the IPC test against
 * buildApi and by the security spec against the real preload in the page).
 * This is the TEST build's surface; a release build has everything but `test`
 * (test/release/releaseBundle.test.ts).
 */
export const exposedSurface = {
  app: ['info'],
  session: ['changePassword', 'current', 'signIn', 'signOut'],
  setup: ['createAdmin', 'status'],
  users: ['create', 'list', 'resetPassword', 'unlock', 'update'],
  cards: ['balance', 'import', 'importCancel', 'lookup', 'redeem'],
  accounts: ['get', 'search'],
  recovery: ['resolve', 'unlock', 'verify'],
  credits: ['approve', 'cancel', 'limits', 'list', 'pendingCount', 'reject', 'request'],
  limits: ['get', 'set'],
  audit: ['export', 'list', 'verify'],
  dashboard: ['summary'],
  pii: ['reveal'],
  test: ['advanceClock'],
};
