import { Alert, Box, Button, Group, Kbd, LoadingOverlay, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconCoins } from '@tabler/icons-react';
import { marketplaces } from '../../../shared/marketplaces';
import { formatSerial } from '../../../shared/serial';
import type { CardBalance } from '../../../shared/types';
import { Field } from '../components/Field';
import { ScreenHeader } from '../components/ScreenHeader';
import { SearchFailed, SerialNotFound, SerialSearchForm } from '../components/SerialSearch';
import { StatusBadge } from '../components/StatusBadge';
import { formatDateTime, money } from '../format';
import { cardQueries } from '../data/cards';
import { useSerialSearch } from '../serialSearch';
import { useNavigation } from '../shell/navigation';

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
  const { input, serial, fieldError, busy, result, change, submit, open } = useSerialSearch(cardQueries.balance, params['serial'] ?? '');
  return (
    <Stack maw={1100}>
      <ScreenHeader title="Balance inquiry" description="Is this card still good, and for how much? Nothing is redeemed." />
      <SerialSearchForm
        ref={input}
        name="Balance inquiry"
        buttonLabel="Check balance"
        icon={IconCoins}
        value={serial}
        error={fieldError}
        busy={busy}
        onChange={change}
        onSubmit={submit}
        hint={
          <>
            Press <Kbd size="xs">Enter</Kbd> to check. From a card on the Lookup screen, <Kbd size="xs">Alt</Kbd> +{' '}
            <Kbd size="xs">B</Kbd> opens its balance here.
          </>
        }
      />
      <Box pos="relative" mih={busy ? 120 : undefined}>
        <LoadingOverlay visible={busy} />
        {result.kind === 'found' && (
          <BalanceAnswer balance={result.value} onOpenLookup={() => navigate('lookup', { serial: result.value.serial })} />
        )}
        {result.kind === 'notFound' && <SerialNotFound {...result} onOpen={open} />}
        {result.kind === 'error' && <SearchFailed title="The inquiry did not complete" message={result.message} />}
      </Box>
    </Stack>
  );
}
