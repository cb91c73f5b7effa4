import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconReceiptRefund } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { creditReasonLabels, creditReasons, type CreditReason } from '../../../../shared/credits';
import type { AccountSummary, CreditRequestView } from '../../../../shared/types';
import { creditQueries, useRequestCredit } from '../../data/credits';
import { applyServerErrors, contractForm, formProblem } from '../../data/forms';
import { money } from '../../format';
import { useRequestKey } from '../../requestKey';
import { AccountPicker } from '../AccountPicker';
import { SerialInput } from '../SerialInput';
import { BalancePreview } from './BalancePreview';
import { amountField, creditRequestSchema, initialValues, toCreditRequest, type CreditPrefill } from './creditRequestForm';
import { requestRefusal } from './requestRefusal';

const reasonOptions = creditReasons.map((r) => ({ value: r, label: creditReasonLabels[r] }));

export interface RequestCreditFormProps {
  /** The account, when the form is opened from it; otherwise the agent picks one. */
  account?: AccountSummary | undefined;
  prefill?: CreditPrefill | undefined;
  onClose(): void;
  onRequested?(request: CreditRequestView): void;
}

/** A manual credit request: amount typed as a decimal in the account's currency, parsed exactly. */
export function RequestCreditForm({ account: fixed, prefill, onClose, onRequested }: RequestCreditFormProps) {
  const [chosen, setChosen] = useState<AccountSummary | null>(null);
  const account = fixed ?? chosen ?? undefined;
  const currency = account?.currency;
  // The amount is judged as it is typed, in the chosen account's currency.
  const form = useForm(contractForm(creditRequestSchema(currency), initialValues(fixed, prefill), { validateInputOnChange: ['amount'] }));
  const { data: limits } = useQuery(creditQueries.limits());
  const request = useRequestCredit();
  const requestKey = useRequestKey();

  const typed = amountField(currency).safeParse(form.values.amount);
  const amountMinor = typed.success ? typed.data : null;
  const needsTwo = currency && limits && amountMinor !== null ? amountMinor >= limits.dualApprovalMinor[currency] : false;
  const problem = formProblem(form, request.error) && requestRefusal(request.error);

  const submit = form.onSubmit((values) => {
    if (!account || request.isPending) return;
    const body = toCreditRequest(values, account);
    // The same request (double click, retry) reuses its key and is recorded once.
    request.mutate(
      { ...body, idempotencyKey: requestKey.keyFor(JSON.stringify(body)) },
      {
        onSuccess: (created) => {
          notifications.show({
            color: 'blue',
            title: 'Credit requested',
            message: `${money(created.amountMinor, created.currency, created.account.marketplace)} for ${created.account.id} is waiting for ${created.requiredApprovals === 2 ? 'two supervisors' : 'a supervisor'} to approve.`,
          });
          onRequested?.(created);
          onClose();
        },
        onError: (failure) => applyServerErrors(form, failure),
      },
    );
  });

  return (
    <form onSubmit={submit} aria-label="Request a credit">
      <Stack>
        {problem && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} title="Not requested" role="alert">
            {problem}
          </Alert>
        )}
        {!fixed && (
          <div>
            <AccountPicker
              value={chosen?.id ?? null}
              onChange={(id, picked) => {
                setChosen(picked);
                form.setFieldValue('accountId', id);
              }}
            />
            {form.errors['accountId'] && (
              <Text c="red" size="sm" mt={4}>
                {form.errors['accountId']}
              </Text>
            )}
          </div>
        )}
        {account && <BalancePreview account={account} amountMinor={amountMinor} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            data-autofocus
            label={`Amount${currency ? ` (${currency})` : ''}`}
            placeholder={currency === 'JPY' ? '5000' : '25.00'}
            inputMode="decimal"
            description={
              limits && currency
                ? `Up to ${money(limits.maxPerRequestMinor[currency], currency)}; from ${money(limits.dualApprovalMinor[currency], currency)}, two supervisors approve.`
                : undefined
            }
            {...form.getInputProps('amount')}
          />
          <Select
            label="Reason"
            placeholder="Choose a reason"
            data={reasonOptions}
            allowDeselect={false}
            {...form.getInputProps('reason')}
            value={form.values.reason || null}
            onChange={(value) => form.setFieldValue('reason', (value ?? '') as CreditReason | '')}
          />
          <TextInput label="Ticket id" {...form.getInputProps('ticketId')} />
          <SerialInput label="Card serial (optional)" description=" " {...form.getInputProps('serial')} value={form.values.serial} />
        </SimpleGrid>
        <Textarea label={form.values.reason === 'OTHER' ? 'Note (required)' : 'Note'} autosize minRows={2} {...form.getInputProps('note')} />
        {needsTwo && (
          <Text size="sm" c="orange">
            This amount needs two different supervisors to approve.
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={request.isPending} leftSection={<IconReceiptRefund size={18} aria-hidden />}>
            Request credit
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
