import { Alert, Badge, Button, Group, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconReceiptRefund, IconTicket } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { marketplaces } from '../../../shared/marketplaces';
import { formatSerial } from '../../../shared/serial';
import type { AccountDetails, LedgerEntryType } from '../../../shared/types';
import { call, errorMessage } from '../api';
import { formatDateTime, money } from '../format';
import { BalanceChart } from './BalanceChart';
import { RequestCreditDialog } from './credits/RequestCreditDialog';
import { RedeemDialog } from './RedeemDialog';

const PAGE = 25;

const typeLabels: Record<LedgerEntryType, string> = {
  redemption: 'Redemption',
  manual_credit: 'Manual credit',
  recovery_credit: 'Recovery credit',
};

type State = { kind: 'loading' } | { kind: 'ready'; account: AccountDetails } | { kind: 'error'; message: string };

async function load(accountId: string): Promise<State> {
  try {
    return { kind: 'ready', account: await call((api) => api.accounts.get({ accountId, limit: PAGE })) };
  } catch (error) {
    return { kind: 'error', message: errorMessage(error) };
  }
}

export function AccountView({ accountId }: { accountId: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [redeeming, setRedeeming] = useState(false);
  const [requesting, setRequesting] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);

  useEffect(() => {
    let live = true;
    void load(accountId).then((next) => {
      if (live) setState(next);
    });
    return () => {
      live = false;
    };
  }, [accountId]);

  async function reload() {
    setState(await load(accountId));
  }

  async function older(account: AccountDetails) {
    if (account.nextBeforeId === null) return;
    setLoadingOlder(true);
    try {
      const page = await call((api) => api.accounts.get({ accountId, beforeId: account.nextBeforeId!, limit: PAGE }));
      setState({ kind: 'ready', account: { ...account, ledger: [...account.ledger, ...page.ledger], nextBeforeId: page.nextBeforeId } });
    } catch (error) {
      setState({ kind: 'error', message: errorMessage(error) });
    } finally {
      setLoadingOlder(false);
    }
  }

  if (state.kind === 'loading') {
    return (
      <Text c="dimmed" role="status">
        Loading account {accountId}…
      </Text>
    );
  }
  if (state.kind === 'error') {
    return (
      <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not open the account" role="alert">
        {state.message}
      </Alert>
    );
  }
  const { account } = state;
  const mk = account.marketplace;
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
              {account.displayName} · {account.email}
            </Text>
          </div>
          <Group gap="xs">
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
        <ScrollArea viewportProps={{ tabIndex: 0 }}>
          <Table striped aria-label="Ledger" fz="sm" miw={800}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th ta="right">Balance after</Table.Th>
                <Table.Th>Card</Table.Th>
                <Table.Th>Ticket</Table.Th>
                <Table.Th>By</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {account.ledger.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
                  <Table.Td>
                    {typeLabels[entry.type] ?? entry.type}
                    {entry.reason ? ` · ${entry.reason}` : ''}
                  </Table.Td>
                  <Table.Td ta="right" c="green" fw={600}>
                    +{money(entry.amountMinor, account.currency, mk)}
                  </Table.Td>
                  <Table.Td ta="right">{money(entry.balanceAfterMinor, account.currency, mk)}</Table.Td>
                  <Table.Td className="serial">{entry.cardSerial ? formatSerial(entry.cardSerial) : ''}</Table.Td>
                  <Table.Td>{entry.ticketId ?? ''}</Table.Td>
                  <Table.Td>{entry.actor ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        {account.ledger.length === 0 && (
          <Text c="dimmed" ta="center" py="md">
            No ledger entries yet.
          </Text>
        )}
        {account.nextBeforeId !== null && (
          <Group justify="center" mt="sm">
            <Button variant="subtle" loading={loadingOlder} onClick={() => void older(account)}>
              Load older entries
            </Button>
          </Group>
        )}
      </Paper>
      <RedeemDialog account={account} opened={redeeming} onClose={() => setRedeeming(false)} onRedeemed={() => void reload()} />
      <RequestCreditDialog account={account} opened={requesting} onClose={() => setRequesting(false)} onRequested={() => undefined} />
    </Stack>
  );
}
