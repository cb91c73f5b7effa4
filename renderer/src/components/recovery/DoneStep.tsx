import { Alert, Button, Group, Paper, Stack } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import type { Marketplace } from '../../../../shared/marketplaces';
import { formatSerial } from '../../../../shared/serial';
import type { RecoveryResolution } from '../../../../shared/types';
import { money } from '../../format';
import { useNavigation } from '../../shell/navigation';

/** What happened, read by the resolution's `action`: where the value went, or which card replaces this one. */
function completion(resolution: RecoveryResolution, marketplace: Marketplace): { sentence: string; cardToOpen: string } {
  const value = money(resolution.amountMinor, resolution.currency, marketplace);
  if (resolution.action === 'redeemToAccount') {
    const balance = money(resolution.balanceMinor, resolution.currency, marketplace);
    return {
      sentence: `${value} was added to account ${resolution.accountId}. Its balance is now ${balance}.`,
      cardToOpen: resolution.serial,
    };
  }
  const replacement = resolution.replacementSerial;
  const by = resolution.delivery.channel === 'email' ? 'by e-mail' : 'by post';
  return {
    sentence: `Card ${formatSerial(resolution.serial)} is cancelled. Replacement card ${formatSerial(replacement)} (${value}) is queued for delivery ${by} to ${resolution.delivery.destination}.`,
    cardToOpen: replacement,
  };
}

/** Step 4: the case is resolved. */
export function DoneStep({ resolution, marketplace, onRestart }: { resolution: RecoveryResolution; marketplace: Marketplace; onRestart(): void }) {
  const { navigate } = useNavigation();
  const { sentence, cardToOpen } = completion(resolution, marketplace);
  return (
    <Paper withBorder p="lg" radius="lg" component="section" aria-label="Recovery complete">
      <Stack>
        <Alert color="green" icon={<IconCircleCheck aria-hidden />} title="Recovery complete" role="status">
          {sentence}
        </Alert>
        <Group>
          <Button onClick={onRestart}>Start another recovery</Button>
          <Button variant="default" onClick={() => navigate('lookup', { serial: cardToOpen })}>
            Open the card
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
