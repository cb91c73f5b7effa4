/**
 * The supervisor dashboard (`dashboard:summary`): each chart's figures counted by the
 * database in ONE statement (grouped by day, reason, outcome or currency there, never
 * in JS over rows), so the whole summary is seven round trips whatever the store's
 * size. The period's timestamps bound every audit-log and credit statement, each
 * answered from an index (migrations/20261125130000_dashboard.ts); the liability reads
 * running totals the database keeps per marketplace (triggers in the same migration).
 *
 * Days are the supervisor's: `utcOffsetMinutes` shifts each instant before it is cut
 * into days, on both engines with the same arithmetic (day number = floor((epoch ms +
 * offset) / 86 400 000)). Nothing here is written: the dashboard shows counts, never
 * personal data, so it is not itself an audited read.
 */
import type { Knex } from 'knex';
import { creditReasons, type CreditReason } from '../../shared/credits';
import {
  DASHBOARD_DEFAULT_DAYS,
  DASHBOARD_MAX_DAYS,
  dayKeyOf,
  PERIOD_BACKWARDS,
  PERIOD_TOO_LONG,
  periodDays,
  type CreditOutcome,
  type DashboardSummary,
  type DayKey,
} from '../../shared/dashboard';
import { AppError } from '../../shared/errors';
import { isCurrency } from '../../shared/money';
import type { StoreKind } from '../db/dialect';
import { rowsOf } from '../db/transaction';
import { toDate, toInt } from '../db/values';
import type { Actor, ServiceDeps } from './context';

const DAY = 86_400_000;

export interface DashboardInput {
  from?: string | undefined;
  to?: string | undefined;
  utcOffsetMinutes?: number | undefined;
}

/** SQL for the engine: the local day number of a timestamp column, and a text field of the JSON details. */
function dialect(kind: StoreKind, offsetMs: number) {
  if (!Number.isSafeInteger(offsetMs)) throw new Error('offset must be a whole number of milliseconds');
  return kind === 'sqlite'
    ? {
        // SQLite keeps timestamps as epoch milliseconds.
        day: (column: string) => `CAST((${column} + ${offsetMs}) / ${DAY} AS INTEGER)`,
        json: (field: string) => `json_extract(details, '$.${field}')`,
      }
    : {
        day: (column: string) => `CAST(floor((extract(epoch FROM ${column}) * 1000 + ${offsetMs}) / ${DAY}) AS INTEGER)`,
        json: (field: string) => `(details::json ->> '${field}')`,
      };
}

interface Period {
  from: Date;
  to: Date;
  utcOffsetMinutes: number;
}

function refuse(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields: [{ path, message }] });
}

function periodOf(input: DashboardInput, now: Date): Period {
  const to = input.to ? new Date(input.to) : now;
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - DASHBOARD_DEFAULT_DAYS * DAY);
  if (Number.isNaN(from.getTime())) throw refuse('from', 'The start must be a date and time (ISO 8601).');
  if (Number.isNaN(to.getTime())) throw refuse('to', 'The end must be a date and time (ISO 8601).');
  if (to <= from) throw refuse('to', PERIOD_BACKWARDS);
  if (to.getTime() - from.getTime() > DASHBOARD_MAX_DAYS * DAY) throw refuse('from', PERIOD_TOO_LONG);
  return { from, to, utcOffsetMinutes: input.utcOffsetMinutes ?? 0 };
}

type Row = Record<string, unknown>;
const day = (value: unknown): DayKey => dayKeyOf(toInt(value));
const count = (value: unknown) => (value === null || value === undefined ? 0 : toInt(value));

