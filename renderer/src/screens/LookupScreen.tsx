import { Alert, Box, Button, Group, Kbd, List, LoadingOverlay, Paper, Stack, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconAlertTriangle, IconSearch, IconSearchOff } from '@tabler/icons-react';
import { useRef, useState, type FormEvent } from 'react';
import { formatSerial, parseSerial } from '../../../shared/serial';
import type { CardDetails } from '../../../shared/types';
import { call, CallError, errorMessage } from '../api';
import { CardDetailsView } from '../components/CardDetailsView';
import { ScreenHeader } from '../components/ScreenHeader';
import { SerialInput } from '../components/SerialInput';

type Result =
  | { kind: 'none' }
  | { kind: 'found'; card: CardDetails }
  | { kind: 'notFound'; serial: string; message: string; suggestions: string[] }
  | { kind: 'error'; message: string };

export function LookupScreen() {
  const [serial, setSerial] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>({ kind: 'none' });
  const input = useRef<HTMLInputElement>(null);

  useHotkeys([['mod+L', () => input.current?.select()]]);

  async function lookUp(raw: string) {
    const parsed = parseSerial(raw);
    if (!parsed.ok) {
      setFieldError(parsed.message);
      input.current?.focus();
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      const card = await call((api) => api.cards.lookup({ serial: parsed.serial }));
      setResult({ kind: 'found', card });
    } catch (error) {
      if (error instanceof CallError && error.code === 'CARD_NOT_FOUND') {
        const suggestions = Array.isArray(error.details?.['suggestions']) ? (error.details['suggestions'] as string[]) : [];
        setResult({ kind: 'notFound', serial: parsed.serial, message: error.message, suggestions });
      } else if (error instanceof CallError && error.code === 'SERIAL_INVALID') {
        setFieldError(error.message);
        setResult({ kind: 'none' });
      } else {
        setResult({ kind: 'error', message: errorMessage(error) });
      }
    } finally {
      setBusy(false);
    }
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

      <Box pos="relative" mih={busy && result.kind === 'none' ? 120 : undefined}>
        <LoadingOverlay visible={busy} loaderProps={{ 'aria-label': 'Looking up the card' } as object} />
        {result.kind === 'found' && <CardDetailsView card={result.card} onOpenSerial={open} />}
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
