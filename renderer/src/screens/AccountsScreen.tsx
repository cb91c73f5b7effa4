import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconSearch } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { marketplaces } from '../../../shared/marketplaces';
import type { AccountSummary } from '../../../shared/types';
import { call, errorMessage } from '../api';
import { AccountView } from '../components/AccountView';
import { ScreenHeader } from '../components/ScreenHeader';
import { money } from '../format';
import { useNavigation } from '../shell/navigation';

type Search = { kind: 'none' } | { kind: 'loading' } | { kind: 'results'; query: string; accounts: AccountSummary[] } | { kind: 'error'; message: string };

export function AccountsScreen() {
  const { params } = useNavigation();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<Search>({ kind: 'none' });
  const [open, setOpen] = useState<string | null>(params['accountId'] ?? null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const q = query.trim();
    if (q.length < 2) {
      setSearch({ kind: 'error', message: 'Type at least 2 characters of an account id, e-mail or name.' });
      return;
    }
    setSearch({ kind: 'loading' });
    try {
      const accounts = await call((api) => api.accounts.search({ query: q }));
      setSearch({ kind: 'results', query: q, accounts });
      setOpen(accounts.length === 1 ? accounts[0]!.id : null);
    } catch (error) {
      setSearch({ kind: 'error', message: errorMessage(error) });
    }
  }

  return (
    <Stack maw={1200}>
      <ScreenHeader title="Customer accounts" description="Find a customer's account by account id, e-mail or name; see its balance and ledger; redeem a code." />
      <Paper withBorder p="lg" radius="lg" component="form" onSubmit={submit} aria-label="Find an account">
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            label="Account id, e-mail or name"
            placeholder="ACC-US-1001, jane@example.com, Jane Doe"
            size="md"
            autoFocus
            style={{ flex: 1 }}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
          />
          <Button type="submit" size="md" loading={search.kind === 'loading'} leftSection={<IconSearch size={18} aria-hidden />}>
            Search
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          Case and accents do not matter; words can be in any order.
        </Text>
      </Paper>

      {search.kind === 'error' && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Search did not run" role="alert">
          {search.message}
        </Alert>
      )}

      {open ? (
        <Stack>
          {search.kind === 'results' && search.accounts.length > 1 && (
            <Button variant="subtle" w="fit-content" leftSection={<IconArrowLeft size={16} aria-hidden />} onClick={() => setOpen(null)}>
              Back to results
            </Button>
          )}
          <AccountView key={open} accountId={open} />
        </Stack>
      ) : (
        search.kind === 'results' && (
          <Paper withBorder p="md" radius="lg">
            {search.accounts.length === 0 ? (
              <Text c="dimmed" ta="center" py="md">
                No account matches “{search.query}”.
              </Text>
            ) : (
              <Table highlightOnHover aria-label="Accounts" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Account</Table.Th>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>E-mail</Table.Th>
                    <Table.Th>Marketplace</Table.Th>
                    <Table.Th ta="right">Balance</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {search.accounts.map((account) => (
                    <Table.Tr key={account.id}>
                      <Table.Td fw={600}>{account.id}</Table.Td>
                      <Table.Td>{account.displayName}</Table.Td>
                      <Table.Td>{account.email}</Table.Td>
                      <Table.Td>{marketplaces[account.marketplace].name}</Table.Td>
                      <Table.Td ta="right">{money(account.balanceMinor, account.currency, account.marketplace)}</Table.Td>
                      <Table.Td ta="right">
                        <Button size="compact-sm" variant="light" onClick={() => setOpen(account.id)} aria-label={`Open ${account.id}`}>
                          Open
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        )
      )}
    </Stack>
  );
}