/** One statement per chart; each answers grouped rows. */
export function dashboardStatements(kind: StoreKind, period: Period, now: Date) {
  const sql = dialect(kind, period.utcOffsetMinutes * 60_000);
  const { from, to } = period;
  const decidedAt = `CASE WHEN status = 'pending' THEN expires_at ELSE decided_at END`;
  return {
    // A pending request past its expiry is expired (the next write marks it so): counted on its expiry's day.
    credits: (db: Knex) =>
      db.raw(
        `SELECT day, reason, outcome, count(*) AS n FROM (
           SELECT reason, CASE WHEN status = 'pending' THEN 'expired' ELSE status END AS outcome, ${sql.day(decidedAt)} AS day
           FROM credit_requests
           WHERE (status IN ('approved', 'rejected', 'expired') AND decided_at >= ? AND decided_at < ?)
              OR (status = 'pending' AND expires_at >= ? AND expires_at < ? AND expires_at <= ?)
         ) d GROUP BY day, reason, outcome ORDER BY day, reason, outcome`,
        [from, to, from, to, now],
      ),
    queue: (db: Knex) =>
      db.raw(
        `SELECT currency, count(*) AS n, min(created_at) AS oldest FROM credit_requests
         WHERE status = 'pending' AND expires_at > ? GROUP BY currency ORDER BY currency`,
        [now],
      ),
    recovery: (db: Knex) =>
      db.raw(
        `SELECT day, outcome, count(*) AS n FROM (
           SELECT ${sql.day('at')} AS day, CASE WHEN action = 'recovery.unlocked' THEN 'unlocked' ELSE ${sql.json('outcome')} END AS outcome
           FROM audit_log WHERE action IN ('recovery.verify', 'recovery.unlocked') AND at >= ? AND at < ?
         ) r GROUP BY day, outcome ORDER BY day, outcome`,
        [from, to],
      ),
    refusals: (db: Knex) =>
      db.raw(
        `SELECT code, count(*) AS n FROM (
           SELECT COALESCE(${sql.json('code')}, 'UNKNOWN') AS code FROM audit_log
           WHERE action = 'card.redeem.refused' AND at >= ? AND at < ?
         ) r GROUP BY code ORDER BY n DESC, code`,
        [from, to],
      ),
    rateLimitTrips: (db: Knex) =>
      db.raw(
        `SELECT day, count(*) AS n, count(DISTINCT subject_id) AS accounts FROM (
           SELECT ${sql.day('at')} AS day, subject_id FROM audit_log
           WHERE action = 'card.redeem.refused' AND at >= ? AND at < ? AND ${sql.json('code')} = 'REDEMPTION_RATE_LIMITED'
         ) r GROUP BY day ORDER BY day`,
        [from, to],
      ),
    reveals: (db: Knex) =>
      db.raw(
        `SELECT actor, field, count(*) AS n FROM (
           SELECT COALESCE(actor, '') AS actor, COALESCE(${sql.json('field')}, 'unknown') AS field FROM audit_log
           WHERE action = 'pii.revealed' AND at >= ? AND at < ?
         ) r GROUP BY actor, field ORDER BY actor, field`,
        [from, to],
      ),
    // Kept by triggers on cards and accounts (migrations/20261125130000_dashboard.ts): six rows, not a million.
    liability: (db: Knex) =>
      db.raw(
        `SELECT m.currency AS currency, sum(l.active_cards) AS active_cards, sum(l.active_minor) AS active_minor,
                sum(l.accounts_with_balance) AS accounts, sum(l.balances_minor) AS balances_minor
         FROM liability_totals l JOIN marketplaces m ON m.code = l.marketplace GROUP BY m.currency ORDER BY m.currency`,
      ),
  };
}

export type DashboardChart = keyof ReturnType<typeof dashboardStatements>;

export async function dashboardSummary(deps: ServiceDeps, _actor: Actor, input: DashboardInput): Promise<DashboardSummary> {
  const now = deps.clock.now();
  const period = periodOf(input, now);
  const statements = dashboardStatements(deps.kind, period, now);
  const run = async (chart: DashboardChart): Promise<Row[]> => rowsOf(await statements[chart](deps.db)) as Row[];
  const [credits, queue, recovery, refusals, rateLimitTrips, reveals, liability] = await Promise.all([
    run('credits'),
    run('queue'),
    run('recovery'),
    run('refusals'),
    run('rateLimitTrips'),
    run('reveals'),
    run('liability'),
  ]);

  const recoveryByDay = new Map<DayKey, DashboardSummary['recovery'][number]>();
  for (const row of recovery) {
    const key = day(row['day']);
    const entry = recoveryByDay.get(key) ?? { day: key, verified: 0, failed: 0, locked: 0, unlocked: 0 };
    const outcome = row['outcome'];
    if (outcome === 'verified' || outcome === 'failed' || outcome === 'locked' || outcome === 'unlocked') entry[outcome] += count(row['n']);
    recoveryByDay.set(key, entry);
  }

  return {
    period: {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      utcOffsetMinutes: period.utcOffsetMinutes,
      days: periodDays(period.from, period.to, period.utcOffsetMinutes),
      at: now.toISOString(),
    },
    credits: credits.flatMap((row) =>
      (creditReasons as readonly string[]).includes(String(row['reason']))
        ? [{ day: day(row['day']), reason: row['reason'] as CreditReason, outcome: row['outcome'] as CreditOutcome, count: count(row['n']) }]
        : [],
    ),
    queue: queue.flatMap((row) => {
      const currency = String(row['currency']);
      if (!isCurrency(currency)) return [];
      const oldest = toDate(row['oldest']);
      return [{ currency, waiting: count(row['n']), oldestCreatedAt: oldest.toISOString(), oldestAgeMs: Math.max(0, now.getTime() - oldest.getTime()) }];
    }),
    recovery: [...recoveryByDay.values()],
    refusals: refusals.map((row) => ({ code: String(row['code']), count: count(row['n']) })),
    rateLimitTrips: rateLimitTrips.map((row) => ({ day: day(row['day']), count: count(row['n']), accounts: count(row['accounts']) })),
    reveals: reveals.map((row) => ({ actor: String(row['actor']), field: String(row['field']), count: count(row['n']) })),
    liability: liability.flatMap((row) => {
      const currency = String(row['currency']);
      const entry = {
        activeCardsMinor: count(row['active_minor']),
        activeCards: count(row['active_cards']),
        balancesMinor: count(row['balances_minor']),
        accounts: count(row['accounts']),
      };
      const totalMinor = entry.activeCardsMinor + entry.balancesMinor;
      if (!isCurrency(currency) || (entry.activeCards === 0 && entry.accounts === 0 && totalMinor === 0)) return [];
      return [{ currency, ...entry, totalMinor }];
    }),
  };
}
