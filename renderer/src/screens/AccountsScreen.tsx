import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconArrowLeft, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { marketplaces } from '../../../shared/marketplaces';
import { errorMessage } from '../api';
import { AccountView } from '../components/AccountView';
import { ScreenHeader } from '../components/ScreenHeader';
import { accountQueries, accountSearchSchema } from '../data/accounts';
import { useAskedQuery } from '../data/ask';
import { contractForm } from '../data/forms';
import { money } from '../format';
import { useNavigation } from '../shell/navigation';

export function AccountsScreen() {
  const { params } = useNavigation();
  const form = useForm(contractForm(accountSearchSchema, { query: '' }, { validateInputOnBlur: false }));
  const search = useAskedQuery(accountQueries.search, null);
  // The account shown: one the agent opened, or — `undefined` — the only match of the search.
  const [chosen, setChosen] = useState<string | null | undefined>(params['accountId'] ?? null);
  const results = search.asked !== null && search.query.isSuccess ? search.query.data : null;
  const open = chosen !== undefined ? chosen : results?.length === 1 ? results[0]!.id : null;

  const submit = form.onSubmit(({ query }) => {
    setChosen(undefined);
    search.ask(query.trim());
  });

  return (
    <Stack maw={1200}>
      <ScreenHeader title="Customer accounts" description="Find a customer's account by account id, e-mail or name; see its balance and ledger; redeem a code." />
      <Paper withBorder p="lg" radius="lg" component="form" onSubmit={submit} aria-label="Find an account">
        {/* Top-aligned with the button beside the field, so an error under the field moves nothing. */}
        <Group align="flex-start" wrap="nowrap">
          <TextInput
            label="Account id, e-mail or name"
            placeholder="ACC-US-1001, jane@example.com, Jane Doe"
            size="md"
            autoFocus
            style={{ flex: 1 }}
            {...form.getInputProps('query')}
          />
          <Button type="submit" size="md" mt={25} loading={search.busy} leftSection={<IconSearch size={18} aria-hidden />}>
            Search
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          Case and accents do not matter; words can be in any order.
        </Text>
      </Paper>

      {search.asked !== null && search.query.isError && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Search did not run" role="alert">
          {errorMessage(search.query.error)}
        </Alert>
      )}

      {open ? (
        <Stack>
          {results && results.length > 1 && (
            <Button variant="subtle" w="fit-content" leftSection={<IconArrowLeft size={16} aria-hidden />} onClick={() => setChosen(null)}>
              Back to results
            </Button>
          )}
          <AccountView key={open} accountId={open} />
        </Stack>
      ) : (
        results && (
          <Paper withBorder p="md" radius="lg">
            {results.length === 0 ? (
              <Text c="dimmed" ta="center" py="md">
                No account matches “{search.asked}”.
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
                  {results.map((account) => (
                    <Table.Tr key={account.id}>
                      <Table.Td fw={600}>{account.id}</Table.Td>
                      <Table.Td>{account.displayName}</Table.Td>
                      <Table.Td>{account.email}</Table.Td>
                      <Table.Td>{marketplaces[account.marketplace].name}</Table.Td>
                      <Table.Td ta="right">{money(account.balanceMinor, account.currency, account.marketplace)}</Table.Td>
                      <Table.Td ta="right">
                        <Button size="compact-sm" variant="light" onClick={() => setChosen(account.id)} aria-label={`Open ${account.id}`}>
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
