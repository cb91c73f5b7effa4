/**
 * The supervisor dashboard: one `dashboard:summary` per period. The period is the last
 * N of the supervisor's own days (today included), counted in this computer's time zone;
 * the main process ends it at its own "now".
 */
import { queryOptions } from '@tanstack/react-query';
import { call } from '../api';
import { dashboardKeys } from './keys';

export const periodChoices = [7, 30, 90, 365] as const;
export type PeriodDays = (typeof periodChoices)[number];

/** Midnight at the start of the local day `days - 1` days before today, as an instant, and this computer's offset from UTC. */
export function periodStart(days: number, now = new Date()): { from: string; utcOffsetMinutes: number } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  return { from: start.toISOString(), utcOffsetMinutes: -now.getTimezoneOffset() };
}

export const dashboardQueries = {
  summary: (days: PeriodDays, period: { from: string; utcOffsetMinutes: number }) =>
    queryOptions({
      queryKey: dashboardKeys.summary({ days, ...period }),
      queryFn: () => call((api) => api.dashboard.summary(period)),
      // Counts move with every call anywhere: fresh on each opening, kept while the screen is open.
      gcTime: 0,
    }),
};
