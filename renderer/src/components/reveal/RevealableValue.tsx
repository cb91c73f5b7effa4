import { Button, Text } from '@mantine/core';
import { IconEye, IconEyeOff } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { revealFieldLabels, type RevealField, type RevealSubjectType } from '../../../../shared/personalData';
import { revealMutation } from '../../data/personalData';
import { useSession } from '../../session';
import { RevealDialog, type RevealRequest } from './RevealDialog';

interface RevealableValueProps {
  subjectType: RevealSubjectType;
  subjectId: string;
  field: RevealField;
  /** What everyone sees: the value as the main process masked it. */
  masked: string;
  /** "card 1700 …" or "account ACC-US-1001". */
  subjectLabel: string;
}

interface Shown {
  value: string;
  /** `Date.now()` at which it is masked again. */
  until: number;
}

/**
 * A masked value and, for a user who may reveal, a Reveal button: a reason and a ticket
 * later the full value is shown for the seconds the main process says (60), counting
 * down, then masked again. The value lives only in this component's state: the
 * mutation is reset as soon as it answers (data/personalData.ts), and the state goes
 * with the timer, the Hide button or the component itself. One button toggles between
 * Reveal and Hide, so keyboard focus stays on it throughout.
 */
export function RevealableValue({ subjectType, subjectId, field, masked, subjectLabel }: RevealableValueProps) {
  const { session } = useSession();
  const reveal = useMutation(revealMutation());
  const [asking, setAsking] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const [secondsLeft, setSecondsLeft] = useState(0);

  useEffect(() => {
    if (!shown) return undefined;
    const timer = setInterval(() => {
      const left = Math.ceil((shown.until - Date.now()) / 1000);
      if (left <= 0) setShown(null);
      else setSecondsLeft(left);
    }, 250);
    return () => clearInterval(timer);
  }, [shown]);

  const label = revealFieldLabels[field];
  const close = () => {
    setAsking(false);
    reveal.reset();
  };
  const ask = (request: RevealRequest, onFieldErrors: (error: unknown) => void) =>
    reveal.mutate(
      { subjectType, subjectId, field, ...request },
      {
        onSuccess: (revealed) => {
          setShown({ value: revealed.value, until: Date.now() + revealed.visibleForSeconds * 1000 });
          setSecondsLeft(revealed.visibleForSeconds);
          setAsking(false);
          // Out of the mutation cache at once: from here the value is this component's alone.
          reveal.reset();
        },
        onError: onFieldErrors,
      },
    );

  return (
    <>
      <Text span inherit data-revealed={shown ? 'true' : 'false'}>
        {shown ? shown.value : masked}
      </Text>
      {session?.canReveal && (
        <>
          {' '}
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={shown ? <IconEyeOff size={14} aria-hidden /> : <IconEye size={14} aria-hidden />}
            aria-label={shown ? `Hide ${label}` : `Reveal ${label}`}
            onClick={() => (shown ? setShown(null) : setAsking(true))}
          >
            {shown ? 'Hide' : 'Reveal'}
          </Button>
        </>
      )}
      {shown && (
        <Text span size="xs" c="dimmed" role="timer" aria-label={`${label} masked again in ${secondsLeft} seconds`}>
          {' '}
          masked again in {secondsLeft} s
        </Text>
      )}
      {session?.canReveal && (
        // Kept mounted (its form is not, while closed), so closing returns focus to the button.
        <RevealDialog
          field={field}
          subjectLabel={subjectLabel}
          opened={asking}
          pending={reveal.isPending}
          error={reveal.error}
          onClose={close}
          onReveal={ask}
        />
      )}
    </>
  );
}
