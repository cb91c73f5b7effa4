/**
 * Query-key factories, one per domain, in one file so every screen invalidates the
 * same keys: a mutation says which of these it makes stale. Each domain's query
 * options and mutations live beside it (`data/<domain>.ts`).
 */
/** What the main process says at start-up: app info and this window's session. */
export const appKeys = {
  boot: () => ['app', 'boot'] as const,
};

export const cardKeys = {
  all: ['cards'] as const,
  lookup: (serial: string) => ['cards', 'lookup', serial] as const,
  balance: (serial: string) => ['cards', 'balance', serial] as const,
};

export const accountKeys = {
  all: ['accounts'] as const,
  search: (query: string) => ['accounts', 'search', query] as const,
  /** The account and its ledger pages (an infinite query). */
  detail: (accountId: string) => ['accounts', 'detail', accountId] as const,
  /** The account with its latest 100 ledger entries, as a credit decision sees it; under `detail`, so stale with it. */
  recent: (accountId: string) => ['accounts', 'detail', accountId, 'recent'] as const,
};

export const creditKeys = {
  all: ['credits'] as const,
  pendingCount: () => ['credits', 'pendingCount'] as const,
  limits: () => ['credits', 'limits'] as const,
  list: (filter: Record<string, unknown>) => ['credits', 'list', filter] as const,
};

/** Everything the Limits screen shows; a change there also makes `creditKeys.limits()` stale. */
export const limitKeys = {
  all: ['limits'] as const,
};

export const recoveryKeys = {
  all: ['recovery'] as const,
};

export const auditKeys = {
  all: ['audit'] as const,
  list: (filter: Record<string, unknown>) => ['audit', 'list', filter] as const,
  ticket: (ticketId: string) => ['audit', 'ticket', ticketId] as const,
  /** The Audit screen's filter, tab and ticket (kept across navigation, not fetched). */
  screen: () => ['audit', 'screen'] as const,
};

export const userKeys = {
  all: ['users'] as const,
  list: () => ['users', 'list'] as const,
};

/** The supervisor dashboard, per period and time zone; every write changes it, so it is asked again on opening. */
export const dashboardKeys = {
  all: ['dashboard'] as const,
  summary: (period: { days: number; from: string; utcOffsetMinutes: number }) => ['dashboard', 'summary', period] as const,
};
