import { Button, Group, Paper, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { CardDetails } from '../../../../shared/types';
import { errorMessage } from '../../api';
import { contractForm, inputSchema, serialField } from '../../data/forms';
import { useOpenCard } from '../../data/recovery';
import { SerialInput } from '../SerialInput';
import { CannotContinue } from './CannotContinue';

const schema = inputSchema('recovery:verify', ['ticketId']).extend({ serial: serialField() });

/** Only an active card has a code left to recover; the others say where to look instead. */
function notRecoverable(card: CardDetails): string | null {
  if (card.status === 'redeemed') {
    return 'This card was already redeemed, so there is no code to recover. Look it up to see where its value went.';
  }
  if (card.status === 'void') return 'This card was cancelled (void), so there is nothing to recover.';
  return null;
}

/** Step 1: which card, and the ticket the whole recovery is recorded under. */
export function CardStep({ onOpened }: { onOpened(card: CardDetails, ticketId: string): void }) {
  const form = useForm(contractForm(schema, { serial: '', ticketId: '' }));
  const openCard = useOpenCard();
  const problem = openCard.error ? errorMessage(openCard.error) : openCard.data ? notRecoverable(openCard.data) : null;

  const submit = form.onSubmit((values) => {
    const { serial, ticketId } = schema.parse(values);
    openCard.mutate(serial, { onSuccess: (card) => !notRecoverable(card) && onOpened(card, ticketId) });
  });

  return (
    <Stack>
      <CannotContinue problem={problem} />
      <Paper withBorder p="lg" radius="lg" component="form" onSubmit={submit} aria-label="Recovery: card">
        <Stack>
          <SerialInput label="Serial number" placeholder="1700 0000 0000 0000 000" size="md" autoFocus {...form.getInputProps('serial')} value={form.values.serial} />
          <TextInput label="Ticket id" placeholder="e.g. T-482913" {...form.getInputProps('ticketId')} />
          <Group>
            <Button type="submit" loading={openCard.isPending}>
              Continue
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
