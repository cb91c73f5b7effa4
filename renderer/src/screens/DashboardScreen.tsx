// The charts' styles and code ship with the screens that draw a chart (lazy-loaded).
import '@mantine/charts/styles.css';
import { BarChart, DonutChart } from '@mantine/charts';
import { Alert, Button, Group, Loader, Paper, SegmentedControl, SimpleGrid, Stack, Switch, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { creditReasonLabels, creditReasons } from '../../../shared/credits';
import { creditOutcomes, type DashboardSummary, type DayKey } from '../../../shared/dashboard';
import { errorMessage } from '../api';
import { ScreenHeader } from '../components/ScreenHeader';
import { dashboardQueries, periodChoices, periodStart, type PeriodDays } from '../data/dashboard';
import { formatDateTime, money } from '../format';

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
/** A local day (`YYYY-MM-DD`, already in the supervisor's time) as "Nov 22". */
const formatDay = (day: DayKey) => dayFormat.format(new Date(`${day}T00:00:00Z`));
const count = new Intl.NumberFormat();

const outcomeLabels = { approved: 'Approved', rejected: 'Rejected', expired: 'Expired' } as const;
const outcomeColors = { approved: 'teal.7', rejected: 'red.7', expired: 'gray.6' } as const;
const reasonColors = ['indigo.6', 'orange.6', 'teal.6', 'grape.6', 'gray.6'] as const;
const reasonLabel = (reason: keyof typeof creditReasonLabels) => (reason === 'OTHER' ? 'Other' : creditReasonLabels[reason]);

const refusalLabels: Record<string, string> = {
  CLAIM_CODE_NOT_FOUND: 'Unknown code',
  CARD_ALREADY_REDEEMED: 'Already redeemed',
  CARD_VOID: 'Cancelled card',
  MARKETPLACE_MISMATCH: 'Wrong marketplace',
  REDEMPTION_RATE_LIMITED: 'Rate limit reached',
  ACCOUNT_NOT_FOUND: 'Unknown account',
  CARD_BLOCKED: 'Blocked card',
};
const refusalLabel = (code: string) => refusalLabels[code] ?? code;

const fieldLabels: Record<string, string> = {
  purchaserName: 'Purchaser name',
  recipientName: 'Recipient name',
  deliveryEmail: 'Delivery e-mail',
  shippingAddress: 'Shipping address',
  accountEmail: 'Account e-mail',
  accountName: 'Account name',
};
const fieldLabel = (field: string) => fieldLabels[field] ?? field;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "2 days 3 hours", "5 hours 10 minutes", "12 minutes". */
export function formatWait(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? `${plural(days, 'day')} ${plural(hours, 'hour')}` : plural(days, 'day');
  if (hours > 0) return `${plural(hours, 'hour')} ${plural(minutes % 60, 'minute')}`;
  return minutes === 0 ? 'less than a minute' : plural(minutes, 'minute');
}

function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * One chart with its numbers: the chart (numbers on hover), and the same numbers as a
 * table — visible when the supervisor asks for tables, otherwise kept for screen readers.
 */
function ChartCard({ title, empty, chart, table, asTables }: { title: string; empty: string | null; chart: ReactNode; table: ReactNode; asTables: boolean }) {
  const headingId = useId();
  return (
    <Paper withBorder radius="lg" p="md" component="section" aria-labelledby={headingId}>
      <Title order={2} fz="md" mb="sm" id={headingId}>
        {title}
      </Title>
      {empty ? (
        <Text c="dimmed" size="sm">
          {empty}
        </Text>
      ) : asTables ? (
        table
      ) : (
        <>
          {chart}
          <VisuallyHidden>{table}</VisuallyHidden>
        </>
      )}
    </Paper>
  );
}

function NumbersTable({ label, head, rows }: { label: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <Table aria-label={label} fz="sm" striped>
      <Table.Thead>
        <Table.Tr>
          {head.map((cell) => (
            <Table.Th key={cell}>{cell}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, index) => (
          <Table.Tr key={index}>
            {row.map((cell, column) => (
              <Table.Td key={column} ta={typeof cell === 'number' ? 'right' : undefined}>
                {typeof cell === 'number' ? count.format(cell) : cell}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

// Counts: whole-number ticks only, and no bar wider than a hand.
const chartProps = { h: 220, tickLine: 'y', gridAxis: 'y', withLegend: true, role: 'img', maxBarWidth: 56, yAxisProps: { allowDecimals: false } } as const;

function CreditsCard({ summary, asTables, period }: { summary: DashboardSummary; asTables: boolean; period: string }) {
  const perDay = summary.period.days.map((day) => {
    const point: Record<string, string | number> = { day: formatDay(day) };
    for (const reason of creditReasons) point[reason] = 0;
    for (const row of summary.credits) if (row.day === day) point[row.reason] = Number(point[row.reason]) + row.count;
    return point;
  });
  const byReason = creditReasons.map((reason) => {
    const point: Record<string, string | number> = { reason: reasonLabel(reason) };
    for (const outcome of creditOutcomes) point[outcome] = summary.credits.filter((row) => row.reason === reason && row.outcome === outcome).reduce((sum, row) => sum + row.count, 0);
    return point;
  });
  return (
    <ChartCard
      title="Manual credits decided"
      empty={summary.credits.length === 0 ? `No manual credit was approved, rejected or expired in ${period}.` : null}
      asTables={asTables}
      chart={
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <BarChart
            {...chartProps}
            aria-label="Manual credits decided per day, by reason"
            data={perDay}
            dataKey="day"
            type="stacked"
            series={creditReasons.map((reason, index) => ({ name: reason, label: reasonLabel(reason), color: reasonColors[index]! }))}
          />
          <BarChart
            {...chartProps}
            aria-label="Manual credits by reason: approved, rejected, expired"
            data={byReason}
            dataKey="reason"
            type="stacked"
            series={creditOutcomes.map((outcome) => ({ name: outcome, label: outcomeLabels[outcome], color: outcomeColors[outcome] }))}
          />
        </SimpleGrid>
      }
      table={
        <NumbersTable
          label="Manual credits decided per day"
          head={['Day', 'Reason', 'Outcome', 'Requests']}
          rows={summary.credits.map((row) => [formatDay(row.day), reasonLabel(row.reason), outcomeLabels[row.outcome], row.count])}
        />
      }
    />
  );
}

function QueueCard({ summary, asTables }: { summary: DashboardSummary; asTables: boolean }) {
  return (
    <ChartCard
      title="Approval queue now"
      empty={summary.queue.length === 0 ? 'No credit request is waiting for a supervisor.' : null}
      asTables={asTables}
      chart={
        <Stack gap="xs">
          <BarChart
            {...chartProps}
            withLegend={false}
            aria-label="Credit requests waiting, per currency"
            data={summary.queue.map((row) => ({ currency: row.currency, waiting: row.waiting }))}
            dataKey="currency"
            series={[{ name: 'waiting', label: 'Waiting', color: 'indigo.6' }]}
          />
          {summary.queue.map((row) => (
            <Text size="sm" key={row.currency}>
              {row.currency}: {count.format(row.waiting)} waiting, the oldest for {formatWait(row.oldestAgeMs)}.
            </Text>
          ))}
        </Stack>
      }
      table={
        <NumbersTable
          label="Credit requests waiting"
          head={['Currency', 'Waiting', 'Oldest waiting for', 'Oldest requested']}
          rows={summary.queue.map((row) => [row.currency, row.waiting, formatWait(row.oldestAgeMs), formatDateTime(row.oldestCreatedAt)])}
        />
      }
    />
  );
}

function RecoveryCard({ summary, asTables, period }: { summary: DashboardSummary; asTables: boolean; period: string }) {
  const data = summary.period.days.map((day) => {
    const row = summary.recovery.find((entry) => entry.day === day);
    return { day: formatDay(day), verified: row?.verified ?? 0, failed: row?.failed ?? 0, locked: row?.locked ?? 0, unlocked: row?.unlocked ?? 0 };
  });
  return (
    <ChartCard
      title="Recovery checks"
      empty={summary.recovery.length === 0 ? `No recovery check or unlock in ${period}.` : null}
      asTables={asTables}
      chart={
        <BarChart
          {...chartProps}
          aria-label="Recovery checks per day: verified, failed, locked, and unlocks"
          data={data}
          dataKey="day"
          series={[
            { name: 'verified', label: 'Verified', color: 'teal.7', stackId: 'checks' },
            { name: 'failed', label: 'Failed', color: 'orange.6', stackId: 'checks' },
            { name: 'locked', label: 'Locked', color: 'red.7', stackId: 'checks' },
            { name: 'unlocked', label: 'Unlocks', color: 'indigo.6', stackId: 'unlocks' },
          ]}
        />
      }
      table={
        <NumbersTable
          label="Recovery checks per day"
          head={['Day', 'Verified', 'Failed', 'Locked', 'Unlocks']}
          rows={summary.recovery.map((row) => [formatDay(row.day), row.verified, row.failed, row.locked, row.unlocked])}
        />
      }
    />
  );
}

function RefusalsCard({ summary, asTables, period }: { summary: DashboardSummary; asTables: boolean; period: string }) {
  const trips = summary.rateLimitTrips.reduce((sum, row) => sum + row.count, 0);
  return (
    <ChartCard
      title="Refused redemptions"
      empty={summary.refusals.length === 0 ? `No redemption was refused in ${period}.` : null}
      asTables={asTables}
      chart={
        <Stack gap="xs">
          <BarChart
            {...chartProps}
            withLegend={false}
            aria-label="Refused redemptions by reason"
            data={summary.refusals.map((row) => ({ reason: refusalLabel(row.code), refused: row.count }))}
            dataKey="reason"
            orientation="vertical"
            yAxisProps={{ width: 130 }}
            xAxisProps={{ allowDecimals: false }}
            series={[{ name: 'refused', label: 'Refused', color: 'red.7' }]}
          />
          <Text size="sm">
            {trips === 0
              ? 'No account reached the failed-redemption limit.'
              : `Rate limit reached ${count.format(trips)} ${trips === 1 ? 'time' : 'times'}, on ${summary.rateLimitTrips.map((row) => `${formatDay(row.day)} (${count.format(row.count)}, ${row.accounts} ${row.accounts === 1 ? 'account' : 'accounts'})`).join(', ')}.`}
          </Text>
        </Stack>
      }
      table={
        <Stack gap="xs">
          <NumbersTable label="Refused redemptions by reason" head={['Reason', 'Code', 'Refused']} rows={summary.refusals.map((row) => [refusalLabel(row.code), row.code, row.count])} />
          <NumbersTable
            label="Rate-limit trips per day"
            head={['Day', 'Refused at the limit', 'Accounts']}
            rows={summary.rateLimitTrips.map((row) => [formatDay(row.day), row.count, row.accounts])}
          />
        </Stack>
      }
    />
  );
}

function RevealsCard({ summary, asTables, period }: { summary: DashboardSummary; asTables: boolean; period: string }) {
  const fields = [...new Set(summary.reveals.map((row) => row.field))];
  const actors = [...new Set(summary.reveals.map((row) => row.actor))];
  const colors = ['grape.6', 'indigo.6', 'teal.6', 'orange.6', 'cyan.7', 'pink.6'];
  const data = actors.map((actor) => {
    const point: Record<string, string | number> = { user: actor || 'system' };
    for (const field of fields) point[field] = summary.reveals.find((row) => row.actor === actor && row.field === field)?.count ?? 0;
    return point;
  });
  return (
    <ChartCard
      title="Personal data revealed"
      empty={summary.reveals.length === 0 ? `Nobody revealed personal data in ${period}.` : null}
      asTables={asTables}
      chart={
        <BarChart
          {...chartProps}
          aria-label="Personal-data reveals per user, by field"
          data={data}
          dataKey="user"
          type="stacked"
          series={fields.map((field, index) => ({ name: field, label: fieldLabel(field), color: colors[index % colors.length]! }))}
        />
      }
      table={
        <NumbersTable
          label="Personal-data reveals per user"
          head={['User', 'Field', 'Reveals']}
          rows={summary.reveals.map((row) => [row.actor || 'system', fieldLabel(row.field), row.count])}
        />
      }
    />
  );
}

function LiabilityCard({ summary, asTables }: { summary: DashboardSummary; asTables: boolean }) {
  return (
    <ChartCard
      title="Outstanding liability now"
      empty={summary.liability.length === 0 ? 'Nothing is owed: no active card and no customer balance.' : null}
      asTables={asTables}
      chart={
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
          {summary.liability.map((row) => (
            <Stack key={row.currency} gap={4} align="center">
              <DonutChart
                size={110}
                thickness={18}
                role="img"
                aria-label={`${row.currency}: ${money(row.totalMinor, row.currency)} owed`}
                valueFormatter={(value) => money(value, row.currency)}
                data={[
                  { name: 'Active cards', value: row.activeCardsMinor, color: 'indigo.6' },
                  { name: 'Customer balances', value: row.balancesMinor, color: 'teal.6' },
                ]}
              />
              <Text fw={600} size="sm">
                {money(row.totalMinor, row.currency)}
              </Text>
              <Text size="xs" c="dimmed">
                {row.currency}
              </Text>
            </Stack>
          ))}
        </SimpleGrid>
      }
      table={
        <NumbersTable
          label="Outstanding liability per currency"
          head={['Currency', 'Active cards', 'Their value', 'Accounts with a balance', 'Balances', 'Owed in all']}
          rows={summary.liability.map((row) => [
            row.currency,
            row.activeCards,
            money(row.activeCardsMinor, row.currency),
            row.accounts,
            money(row.balancesMinor, row.currency),
            money(row.totalMinor, row.currency),
          ])}
        />
      }
    />
  );
}

/** How the desk and the money are doing, over the last 7, 30, 90 or 365 days. */
export function DashboardScreen() {
  const [days, setDays] = useState<PeriodDays>(30);
  const [period, setPeriod] = useState(() => periodStart(30));
  const [asTables, setAsTables] = useState(false);
  const summary = useQuery(dashboardQueries.summary(days, period));
  const choose = (value: string) => {
    const next = Number(value) as PeriodDays;
    setDays(next);
    setPeriod(periodStart(next));
  };
  const words = `the last ${days} days`;
  const data = summary.data;

  return (
    <Stack maw={1200}>
      <ScreenHeader
        title="Dashboard"
        description="The desk and the money at a glance. Hover a chart for its numbers, or show them as tables."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => setPeriod(periodStart(days))} loading={summary.isFetching}>
            Refresh
          </Button>
        }
      />
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="dashboard-period-label">
            Period
          </Text>
          <SegmentedControl
            aria-labelledby="dashboard-period-label"
            value={String(days)}
            onChange={choose}
            data={periodChoices.map((choice) => ({ value: String(choice), label: choice === 365 ? '1 year' : `${choice} days` }))}
          />
        </Stack>
        <Switch label="Show numbers as tables" checked={asTables} onChange={(event) => setAsTables(event.currentTarget.checked)} />
      </Group>
      <Text size="xs" c="dimmed">
        Days are this computer&apos;s days ({offsetLabel(period.utcOffsetMinutes)}), today included. The approval queue and the liability are as of now.
      </Text>
      {summary.error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load the dashboard" role="alert">
          {errorMessage(summary.error)}
        </Alert>
      )}
      {summary.isPending && <Loader aria-label="Loading the dashboard" />}
      {data && (
        <Stack>
          <LiabilityCard summary={data} asTables={asTables} />
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <QueueCard summary={data} asTables={asTables} />
            <RefusalsCard summary={data} asTables={asTables} period={words} />
          </SimpleGrid>
          <CreditsCard summary={data} asTables={asTables} period={words} />
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <RecoveryCard summary={data} asTables={asTables} period={words} />
            <RevealsCard summary={data} asTables={asTables} period={words} />
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}
