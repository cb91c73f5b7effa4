import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconTicket } from '@tabler/icons-react';
import { useState } from 'react';
import { canonicalClaimCode } from '../../../shared/claimCode';
import type { AccountSummary, RedemptionResult } from '../../../shared/types';
import { useRedeem } from '../data/cards';
import { applyServerErrors, contractForm, inputSchema } from '../data/forms';
import { money } from '../format';
import { redemptionErrorSentence } from '../redeemErrors';
import { useRequestKey } from '../requestKey';
import { ClaimCodeInput } from './ClaimCodeInput';

// The code's shape and the ticket id are checked by the contract's own rules (shared/fields.ts).
const redeemSchema = inputSchema('cards:redeem', ['claimCode', 'ticketId']);

interface RedeemDialogProps {
  account: AccountSummary;
  opened: boolean;
  onClose(): void;
}

function redeemedMessage(result: RedemptionResult, account: AccountSummary): string {
  const amount = money(result.amountMinor, result.currency, account.marketplace);
  const balance = money(result.balanceMinor, result.currency, account.marketplace);
  return `${amount} added to ${result.accountId} (card ending ${result.claimCodeLast4}). New balance ${balance}.`;
}

/** Adds a claim code's value to the account; every refusal is explained in words. */
export function RedeemDialog({ account, opened, onClose }: RedeemDialogProps) {
  // Errors show on submit and clear as the field changes, as before.
  const form = useForm(contractForm(redeemSchema, { claimCode: '', ticketId: '' }, { validateInputOnBlur: false }));
  const redeem = useRedeem();
  // A fresh alert per answer: the one shown belongs to the latest attempt.
  const [refusal, setRefusal] = useState<{ title: string; sentence: string; attempt: number } | null>(null);
  const requestKey = useRequestKey();

  function close() {
    requestKey.reset(); // the next opening is a new request
    form.reset();
    redeem.reset();
    setRefusal(null);
    onClose();
  }

  const submit = form.onSubmit((values) => {
    if (redeem.isPending) return;
    const claimCode = canonicalClaimCode(values.claimCode);
    const ticketId = values.ticketId.trim();
    // The same code, ticket and account reuse one key: a double submit redeems once.
    const idempotencyKey = requestKey.keyFor([claimCode, ticketId, account.id].join('|'));
    setRefusal(null);
    redeem.mutate(
      { claimCode, accountId: account.id, ticketId, idempotencyKey },
      {
        onSuccess: (result) => {
          notifications.show({ color: 'green', title: 'Code redeemed', message: redeemedMessage(result, account) });
          close();
        },
        onError: (error) => {
          if (!applyServerErrors(form, error)) setRefusal({ ...redemptionErrorSentence(error), attempt: Date.now() });
        },
      },
    );
  });

  return (
    <Modal opened={opened} onClose={close} title={`Redeem a code to ${account.id}`} size="lg" centered>
      <form onSubmit={submit} aria-label="Redeem a code">
        <Stack>
          <Text size="sm" c="dimmed">
            The card's value is added to this {account.marketplace} account's balance ({account.currency}). Only{' '}
            {account.marketplace} cards can be used.
          </Text>
          {refusal && (
            <Alert key={refusal.attempt} color="red" icon={<IconAlertCircle aria-hidden />} title={refusal.title} role="alert">
              {refusal.sentence}
            </Alert>
          )}
          <ClaimCodeInput
            label="Claim code"
            placeholder="ABCD-EFGHIJ-KLMN"
            size="md"
            data-autofocus
            {...form.getInputProps('claimCode')}
            value={form.getValues().claimCode}
          />
          <TextInput label="Ticket id" placeholder="e.g. T-482913" {...form.getInputProps('ticketId')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={redeem.isPending} leftSection={<IconTicket size={18} aria-hidden />}>
              Redeem
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
