import { Alert, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconMailForward, IconWallet } from '@tabler/icons-react';
import { useState } from 'react';
import type { CardDetails, RecoveryResolution, RecoveryVerification } from '../../../../shared/types';
import { call, CallError, errorMessage } from '../../api';
import { formatTime, money } from '../../format';
import { useRequestKey } from '../../requestKey';
import { AccountPicker } from '../AccountPicker';

interface ResolvePanelProps {
  card: CardDetails;
  verification: RecoveryVerification;
  onResolved(resolution: RecoveryResolution): void;
  onCheckAgain(): void;
}

/** After a verified check: apply the card's value to an account, or cancel it and send a new card. */
export function ResolvePanel({ card, verification, onResolved, onCheckAgain }: ResolvePanelProps) {
  const [action, setAction] = useState<'redeemToAccount' | 'reissue'>('redeemToAccount');
  const [accountId, setAccountId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; expired: boolean } | null>(null);
  const requestKey = useRequestKey();
  const value = money(card.faceValueMinor, card.currency, card.marketplace);

  async function resolve() {
    setBusy(true);
    setError(null);
    try {
      const idempotencyKey = requestKey.keyFor([verification.caseId, action, accountId ?? ''].join('|'));
      const resolution = await call((api) =>
        api.recovery.resolve(
          action === 'reissue'
            ? { caseId: verification.caseId, action, idempotencyKey }
            : { caseId: verification.caseId, action, accountId: accountId ?? '', idempotencyKey },
        ),
      );
      onResolved(resolution);
    } catch (failure) {
      const expired = failure instanceof CallError && failure.code === 'CASE_EXPIRED';
      setError({
        message: expired ? 'This verification has expired. Check the caller again to start a new case.' : errorMessage(failure),
        expired,
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Resolve before {verification.expiresAt ? formatTime(verification.expiresAt) : 'the case expires'} — a verified case can be used once.
      </Text>
      <SegmentedControl
        value={action}
        onChange={(v) => setAction(v as typeof action)}
        data={[
          { value: 'redeemToAccount', label: 'Apply to an account' },
          { value: 'reissue', label: 'Reissue a new card' },
        ]}
        aria-label="How to resolve"
        w="fit-content"
      />
      {action === 'redeemToAccount' ? (
        <>
          <AccountPicker marketplace={card.marketplace} value={accountId} onChange={setAccountId} />
          <Group>
            <Button leftSection={<IconWallet size={18} aria-hidden />} disabled={!accountId} loading={busy} onClick={() => void resolve()}>
              {accountId ? `Add ${value} to ${accountId}` : 'Choose an account'}
            </Button>
          </Group>
        </>
      ) : (
        <>
          <Text>
            This card is cancelled and a new card worth {value}, with a new serial and code, is sent{' '}
            {card.deliveryChannel === 'email' ? 'by e-mail to' : 'by post to'} the address on file:{' '}
            <Text span fw={600}>
              {card.deliveryAddress}
            </Text>
            . Nobody at the desk sees either code.
          </Text>
          <Group>
            <Button color="orange" leftSection={<IconMailForward size={18} aria-hidden />} loading={busy} onClick={() => void resolve()}>
              Cancel this card and send a new one
            </Button>
          </Group>
        </>
      )}
      {error && (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} title="Not resolved" role="alert">
          <Stack gap="xs">
            <Text size="sm">{error.message}</Text>
            {error.expired && (
              <Button variant="white" color="red" size="xs" w="fit-content" onClick={onCheckAgain}>
                Check the caller again
              </Button>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
