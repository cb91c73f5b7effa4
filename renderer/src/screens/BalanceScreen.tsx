import { Alert, Box, Button, Group, Kbd, List, LoadingOverlay, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconCoins, IconSearchOff } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { marketplaces } from '../../../shared/marketplaces';
import { formatSerial, parseSerial } from '../../../shared/serial';
import type { CardBalance } from '../../../shared/types';
import { call, CallError, errorMessage } from '../api';
import { Field } from '../components/Field';
import { ScreenHeader } from '../components/ScreenHeader';
import { SerialInput } from '../components/SerialInput';
import { StatusBadge } from '../components/StatusBadge';
import { formatDateTime, money } from '../format';
import { useNavigation } from '../shell/navigation';

type Result =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'balance'; balance: CardBalance }
  | { kind: 'notFound'; serial: string; message: string; suggestions: string[] }
  | { kind: 'invalid'; message: string }
  | { kind: 'error'; message: string };

async function inquire(serial: string): Promise<Result> {
  try {
    return { kind: 'balance', balance: await call((api) => api.cards.balance({ serial })) };
  } catch (error) {
    if (error instanceof CallError && error.code === 'CARD_NOT_FOUND') {
      const suggestions = Array.isArray(error.details?.['suggestions']) ? (error.details['suggestions'] as string[]) : [];
      return { kind: 'notFound', serial, message: error.message, suggestions };
    }
    if (error instanceof CallError && error.code === 'SERIAL_INVALID') return { kind: 'invalid', message: error.message };
    return { kind: 'error', message: errorMessage(error) };
  }
}

function BalanceAnswer({ balance, onOpenLookup }: { balance: CardBalance; onOpenLookup(): void }) {
  const locale = balance.marketplace;
  return (
    <Paper withBorder shadow="xs" p="lg" radius="lg" component="section" aria-label={`Balance of card ${formatSerial(balance.serial)}`}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
            Remaining value
          </Text>
          <Title order={2} fz={40} lh={1.1} aria-label="Remaining value">
            {money(balance.remainingValueMinor, balance.currency, locale)}
          </Title>
          <Text className="serial" c="dimmed" mt={4}>
            {formatSerial(balance.serial)}
          </Text>
        </div>
        <StatusBadge status={balance.status} />
      </Group>
      {balance.redeemable ? (
        <Alert mt="md" color="green" icon={<IconCircleCheck aria-hidden />} title="Good to use" role="note">
          This card can be redeemed for its full value of {money(balance.faceValueMinor, balance.currency, locale)}.
        </Alert>
      ) : (
        <Alert mt="md" color={balance.notRedeemableReason === 'void' ? 'red' : 'blue'} icon={<IconCircleX aria-hidden />} title="Not redeemable" role="note">
          {balance.notRedeemableReason === 'redeemed'
            ? `Its value was already added to account ${balance.redeemedToAccountId ?? ''} on ${balance.redeemedAt ? formatDateTime(balance.redeemedAt) : 'an earlier date'}.`
            : 'This card was cancelled and has no value.'}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }} mt="md">
        <Field label="Face value">{money(balance.faceValueMinor, balance.currency, locale)}</Field>
        <Field label="Marketplace">
          {marketplaces[balance.marketplace].name} · {balance.currency}
        </Field>
        <Field label="Redeemable">{balance.redeemable ? 'Yes' : 'No'}</Field>
      </SimpleGrid>
      <Group mt="md">
        <Button variant="default" size="xs" onClick={onOpenLookup}>
          Open the full card
        </Button>
      </Group>
    </Paper>
  );
}

export function BalanceScreen() {
  const { params, navigate } = useNavigation();
  const initial = params['serial'] ?? '';
  const [serial, setSerial] = useState(formatSerial(initial));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(initial ? { kind: 'loading' } : { kind: 'none' });
  const input = useRef<HTMLInputElement>(null);

  // Opened from the Lookup screen with a serial: answer at once.
  useEffect(() => {
    if (!initial) return undefined;
    let live = true;
    void inquire(initial).then((next) => {
      if (live) setResult(next);
    });
    return () => {
      live = false;
    };
  }, [initial]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseSerial(serial);
    if (!parsed.ok) {
      setFieldError(parsed.message);
      input.current?.focus();
      return;
    }
    setFieldError(null);
    setResult({ kind: 'loading' });
    const next = await inquire(parsed.serial);
    if (next.kind === 'invalid') {
      setFieldError(next.message);
      setResult({ kind: 'none' });
    } else setResult(next);
  }

  async function open(other: string) {
    setSerial(formatSerial(other));
    setResult({ kind: 'loading' });
    setResult(await inquire(other));
  }

  const busy = result.kind === 'loading';
  return (
    <Stack maw={1100}>
      <ScreenHeader title="Balance inquiry" description="Is this card still good, and for how much? Nothing is redeemed." />
      <Paper withBorder p="lg" radius="lg" component="form" onSubmit={submit} aria-label="Balance inquiry">
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
          <Button type="submit" size="md" mt={25} loading={busy} leftSection={<IconCoins size={18} aria-hidden />}>
            Check balance
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          Press <Kbd size="xs">Enter</Kbd> to check. From a card on the Lookup screen, <Kbd size="xs">Alt</Kbd> +{' '}
          <Kbd size="xs">B</Kbd> opens its balance here.
        </Text>
      </Paper>
      <Box pos="relative" mih={busy ? 120 : undefined}>
        <LoadingOverlay visible={busy} />
        {result.kind === 'balance' && (
          <BalanceAnswer balance={result.balance} onOpenLookup={() => navigate('lookup', { serial: result.balance.serial })} />
        )}
        {result.kind === 'notFound' && (
          <Alert color="yellow" icon={<IconSearchOff aria-hidden />} title={`No card with serial ${formatSerial(result.serial)}`} role="alert">
            <Text size="sm">{result.message}</Text>
            {result.suggestions.length > 0 && (
              <List mt="sm" spacing={6} listStyleType="none" aria-label="Did you mean">
                {result.suggestions.map((suggestion) => (
                  <List.Item key={suggestion}>
                    <Button variant="light" size="compact-md" className="serial" onClick={() => void open(suggestion)}>
                      {formatSerial(suggestion)}
                    </Button>
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        {result.kind === 'error' && (
          <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="The inquiry did not complete" role="alert">
            {result.message}
          </Alert>
        )}
      </Box>
    </Stack>
  );
}
