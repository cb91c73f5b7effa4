// The charts' styles and code ship with the one screen that draws a chart (lazy-loaded).
import '@mantine/charts/styles.css';
import { AreaChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { localeOf, type Marketplace } from '../../../shared/marketplaces';
import { currencyExponent, type Currency } from '../../../shared/money';
import type { BalancePoint } from '../../../shared/types';
import { formatDate, money } from '../format';

/** The balance after each of the latest ledger entries (display only: amounts become floats for the axis). */
export function BalanceChart({ history, currency, marketplace }: { history: BalancePoint[]; currency: Currency; marketplace: Marketplace }) {
  if (history.length < 2) {
    return (
      <Text size="sm" c="dimmed">
        The chart appears once the account has two or more ledger entries.
      </Text>
    );
  }
  const scale = 10 ** currencyExponent(currency);
  const data = history.map((point) => ({ date: formatDate(point.at), balance: point.balanceMinor / scale }));
  const compact = new Intl.NumberFormat(localeOf(marketplace), { style: 'currency', currency, notation: 'compact' });
  return (
    <AreaChart
      h={180}
      data={data}
      dataKey="date"
      series={[{ name: 'balance', label: 'Balance', color: 'indigo.6' }]}
      curveType="stepAfter"
      withDots={false}
      gridAxis="y"
      tickLine="none"
      yAxisProps={{ width: 70 }}
      valueFormatter={(value) => compact.format(value)}
      tooltipProps={{ formatter: (value: unknown) => money(Math.round(Number(value) * scale), currency, marketplace) }}
      aria-label="Balance over time"
      role="img"
    />
  );
}
