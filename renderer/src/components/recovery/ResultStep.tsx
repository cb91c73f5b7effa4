import { Alert, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconReceiptRefund } from '@tabler/icons-react';
import type { CardDetails, RecoveryResolution, RecoveryVerification } from '../../../../shared/types';
import { useNavigation } from '../../shell/navigation';
import { CardStrip } from './CardStrip';
import { CheckResults } from './CheckResults';
import { LockedBanner } from './LockedBanner';
import { ResolvePanel } from './ResolvePanel';

interface ResultStepProps {
  card: CardDetails;
  ticketId: string;
  verification: RecoveryVerification;
  canUnlock: boolean;
  onUnlock(): void;
  onCheckAgain(): void;
  onResolved(resolution: RecoveryResolution): void;
}

function Outcome({ verification, canUnlock, onUnlock }: Pick<ResultStepProps, 'verification' | 'canUnlock' | 'onUnlock'>) {
  switch (verification.outcome) {
    case 'verified':
      return (
        <Alert color="green" icon={<IconCircleCheck aria-hidden />} title="Caller verified" role="status">
          The details fit the purchase record.
        </Alert>
      );
    case 'failed':
      return (
        <Alert color="red" icon={<IconCircleX aria-hidden />} title="Not verified" role="status">
          The details do not fit the record well enough. {verification.attemptsRemaining}{' '}
          {verification.attemptsRemaining === 1 ? 'check is' : 'checks are'} left before recovery locks for this card.
        </Alert>
      );
    case 'locked':
      return verification.lockedAt ? <LockedBanner lockedAt={verification.lockedAt} canUnlock={canUnlock} onUnlock={onUnlock} /> : null;
  }
}

/** Step 3: the per-field result; a verified case is resolved here, a failed one checked again or credited instead. */
export function ResultStep({ card, ticketId, verification, canUnlock, onUnlock, onCheckAgain, onResolved }: ResultStepProps) {
  const { navigate, canOpen } = useNavigation();
  return (
    <Stack>
      <CardStrip card={card} />
      <Paper withBorder p="lg" radius="lg" component="section" aria-label="Check result">
        <Stack>
          <Outcome verification={verification} canUnlock={canUnlock} onUnlock={onUnlock} />
          <CheckResults checks={verification.checks} />
          {verification.outcome === 'failed' && (
            <Group>
              <Button variant="default" onClick={onCheckAgain}>
                Check again
              </Button>
              {canOpen('credits') && (
                <Button
                  variant="light"
                  leftSection={<IconReceiptRefund size={18} aria-hidden />}
                  onClick={() => navigate('credits', { serial: card.serial, ticketId, reason: 'DAMAGED_CODE' })}
                >
                  Request a manual credit instead
                </Button>
              )}
            </Group>
          )}
        </Stack>
      </Paper>
      {verification.outcome === 'verified' && (
        <Paper withBorder p="lg" radius="lg" component="section" aria-label="Resolve">
          <Title order={3} fz="md" mb="sm">
            Resolve
          </Title>
          <ResolvePanel card={card} ticketId={ticketId} verification={verification} onResolved={onResolved} onCheckAgain={onCheckAgain} />
        </Paper>
      )}
    </Stack>
  );
}
