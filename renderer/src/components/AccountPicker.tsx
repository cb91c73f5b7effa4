import { Alert, Button, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { marketplaceName, type Marketplace } from '../../../shared/marketplaces';
import type { AccountSummary } from '../../../shared/types';
import { call, errorMessage } from '../api';
import { money } from '../format';

/** Finds a customer's account; when `marketplace` is given, only its accounts can be chosen. */
export function AccountPicker({
  marketplace,
  value,
  onChange,
}: {
  marketplace?: Marketplace | undefined;
  value: string | null;
  onChange(accountId: string, account: AccountSummary): void;
}) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<AccountSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function search() {
    if (query.trim().length < 2) {
      setError('Type at least 2 characters of an account id, e-mail or name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResults(await call((api) => api.accounts.search({ query: query.trim() })));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="xs">
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          label="Customer account"
          placeholder="Account id, e-mail or name"
          data-autofocus
          style={{ flex: 1 }}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void search();
            }
          }}
        />
        <Button variant="default" loading={busy} onClick={() => void search()} leftSection={<IconSearch size={16} aria-hidden />}>
          Find
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {results && results.length === 0 && <Text c="dimmed">No account matches.</Text>}
      {results && results.length > 0 && (
        <Radio.Group
          value={value}
          onChange={(id) => onChange(id, results.find((a) => a.id === id)!)}
          label={marketplace ? `Accounts (only ${marketplaceName(marketplace)} accounts can take this card)` : 'Accounts'}
        >
          <Stack gap={6} mt={6}>
            {results.map((account) => (
              <Radio
                key={account.id}
                value={account.id}
                disabled={marketplace !== undefined && account.marketplace !== marketplace}
                label={`${account.id} · ${account.displayName} · ${account.email} · ${money(account.balanceMinor, account.currency, account.marketplace)}`}
                description={marketplace !== undefined && account.marketplace !== marketplace ? `${marketplaceName(account.marketplace)} account` : undefined}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
    </Stack>
  );
}
