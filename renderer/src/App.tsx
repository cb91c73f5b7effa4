import { Center, Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { appKeys } from './data/keys';
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
  const { boot, session } = useSession();
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
  return session ? <Shell info={info} session={session} /> : <SignInScreen info={info} />;
}
