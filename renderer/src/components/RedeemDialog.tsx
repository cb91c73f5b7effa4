import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconTicket } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { parseClaimCode } from '../../../shared/claimCode';
import type { AccountSummary, RedemptionResult } from '../../../shared/types';
import { call } from '../api';
import { money } from '../format';
import { redemptionErrorSentence } from '../redeemErrors';
import { useRequestKey } from '../requestKey';
import { ClaimCodeInput } from './ClaimCodeInput';

interface RedeemDialogProps {
  account: AccountSummary;
  opened: boolean;
  onClose(): void;
  onRedeemed(result: RedemptionResult): void;
}

/** Adds a claim code's value to the account; every refusal is explained in words. */
export function RedeemDialog({ account, opened, onClose, onRedeemed }: RedeemDialogProps) {
  const [code, setCode] = useState('');
  const [ticket, setTicket] = useState('');
  const [busy, setBusy] = useState(false);
  const [codeError, setCodeError] = useState<string | null>(null);
  const [ticketError, setTicketError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<{ title: string; sentence: string } | null>(null);
  const requestKey = useRequestKey();

  function close() {
    requestKey.reset(); // the next opening is a new request
    setCode('');
    setTicket('');
    setCodeError(null);
    setTicketError(null);
    setRefusal(null);
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const parsed = parseClaimCode(code);
    setCodeError(parsed.ok ? null : parsed.message);
    setTicketError(ticket.trim() ? null : 'Enter the ticket id.');
    if (!parsed.ok || !ticket.trim()) return;
    const idempotencyKey = requestKey.keyFor([parsed.code, ticket.trim(), account.id].join('|'));
    setBusy(true);
    setRefusal(null);
    try {
      const result = await call((api) =>
        api.cards.redeem({ claimCode: parsed.code, accountId: account.id, ticketId: ticket.trim(), idempotencyKey }),
      );
      notifications.show({
        color: 'green',
        title: 'Code redeemed',
        message: `${money(result.amountMinor, result.currency, account.marketplace)} added to ${result.accountId} (card ending ${result.claimCodeLast4}). New balance ${money(result.balanceMinor, result.currency, account.marketplace)}.`,
      });
      onRedeemed(result);
      close();
    } catch (error) {
      setRefusal(redemptionErrorSentence(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={`Redeem a code to ${account.id}`} size="lg" centered>
      <form onSubmit={submit} aria-label="Redeem a code">
        <Stack>
          <Text size="sm" c="dimmed">
            The card's value is added to this {account.marketplace} account's balance ({account.currency}). Only{' '}
            {account.marketplace} cards can be used.
          </Text>
          {refusal && (
            <Alert color="red" icon={<IconAlertCircle aria-hidden />} title={refusal.title} role="alert">
              {refusal.sentence}
            </Alert>
          )}
          <ClaimCodeInput
            label="Claim code"
            placeholder="ABCD-EFGHIJ-KLMN"
            size="md"
            data-autofocus
            value={code}
            onChange={(value) => {
              setCode(value);
              setCodeError(null);
            }}
            error={codeError}
          />
          <TextInput
            label="Ticket id"
            placeholder="e.g. T-482913"
            value={ticket}
            onChange={(e) => {
              setTicket(e.currentTarget.value);
              setTicketError(null);
            }}
            error={ticketError}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} leftSection={<IconTicket size={18} aria-hidden />}>
              Redeem
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
