import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { AccountSummary } from '../../../../shared/types';
import { creditQueries } from '../../data/credits';
import { money } from '../../format';

const THIRTY_DAYS = 30 * 86_400_000;

/** One figure; `name` is its accessible name where a test or a screen reader needs more than the caption. */
function Figure({ caption, value, name }: { caption: string; value: string; name?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {caption}
      </Text>
      <Text fw={600} aria-label={name}>
        {value}
      </Text>
    </div>
  );
}

/**
 * What the requester should see before asking: the balance now and after this credit,
 * and how many manual credits the account had in the last 30 days.
 */
export function BalancePreview({ account, amountMinor }: { account: AccountSummary; amountMinor: number | null }) {
  const { data: details, dataUpdatedAt } = useQuery(creditQueries.account(account.id));
  const balanceNow = details?.balanceMinor ?? account.balanceMinor;
  const show = (minor: number) => money(minor, account.currency, account.marketplace);
  // Counted back from when the ledger was read, so the window matches the entries shown.
  const recent = details?.ledger.filter((e) => e.type === 'manual_credit' && dataUpdatedAt - new Date(e.at).getTime() <= THIRTY_DAYS) ?? [];
  return (
    <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-default-hover)" aria-label="Balance before and after">
      <SimpleGrid cols={3}>
        <Figure caption="Balance now" value={show(balanceNow)} />
        <Figure caption="After this credit" name="Balance after this credit" value={amountMinor !== null ? show(balanceNow + amountMinor) : '—'} />
        <Figure
          caption="Manual credits, last 30 days"
          name="Manual credits in the last 30 days"
          value={recent.length === 0 ? 'None' : `${recent.length} · ${show(recent.reduce((sum, e) => sum + e.amountMinor, 0))}`}
        />
      </SimpleGrid>
    </Paper>
  );
}
