import { Alert, Button, Group, Paper, SimpleGrid, Stack, Stepper, Text, TextInput, Title } from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconCircleX,
  IconLock,
  IconLockOpen,
  IconReceiptRefund,
  IconShieldCheck,
} from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { formatSerial, parseSerial } from '../../../shared/serial';
import type { CardDetails, RecoveryResolution, RecoveryVerification } from '../../../shared/types';
import { call, CallError, errorMessage } from '../api';
import { Field } from '../components/Field';
import { CheckResults } from '../components/recovery/CheckResults';
import { FragmentInput } from '../components/recovery/FragmentInput';
import { ResolvePanel } from '../components/recovery/ResolvePanel';
import { UnlockDialog } from '../components/recovery/UnlockDialog';
import { ScreenHeader } from '../components/ScreenHeader';
import { SerialInput } from '../components/SerialInput';
import { formatDateTime, money } from '../format';
import { useSession } from '../session';
import { useNavigation } from '../shell/navigation';

type Stage =
  | { step: 'card' }
  | { step: 'facts'; card: CardDetails }
  | { step: 'result'; card: CardDetails; verification: RecoveryVerification }
  | { step: 'done'; card: CardDetails; resolution: RecoveryResolution };

const stepIndex: Record<Stage['step'], number> = { card: 0, facts: 1, result: 2, done: 3 };

interface Facts {
  orderNumber: string;
  purchaserName: string;
  recipientName: string;
  deliveryAddress: string;
  claimCodeFragment: string;
}

const noFacts: Facts = { orderNumber: '', purchaserName: '', recipientName: '', deliveryAddress: '', claimCodeFragment: '' };

function CardStrip({ card }: { card: CardDetails }) {
  return (
    <Paper withBorder p="md" radius="md" bg="var(--mantine-color-default-hover)">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Field label="Card" mono>
          {formatSerial(card.serial)}
        </Field>
        <Field label="Value">{money(card.faceValueMinor, card.currency, card.marketplace)}</Field>
        <Field label="Delivered by">{card.deliveryChannel === 'email' ? 'E-mail' : 'Post (physical card)'}</Field>
        <Field label="Claim code ends">{card.claimCodeLast4}</Field>
      </SimpleGrid>
    </Paper>
  );
}

