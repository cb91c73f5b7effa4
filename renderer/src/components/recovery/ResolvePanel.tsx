import { Alert, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconMailForward, IconWallet } from '@tabler/icons-react';
import { useState } from 'react';
import type { InputOf } from '../../../../shared/contract';
import type { CardDetails, RecoveryResolution, RecoveryVerification } from '../../../../shared/types';
import { CallError, errorMessage } from '../../api';
import { useResolveRecovery } from '../../data/recovery';
import { formatTime, money } from '../../format';
import { useRequestKey } from '../../requestKey';
import { AccountPicker } from '../AccountPicker';

type Action = InputOf<'recovery:resolve'>['action'];

interface ResolvePanelProps {
  card: CardDetails;
  /** The ticket the case was verified under: the case resolves only under it, by whoever verified it. */
  ticketId: string;
  verification: RecoveryVerification;
  onResolved(resolution: RecoveryResolution): void;
  onCheckAgain(): void;
}

/** After a verified check: apply the card's value to an account, or cancel it and send a new card. */
export function ResolvePanel({ card, ticketId, verification, onResolved, onCheckAgain }: ResolvePanelProps) {
  const [action, setAction] = useState<Action>('redeemToAccount');
  const [accountId, setAccountId] = useState<string | null>(null);
  const resolve = useResolveRecovery();
  const requestKey = useRequestKey();
  const value = money(card.faceValueMinor, card.currency, card.marketplace);
  const expired = resolve.error instanceof CallError && resolve.error.code === 'CASE_EXPIRED';

  function submit() {
    const { caseId } = verification;
    // One key per distinct resolution: a double click or a retry resolves once.
    const idempotencyKey = requestKey.keyFor([caseId, action, accountId ?? ''].join('|'));
    if (action === 'reissue') resolve.mutate({ caseId, ticketId, action, idempotencyKey }, { onSuccess: onResolved });
    else if (accountId) resolve.mutate({ caseId, ticketId, action, accountId, idempotencyKey }, { onSuccess: onResolved });
  }

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Resolve before {verification.expiresAt ? formatTime(verification.expiresAt) : 'the case expires'} — a verified case can be used once.
      </Text>
      <SegmentedControl
        value={action}
        onChange={(v) => setAction(v as Action)}
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
            <Button leftSection={<IconWallet size={18} aria-hidden />} disabled={!accountId} loading={resolve.isPending} onClick={submit}>
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
            <Button color="orange" leftSection={<IconMailForward size={18} aria-hidden />} loading={resolve.isPending} onClick={submit}>
              Cancel this card and send a new one
            </Button>
          </Group>
        </>
      )}
      {resolve.error && (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} title="Not resolved" role="alert">
          <Stack gap="xs">
            <Text size="sm">
              {expired ? 'This verification has expired. Check the caller again to start a new case.' : errorMessage(resolve.error)}
            </Text>
            {expired && (
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
