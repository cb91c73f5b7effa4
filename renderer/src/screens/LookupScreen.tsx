import { Box, Kbd, LoadingOverlay, Stack } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { CardDetailsView } from '../components/CardDetailsView';
import { ScreenHeader } from '../components/ScreenHeader';
import { SearchFailed, SerialNotFound, SerialSearchForm } from '../components/SerialSearch';
import { cardQueries } from '../data/cards';
import { useSerialSearch } from '../serialSearch';
import { useNavigation } from '../shell/navigation';

export function LookupScreen() {
  const { params, navigate, canOpen } = useNavigation();
  const { input, serial, fieldError, busy, result, change, submit, open } = useSerialSearch(cardQueries.lookup, params['serial'] ?? '');
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
        onChange={change}
        onSubmit={submit}
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
