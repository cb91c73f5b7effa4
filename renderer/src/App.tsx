import { Box, Center, Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { appKeys } from './data/keys';
import { ChangePasswordScreen } from './screens/ChangePasswordScreen';
import { FirstRunScreen } from './screens/FirstRunScreen';
import { SignInScreen } from './screens/SignInScreen';
import { StoreErrorScreen } from './screens/StoreErrorScreen';
import { SessionProvider, useSession } from './session';
import { Shell } from './shell/Shell';

export function App() {
  return (
    <SessionProvider>
      <Console />
    </SessionProvider>
  );
}

function Console() {
  const { boot, session, setupNeeded, serverDown, retrying, retryServer } = useSession();
  const queryClient = useQueryClient();

  if (boot.isPending) {
    return (
      <Center h="100%">
        <Stack align="center" gap="sm">
          <Loader aria-label="Opening Giftdesk" />
          <Text c="dimmed">Opening Giftdesk…</Text>
        </Stack>
      </Center>
    );
  }
  if (boot.isError) {
    // Back to "Opening Giftdesk…" while the main process is asked again.
    return <StoreErrorScreen error={boot.error} onRetry={() => void queryClient.resetQueries({ queryKey: appKeys.boot() })} />;
  }
  const { info } = boot.data;
  if (!session) return setupNeeded ? <FirstRunScreen info={info} /> : <SignInScreen info={info} />;
  // The main process refuses everything else until a temporary password is replaced.
  if (session.mustChangePassword) return <ChangePasswordScreen session={session} />;
  // When the team server stops answering, the screens stay mounted in the same place (a
  // half-filled form keeps its idempotency key for the retry) but out of sight and out of
  // the accessibility tree; the reason covers the window, above any open dialog.
  return (
    <>
      <div hidden={serverDown !== null} style={{ display: serverDown ? 'none' : 'contents' }}>
        <Shell info={info} session={session} />
      </div>
      {serverDown && (
        <Box pos="fixed" inset={0} bg="var(--mantine-color-body)" style={{ zIndex: 1000 }}>
          <StoreErrorScreen error={serverDown} onRetry={retryServer} retrying={retrying} />
        </Box>
      )}
    </>
  );
}
