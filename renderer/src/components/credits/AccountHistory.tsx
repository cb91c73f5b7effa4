import { Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { LedgerEntryView } from '../../../../shared/types';
import { creditQueries } from '../../data/credits';
import { formatDateTime, money } from '../../format';

/** Entries a supervisor glances at before deciding. */
const SHOWN = 5;

function entryLabel(entry: LedgerEntryView): string {
  if (entry.type === 'manual_credit') return `Manual credit · ${entry.reason ?? ''}`;
  return entry.type === 'redemption' ? 'Redemption' : 'Recovery credit';
}

/** The account behind a credit request: its balance and latest entries. */
export function AccountHistory({ accountId }: { accountId: string }) {
  const { data: account } = useQuery(creditQueries.account(accountId));
  if (!account) return <Text size="sm" c="dimmed">Loading the account…</Text>;
  const ledger = account.ledger.slice(0, SHOWN);
  return (
    <Stack gap={4}>
      <Text size="sm">
        Balance {money(account.balanceMinor, account.currency, account.marketplace)} · {account.displayName}
      </Text>
      <Table fz="xs" aria-label={`Recent history of ${accountId}`}>
        <Table.Tbody>
          {ledger.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{formatDateTime(e.at)}</Table.Td>
              <Table.Td>{entryLabel(e)}</Table.Td>
              <Table.Td ta="right">+{money(e.amountMinor, account.currency, account.marketplace)}</Table.Td>
              <Table.Td>{e.actor ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {ledger.length === 0 && (
        <Text size="xs" c="dimmed">
          No ledger entries yet.
        </Text>
      )}
    </Stack>
  );
}
