import { Stack, Stepper } from '@mantine/core';
import { useState } from 'react';
import type { CardDetails, RecoveryResolution, RecoveryVerification } from '../../../shared/types';
import { CardStep } from '../components/recovery/CardStep';
import { DoneStep } from '../components/recovery/DoneStep';
import { FactsStep, noFacts, type Facts } from '../components/recovery/FactsStep';
import { ResultStep } from '../components/recovery/ResultStep';
import { UnlockDialog } from '../components/recovery/UnlockDialog';
import { ScreenHeader } from '../components/ScreenHeader';
import { useSession } from '../session';

/** The card as opened at step 1 and the ticket every later call is recorded under. */
interface Case {
  card: CardDetails;
  ticketId: string;
}

type Stage =
  | { step: 'card' }
  | { step: 'facts'; case: Case; facts: Facts }
  | { step: 'result'; case: Case; facts: Facts; verification: RecoveryVerification }
  | { step: 'done'; case: Case; resolution: RecoveryResolution };

const stepIndex: Record<Stage['step'], number> = { card: 0, facts: 1, result: 2, done: 3 };

/** Damaged-code recovery, one component per step; this screen only moves between them. */
export function RecoveryScreen() {
  const { session } = useSession();
  const [stage, setStage] = useState<Stage>({ step: 'card' });
  const [unlocking, setUnlocking] = useState(false);
  const canUnlock = session?.user.role === 'supervisor';
  const restart = () => setStage({ step: 'card' });

  /** Back to the caller's details for the same case; `card` when it changed (locked, unlocked). */
  function checkAgain(current: Stage & { case: Case; facts: Facts }, card = current.case.card) {
    setStage({ step: 'facts', case: { ...current.case, card }, facts: current.facts });
  }

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

      {stage.step === 'card' && <CardStep onOpened={(card, ticketId) => setStage({ step: 'facts', case: { card, ticketId }, facts: noFacts })} />}

      {stage.step === 'facts' && (
        <FactsStep
          card={stage.case.card}
          ticketId={stage.case.ticketId}
          facts={stage.facts}
          canUnlock={canUnlock}
          onUnlock={() => setUnlocking(true)}
          onChecked={(verification, facts) => setStage({ step: 'result', case: stage.case, facts, verification })}
          onLocked={(lockedAt) => checkAgain(stage, { ...stage.case.card, recoveryLockedAt: lockedAt })}
          onRestart={restart}
        />
      )}

      {stage.step === 'result' && (
        <ResultStep
          card={stage.case.card}
          ticketId={stage.case.ticketId}
          verification={stage.verification}
          canUnlock={canUnlock}
          onUnlock={() => setUnlocking(true)}
          onCheckAgain={() => checkAgain(stage)}
          onResolved={(resolution) => setStage({ step: 'done', case: stage.case, resolution })}
        />
      )}

      {stage.step === 'done' && <DoneStep resolution={stage.resolution} marketplace={stage.case.card.marketplace} onRestart={restart} />}

      {(stage.step === 'facts' || stage.step === 'result') && (
        <UnlockDialog
          serial={stage.case.card.serial}
          opened={unlocking}
          onClose={() => setUnlocking(false)}
          onUnlocked={() => {
            setUnlocking(false);
            // The unlock answered for this card: no need to read it again to know it is unlocked, once more.
            const card = stage.case.card;
            checkAgain(stage, { ...card, recoveryLockedAt: null, recoveryUnlockCount: card.recoveryUnlockCount + 1 });
          }}
        />
      )}
    </Stack>
  );
}
