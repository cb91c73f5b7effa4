import { Alert, Box, Button, Group, Kbd, List, LoadingOverlay, Paper, Stack, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconAlertTriangle, IconSearch, IconSearchOff } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatSerial, parseSerial } from '../../../shared/serial';
import type { CardDetails } from '../../../shared/types';
import { call, CallError, errorMessage } from '../api';
import { CardDetailsView } from '../components/CardDetailsView';
import { ScreenHeader } from '../components/ScreenHeader';
import { SerialInput } from '../components/SerialInput';
import { useNavigation } from '../shell/navigation';

type Result =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'invalid'; message: string }
  | { kind: 'found'; card: CardDetails }
  | { kind: 'notFound'; serial: string; message: string; suggestions: string[] }
  | { kind: 'error'; message: string };

async function fetchCard(serial: string): Promise<Result> {
  try {
    return { kind: 'found', card: await call((api) => api.cards.lookup({ serial })) };
  } catch (error) {
    if (error instanceof CallError && error.code === 'CARD_NOT_FOUND') {
      const suggestions = Array.isArray(error.details?.['suggestions']) ? (error.details['suggestions'] as string[]) : [];
      return { kind: 'notFound', serial, message: error.message, suggestions };
    }
    if (error instanceof CallError && error.code === 'SERIAL_INVALID') return { kind: 'invalid', message: error.message };
    return { kind: 'error', message: errorMessage(error) };
  }
}

export function LookupScreen() {
  const { params, navigate, canOpen } = useNavigation();
  const initial = params['serial'] ?? '';
  const [serial, setSerial] = useState(formatSerial(initial));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(initial ? { kind: 'loading' } : { kind: 'none' });
  const input = useRef<HTMLInputElement>(null);
  const busy = result.kind === 'loading';
  const shown = result.kind === 'found' ? result.card : null;

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
    void fetchCard(initial).then((next) => {
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
    const next = await fetchCard(parsed.serial);
    if (next.kind === 'invalid') {
      setFieldError(next.message);
      setResult({ kind: 'none' });
    } else setResult(next);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void lookUp(serial);
  }

  function open(other: string) {
    setSerial(formatSerial(other));
    void lookUp(other);
  }

  return (
    <Stack maw={1100}>
      <ScreenHeader title="Serial lookup" description="Find a gift card by the 19-digit serial number printed on it." />
      <Paper withBorder p="lg" radius="lg" component="form" onSubmit={submit} aria-label="Serial lookup">
        <Group align="flex-start" wrap="nowrap">
          <SerialInput
            ref={input}
            label="Serial number"
            placeholder="1700 0000 0000 0000 000"
            size="md"
            autoFocus
            style={{ flex: 1 }}
            value={serial}
            onChange={(value) => {
              setSerial(value);
              if (fieldError) setFieldError(null);
            }}
            error={fieldError}
          />
          <Button type="submit" size="md" mt={25} loading={busy} leftSection={<IconSearch size={18} aria-hidden />}>
            Look up
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          Spaces and dashes are fine. Press <Kbd size="xs">Enter</Kbd> to search, <Kbd size="xs">Ctrl</Kbd> +{' '}
          <Kbd size="xs">L</Kbd> to return to the field.
        </Text>
      </Paper>

      <Box pos="relative" mih={busy ? 120 : undefined}>
        <LoadingOverlay visible={busy} />
        {result.kind === 'found' && (
          <CardDetailsView card={result.card} onOpenSerial={open} onCheckBalance={canOpen('balance') ? checkBalance : undefined} />
        )}
        {result.kind === 'notFound' && (
          <Alert
            color="yellow"
            icon={<IconSearchOff aria-hidden />}
            title={`No card with serial ${formatSerial(result.serial)}`}
            role="alert"
          >
            <Text size="sm">{result.message}</Text>
            {result.suggestions.length > 0 && (
              <List mt="sm" spacing={6} listStyleType="none" aria-label="Did you mean">
                {result.suggestions.map((suggestion) => (
                  <List.Item key={suggestion}>
                    <Button variant="light" size="compact-md" className="serial" onClick={() => open(suggestion)}>
                      {formatSerial(suggestion)}
                    </Button>
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        {result.kind === 'error' && (
          <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="The lookup did not complete" role="alert">
            {result.message}
          </Alert>
        )}
      </Box>
    </Stack>
  );
}
