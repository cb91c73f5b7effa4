import { Paper, SimpleGrid } from '@mantine/core';
import { formatSerial } from '../../../../shared/serial';
import type { CardDetails } from '../../../../shared/types';
import { money } from '../../format';
import { Field } from '../Field';
import { unlockCountText } from './unlockCount';

/** The card being recovered, as far as the desk may see it: never the code, only its last 4. */
export function CardStrip({ card }: { card: CardDetails }) {
  return (
    <Paper withBorder p="md" radius="md" bg="var(--mantine-color-default-hover)">
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Field label="Card" mono>
          {formatSerial(card.serial)}
        </Field>
        <Field label="Value">{money(card.faceValueMinor, card.currency, card.marketplace)}</Field>
        <Field label="Delivered by">{card.deliveryChannel === 'email' ? 'E-mail' : 'Post (physical card)'}</Field>
        <Field label="Claim code ends">{card.claimCodeLast4}</Field>
        <Field label="Recovery unlocks">{unlockCountText(card.recoveryUnlockCount)}</Field>
      </SimpleGrid>
    </Paper>
  );
}
