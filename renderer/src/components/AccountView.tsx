import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconReceiptRefund, IconTicket } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { marketplaces } from '../../../shared/marketplaces';
import { errorMessage } from '../api';
import { accountQueries } from '../data/accounts';
import { money } from '../format';
import { AuditTrailLink } from './audit/AuditTrailLink';
import { BalanceChart } from './BalanceChart';
import { RequestCreditDialog } from './credits/RequestCreditDialog';
import { LedgerTable } from './LedgerTable';
import { RedeemDialog } from './RedeemDialog';
import { RevealableValue } from './reveal/RevealableValue';

export function AccountView({ accountId }: { accountId: string }) {
  const detail = useInfiniteQuery(accountQueries.detail(accountId));
  const [redeeming, setRedeeming] = useState(false);
  const [requesting, setRequesting] = useState(false);

  if (detail.isPending) {
    return (
      <Text c="dimmed" role="status">
        Loading account {accountId}…
      </Text>
    );
  }
  if (!detail.data) {
    return (
      <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not open the account" role="alert">
        {errorMessage(detail.error)}
      </Alert>
    );
  }
  // The newest page says the balance and chart; the ledger is every page loaded so far.
  const account = detail.data.pages[0]!;
  const ledger = detail.data.pages.flatMap((page) => page.ledger);
  const mk = account.marketplace;
  const subject = { subjectType: 'account', subjectId: account.id, subjectLabel: `account ${account.id}` } as const;
  return (
    <Stack component="section" aria-label={`Account ${account.id}`}>
      <Paper withBorder p="lg" radius="lg">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="xs">
              <Title order={2} fz={22}>
                {account.id}
              </Title>
              <Badge variant="light">{marketplaces[mk].name}</Badge>
            </Group>
            <Text c="dimmed" size="sm">
              <RevealableValue key={`${account.id}-n`} field="accountName" masked={account.displayName} {...subject} /> ·{' '}
              <RevealableValue key={`${account.id}-e`} field="accountEmail" masked={account.email} {...subject} />
            </Text>
          </div>
          <Group gap="xs">
            <AuditTrailLink subject={account.id} name={`account ${account.id}`} />
            <Button variant="default" leftSection={<IconReceiptRefund size={18} aria-hidden />} onClick={() => setRequesting(true)}>
              Request a credit
            </Button>
            <Button leftSection={<IconTicket size={18} aria-hidden />} onClick={() => setRedeeming(true)}>
              Redeem a code
            </Button>
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, md: 3 }} mt="md" spacing="xl">
          <Stack gap={2}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
              Gift-card balance
            </Text>
            <Text fz={34} fw={700} lh={1.1} aria-label="Gift-card balance">
              {money(account.balanceMinor, account.currency, mk)}
            </Text>
            <Text size="xs" c="dimmed">
              The sum of the ledger below · {account.currency}
            </Text>
          </Stack>
          <div style={{ gridColumn: 'span 2' }}>
            <BalanceChart history={account.history} currency={account.currency} marketplace={mk} />
          </div>
        </SimpleGrid>
      </Paper>

      <Paper withBorder p="md" radius="lg">
        <Title order={3} fz="md" mb="sm">
          Ledger
        </Title>
        <LedgerTable entries={ledger} currency={account.currency} marketplace={mk} />
        {detail.isError && (
          <Alert
            color="red"
            icon={<IconAlertTriangle aria-hidden />}
            title={detail.isFetchNextPageError ? 'Could not load older entries' : 'Could not refresh the account'}
            role="alert"
            mt="sm"
          >
            {errorMessage(detail.error)}
          </Alert>
        )}
        {detail.hasNextPage && (
          <Group justify="center" mt="sm">
            <Button variant="subtle" loading={detail.isFetchingNextPage} onClick={() => void detail.fetchNextPage()}>
              Load older entries
            </Button>
          </Group>
        )}
      </Paper>
      <RedeemDialog account={account} opened={redeeming} onClose={() => setRedeeming(false)} />
      <RequestCreditDialog account={account} opened={requesting} onClose={() => setRequesting(false)} onRequested={() => undefined} />
    </Stack>
  );
}
