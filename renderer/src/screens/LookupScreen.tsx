import { Box, Kbd, LoadingOverlay, Stack } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatSerial, parseSerial } from '../../../shared/serial';
import type { CardDetails } from '../../../shared/types';
import { call } from '../api';
import { CardDetailsView } from '../components/CardDetailsView';
import { ScreenHeader } from '../components/ScreenHeader';
import { SearchFailed, SerialNotFound, SerialSearchForm } from '../components/SerialSearch';
import { askBySerial, type SerialAnswer } from '../serialSearch';
import { useNavigation } from '../shell/navigation';

type Result = { kind: 'none' } | { kind: 'loading' } | SerialAnswer<CardDetails>;

const lookUpCard = (serial: string) => askBySerial(serial, (s) => call((api) => api.cards.lookup({ serial: s })));

export function LookupScreen() {
  const { params, navigate, canOpen } = useNavigation();
  const initial = params['serial'] ?? '';
  const [serial, setSerial] = useState(formatSerial(initial));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(initial ? { kind: 'loading' } : { kind: 'none' });
  const input = useRef<HTMLInputElement>(null);
  const busy = result.kind === 'loading';
  const shown = result.kind === 'found' ? result.value : null;

  function checkBalance() {
    if (shown && canOpen('balance')) navigate('balance', { serial: shown.serial });
  }

  // Both work from inside the serial field too.
  useHotkeys(
    [
      ['mod+L', () => input.current?.select()],
      ['alt+B', checkBalance],
    ],
    [],
  );

  // Opened with a serial (e.g. from Balance): show that card at once.
  useEffect(() => {
    if (!initial) return undefined;
    let live = true;
    void lookUpCard(initial).then((next) => {
      if (live) setResult(next);
    });
    return () => {
      live = false;
    };
  }, [initial]);

  async function lookUp(raw: string) {
    const parsed = parseSerial(raw);
    if (!parsed.ok) {
      setFieldError(parsed.message);
      input.current?.focus();
      return;
    }
    setFieldError(null);
    setResult({ kind: 'loading' });
    const next = await lookUpCard(parsed.serial);
    if (next.kind === 'invalid') {
      setFieldError(next.message);
      setResult({ kind: 'none' });
    } else setResult(next);
  }

  function open(other: string) {
    setSerial(formatSerial(other));
    void lookUp(other);
  }

  return (
    <Stack maw={1100}>
      <ScreenHeader title="Serial lookup" description="Find a gift card by the 19-digit serial number printed on it." />
      <SerialSearchForm
        ref={input}
        name="Serial lookup"
        buttonLabel="Look up"
        icon={IconSearch}
        value={serial}
        error={fieldError}
        busy={busy}
        onChange={(value) => {
          setSerial(value);
          if (fieldError) setFieldError(null);
        }}
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          void lookUp(serial);
        }}
        hint={
          <>
            Spaces and dashes are fine. Press <Kbd size="xs">Enter</Kbd> to search, <Kbd size="xs">Ctrl</Kbd> +{' '}
            <Kbd size="xs">L</Kbd> to return to the field.
          </>
        }
      />
      <Box pos="relative" mih={busy ? 120 : undefined}>
        <LoadingOverlay visible={busy} />
        {result.kind === 'found' && (
          <CardDetailsView card={result.value} onOpenSerial={open} onCheckBalance={canOpen('balance') ? checkBalance : undefined} />
        )}
        {result.kind === 'notFound' && <SerialNotFound {...result} onOpen={open} />}
        {result.kind === 'error' && <SearchFailed title="The lookup did not complete" message={result.message} />}
      </Box>
    </Stack>
  );
}
