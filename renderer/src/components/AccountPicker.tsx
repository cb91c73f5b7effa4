import { Alert, Button, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconSearch } from '@tabler/icons-react';
import { marketplaceName, type Marketplace } from '../../../shared/marketplaces';
import type { AccountSummary } from '../../../shared/types';
import { errorMessage } from '../api';
import { accountQueries, accountSearchSchema } from '../data/accounts';
import { useAskedQuery } from '../data/ask';
import { contractForm } from '../data/forms';
import { money } from '../format';

/**
 * Finds a customer's account; when `marketplace` is given, only its accounts can be
 * chosen. It sits inside other forms, so it is a field group (validated by the same
 * schema as the Accounts screen's search), not a form of its own.
 */
export function AccountPicker({
  marketplace,
  value,
  onChange,
}: {
  marketplace?: Marketplace | undefined;
  value: string | null;
  onChange(accountId: string, account: AccountSummary): void;
}) {
  const form = useForm(contractForm(accountSearchSchema, { query: '' }, { validateInputOnBlur: false }));
  const search = useAskedQuery(accountQueries.search, null);
  const results = search.asked !== null && search.query.isSuccess ? search.query.data : null;

  function find() {
    if (form.validate().hasErrors) return;
    search.ask(form.getValues().query.trim());
  }

  return (
    <Stack gap="xs">
      <Group align="flex-start" wrap="nowrap">
        <TextInput
          label="Customer account"
          placeholder="Account id, e-mail or name"
          data-autofocus
          style={{ flex: 1 }}
          {...form.getInputProps('query')}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault(); // not the surrounding form's submit
              find();
            }
          }}
        />
        <Button variant="default" mt={25} loading={search.busy} onClick={find} leftSection={<IconSearch size={16} aria-hidden />}>
          Find
        </Button>
      </Group>
      {search.asked !== null && search.query.isError && (
        <Alert color="red" role="alert">
          {errorMessage(search.query.error)}
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
