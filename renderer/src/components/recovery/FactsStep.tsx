import { Button, Group, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconShieldCheck } from '@tabler/icons-react';
import type { CardDetails, RecoveryVerification } from '../../../../shared/types';
import { CallError } from '../../api';
import { applyServerErrors, contractForm, formProblem, inputSchema } from '../../data/forms';
import { useVerifyRecovery } from '../../data/recovery';
import { CannotContinue } from './CannotContinue';
import { CardStrip } from './CardStrip';
import { FragmentInput } from './FragmentInput';
import { LockedBanner } from './LockedBanner';

const schema = inputSchema('recovery:verify', ['orderNumber', 'purchaserName', 'recipientName', 'deliveryAddress', 'claimCodeFragment']);

/** What the caller says, as typed; kept across "Check again". */
export type Facts = {
  orderNumber: string;
  purchaserName: string;
  recipientName: string;
  deliveryAddress: string;
  claimCodeFragment: string;
};

export const noFacts: Facts = { orderNumber: '', purchaserName: '', recipientName: '', deliveryAddress: '', claimCodeFragment: '' };

interface FactsStepProps {
  card: CardDetails;
  ticketId: string;
  facts: Facts;
  canUnlock: boolean;
  onUnlock(): void;
  onChecked(verification: RecoveryVerification, facts: Facts): void;
  /** The main process refused the check: recovery is locked for the card since `lockedAt`. */
  onLocked(lockedAt: string): void;
  onRestart(): void;
}

/** Step 2: the caller's details, checked against the record (never shown). */
export function FactsStep({ card, ticketId, facts, canUnlock, onUnlock, onChecked, onLocked, onRestart }: FactsStepProps) {
  const form = useForm(contractForm(schema, facts));
  const verify = useVerifyRecovery();
  const locked = verify.error instanceof CallError && verify.error.code === 'RECOVERY_LOCKED';
  const problem = locked ? null : formProblem(form, verify.error);
  const email = card.deliveryChannel === 'email';

  const submit = form.onSubmit((values) => {
    const { claimCodeFragment, ...details } = schema.parse(values);
    verify.mutate(
      { serial: card.serial, ticketId, ...details, ...(claimCodeFragment?.trim() ? { claimCodeFragment } : {}) },
      {
        onSuccess: (verification) => onChecked(verification, values),
        onError: (failure) => {
          if (failure instanceof CallError && failure.code === 'RECOVERY_LOCKED') onLocked(String(failure.details?.['lockedAt'] ?? ''));
          else applyServerErrors(form, failure);
        },
      },
    );
  });

  return (
    <Stack>
      <CannotContinue problem={problem} />
      <CardStrip card={card} />
      {card.recoveryLockedAt ? (
        <LockedBanner lockedAt={card.recoveryLockedAt} canUnlock={canUnlock} onUnlock={onUnlock} />
      ) : (
        <Paper withBorder p="lg" radius="lg" component="form" onSubmit={submit} aria-label="Caller's details">
          <Stack>
            <Text size="sm" c="dimmed">
              Ask the caller; type what they say, as they say it. Spelling, case, accents and word order are forgiven.
            </Text>
            <TextInput label="Order number" autoFocus {...form.getInputProps('orderNumber')} />
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <TextInput label="Purchaser name" {...form.getInputProps('purchaserName')} />
              <TextInput label="Recipient name" {...form.getInputProps('recipientName')} />
            </SimpleGrid>
            <TextInput
              label={email ? 'Delivery e-mail' : 'Shipping address'}
              description={email ? 'The e-mail the card was sent to' : 'Where the physical card was posted'}
              {...form.getInputProps('deliveryAddress')}
            />
            <FragmentInput label="Legible part of the code (optional)" placeholder="AB??-??????-WXYZ" {...form.getInputProps('claimCodeFragment')} value={form.values.claimCodeFragment} />
            <Group>
              <Button type="submit" loading={verify.isPending} leftSection={<IconShieldCheck size={18} aria-hidden />}>
                Check the caller's details
              </Button>
              <Button variant="subtle" onClick={onRestart}>
                Start over
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