function LockedBanner({ lockedAt, canUnlock, onUnlock }: { lockedAt: string; canUnlock: boolean; onUnlock(): void }) {
  return (
    <Alert color="orange" icon={<IconLock aria-hidden />} title="Recovery is locked for this card" role="alert">
      <Stack gap="xs">
        <Text size="sm">
          Locked on {formatDateTime(lockedAt)} after repeated failed checks of the caller's details. No further checks can be
          made until a supervisor unlocks it.
        </Text>
        {canUnlock && (
          <Button size="xs" color="orange" variant="white" w="fit-content" leftSection={<IconLockOpen size={16} aria-hidden />} onClick={onUnlock}>
            Unlock…
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function RecoveryScreen() {
  const { session } = useSession();
  const { navigate, canOpen } = useNavigation();
  const [stage, setStage] = useState<Stage>({ step: 'card' });
  const [serial, setSerial] = useState('');
  const [ticketId, setTicketId] = useState('');
  const [facts, setFacts] = useState<Facts>(noFacts);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [unlocking, setUnlocking] = useState(false);
  const isSupervisor = session?.user.role === 'supervisor';

  async function openCard(event?: FormEvent) {
    event?.preventDefault();
    const parsed = parseSerial(serial);
    const errors: Record<string, string> = {};
    if (!parsed.ok) errors['serial'] = parsed.message;
    if (!ticketId.trim()) errors['ticketId'] = 'Enter the ticket id.';
    setFieldErrors(errors);
    if (!parsed.ok || errors['ticketId']) return;
    setBusy(true);
    setProblem(null);
    try {
      const card = await call((api) => api.cards.lookup({ serial: parsed.serial }));
      if (card.status !== 'active') {
        setProblem(
          card.status === 'redeemed'
            ? 'This card was already redeemed, so there is no code to recover. Look it up to see where its value went.'
            : 'This card was cancelled (void), so there is nothing to recover.',
        );
        return;
      }
      setFacts(noFacts);
      setStage({ step: 'facts', card });
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  async function refreshCard(card: CardDetails) {
    const fresh = await call((api) => api.cards.lookup({ serial: card.serial }));
    setStage({ step: 'facts', card: fresh });
  }

  async function check(card: CardDetails, event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setFieldErrors({});
    try {
      const verification = await call((api) =>
        api.recovery.verify({
          serial: card.serial,
          orderNumber: facts.orderNumber,
          purchaserName: facts.purchaserName,
          recipientName: facts.recipientName,
          deliveryAddress: facts.deliveryAddress,
          ...(facts.claimCodeFragment.trim() ? { claimCodeFragment: facts.claimCodeFragment } : {}),
          ticketId: ticketId.trim(),
        }),
      );
      setStage({ step: 'result', card, verification });
    } catch (failure) {
      if (failure instanceof CallError && failure.code === 'VALIDATION_FAILED') {
        const fields = (failure.details?.['fields'] as { path: string; message: string }[] | undefined) ?? [];
        setFieldErrors(Object.fromEntries(fields.map((f) => [f.path, f.message])));
      } else if (failure instanceof CallError && failure.code === 'RECOVERY_LOCKED') {
        setStage({ step: 'facts', card: { ...card, recoveryLockedAt: String(failure.details?.['lockedAt'] ?? '') } });
      } else setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  function restart() {
    setStage({ step: 'card' });
    setSerial('');
    setTicketId('');
    setFacts(noFacts);
    setProblem(null);
  }

  const set = (field: keyof Facts) => (value: string) => {
    setFacts((current) => ({ ...current, [field]: value }));
    setFieldErrors((current) => ({ ...current, [field]: '' }));
  };

  return (
    <Stack maw={1000}>
      <ScreenHeader
        title="Damaged-code recovery"
        description="The caller's claim code is scratched off: check what they know of the purchase against the record, then recover the value. The record itself is never shown."
      />
      <Stepper active={stepIndex[stage.step]} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Card" description="Serial and ticket" />
        <Stepper.Step label="Caller's details" description="What they know" />
        <Stepper.Step label="Result" description="Verify, then resolve" />
        <Stepper.Step label="Done" />
      </Stepper>

      {problem && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Cannot continue" role="alert">
          {problem}
        </Alert>
      )}

      {stage.step === 'card' && (
        <Paper withBorder p="lg" radius="lg" component="form" onSubmit={openCard} aria-label="Recovery: card">
          <Stack>
            <SerialInput
              label="Serial number"
              placeholder="1700 0000 0000 0000 000"
              size="md"
              autoFocus
              value={serial}
              onChange={(value) => {
                setSerial(value);
                setFieldErrors((e) => ({ ...e, serial: '' }));
              }}
              error={fieldErrors['serial'] || null}
            />
            <TextInput
              label="Ticket id"
              placeholder="e.g. T-482913"
              value={ticketId}
              onChange={(e) => {
                setTicketId(e.currentTarget.value);
                setFieldErrors((current) => ({ ...current, ticketId: '' }));
              }}
              error={fieldErrors['ticketId'] || null}
            />
            <Group>
              <Button type="submit" loading={busy}>
                Continue
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}

      {stage.step === 'facts' && (
        <Stack>
          <CardStrip card={stage.card} />
          {stage.card.recoveryLockedAt ? (
            <LockedBanner lockedAt={stage.card.recoveryLockedAt} canUnlock={isSupervisor} onUnlock={() => setUnlocking(true)} />
          ) : (
            <Paper withBorder p="lg" radius="lg" component="form" onSubmit={(e) => void check(stage.card, e)} aria-label="Caller's details">
              <Stack>
                <Text size="sm" c="dimmed">
                  Ask the caller; type what they say, as they say it. Spelling, case, accents and word order are forgiven.
                </Text>
                <TextInput label="Order number" value={facts.orderNumber} onChange={(e) => set('orderNumber')(e.currentTarget.value)} error={fieldErrors['orderNumber'] || null} autoFocus />
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  <TextInput label="Purchaser name" value={facts.purchaserName} onChange={(e) => set('purchaserName')(e.currentTarget.value)} error={fieldErrors['purchaserName'] || null} />
                  <TextInput label="Recipient name" value={facts.recipientName} onChange={(e) => set('recipientName')(e.currentTarget.value)} error={fieldErrors['recipientName'] || null} />
                </SimpleGrid>
                <TextInput
                  label={stage.card.deliveryChannel === 'email' ? 'Delivery e-mail' : 'Shipping address'}
                  description={stage.card.deliveryChannel === 'email' ? 'The e-mail the card was sent to' : 'Where the physical card was posted'}
                  value={facts.deliveryAddress}
                  onChange={(e) => set('deliveryAddress')(e.currentTarget.value)}
                  error={fieldErrors['deliveryAddress'] || null}
                />
                <FragmentInput
                  label="Legible part of the code (optional)"
                  placeholder="AB??-??????-WXYZ"
                  value={facts.claimCodeFragment}
                  onChange={set('claimCodeFragment')}
                  error={fieldErrors['claimCodeFragment'] || null}
                />
                <Group>
                  <Button type="submit" loading={busy} leftSection={<IconShieldCheck size={18} aria-hidden />}>
                    Check the caller's details
                  </Button>
                  <Button variant="subtle" onClick={restart}>
                    Start over
                  </Button>
                </Group>
              </Stack>
            </Paper>
          )}
        </Stack>
      )}

      {stage.step === 'result' && (
        <Stack>
          <CardStrip card={stage.card} />
          <Paper withBorder p="lg" radius="lg" component="section" aria-label="Check result">
            <Stack>
              {stage.verification.outcome === 'verified' && (
                <Alert color="green" icon={<IconCircleCheck aria-hidden />} title="Caller verified" role="status">
                  The details fit the purchase record.
                </Alert>
              )}
              {stage.verification.outcome === 'failed' && (
                <Alert color="red" icon={<IconCircleX aria-hidden />} title="Not verified" role="status">
                  The details do not fit the record well enough. {stage.verification.attemptsRemaining}{' '}
                  {stage.verification.attemptsRemaining === 1 ? 'check is' : 'checks are'} left before recovery locks for this card.
                </Alert>
              )}
              {stage.verification.outcome === 'locked' && stage.verification.lockedAt && (
                <LockedBanner lockedAt={stage.verification.lockedAt} canUnlock={isSupervisor} onUnlock={() => setUnlocking(true)} />
              )}
              <CheckResults checks={stage.verification.checks} />
              {stage.verification.outcome === 'failed' && (
                <Group>
                  <Button variant="default" onClick={() => setStage({ step: 'facts', card: stage.card })}>
                    Check again
                  </Button>
                  {canOpen('credits') && (
                    <Button
                      variant="light"
                      leftSection={<IconReceiptRefund size={18} aria-hidden />}
                      onClick={() => navigate('credits', { serial: stage.card.serial, ticketId: ticketId.trim(), reason: 'DAMAGED_CODE' })}
                    >
                      Request a manual credit instead
                    </Button>
                  )}
                </Group>
              )}
            </Stack>
          </Paper>
          {stage.verification.outcome === 'verified' && (
            <Paper withBorder p="lg" radius="lg" component="section" aria-label="Resolve">
              <Title order={3} fz="md" mb="sm">
                Resolve
              </Title>
              <ResolvePanel
                card={stage.card}
                verification={stage.verification}
                onResolved={(resolution) => setStage({ step: 'done', card: stage.card, resolution })}
                onCheckAgain={() => setStage({ step: 'facts', card: stage.card })}
              />
            </Paper>
          )}
        </Stack>
      )}

      {stage.step === 'done' && (
        <Paper withBorder p="lg" radius="lg" component="section" aria-label="Recovery complete">
          <Stack>
            <Alert color="green" icon={<IconCircleCheck aria-hidden />} title="Recovery complete" role="status">
              {stage.resolution.action === 'redeemToAccount'
                ? `${money(stage.resolution.amountMinor, stage.resolution.currency, stage.card.marketplace)} was added to account ${stage.resolution.accountId}. Its balance is now ${money(stage.resolution.balanceMinor ?? 0, stage.resolution.currency, stage.card.marketplace)}.`
                : `Card ${formatSerial(stage.resolution.serial)} is cancelled. Replacement card ${formatSerial(stage.resolution.replacementSerial ?? '')} (${money(stage.resolution.amountMinor, stage.resolution.currency, stage.card.marketplace)}) is queued for delivery ${stage.resolution.delivery?.channel === 'email' ? 'by e-mail' : 'by post'} to ${stage.resolution.delivery?.destination ?? 'the address on file'}.`}
            </Alert>
            <Group>
              <Button onClick={restart}>Start another recovery</Button>
              <Button variant="default" onClick={() => navigate('lookup', { serial: stage.resolution.replacementSerial ?? stage.resolution.serial })}>
                Open the card
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}

      {(stage.step === 'facts' || stage.step === 'result') && (
        <UnlockDialog
          serial={stage.card.serial}
          opened={unlocking}
          onClose={() => setUnlocking(false)}
          onUnlocked={() => {
            setUnlocking(false);
            void refreshCard(stage.card);
          }}
        />
      )}
    </Stack>
  );
}
