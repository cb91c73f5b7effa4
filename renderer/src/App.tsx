import { Center, Loader, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, SessionInfo } from '../../shared/types';
import { call, CallError, errorMessage } from './api';
import { SignInScreen } from './screens/SignInScreen';
import { StoreErrorScreen } from './screens/StoreErrorScreen';
import { SessionProvider, useSession } from './session';
import { Shell } from './shell/Shell';

type Boot =
  | { state: 'loading' }
  | { state: 'failed'; error: CallError | Error }
  | { state: 'ready'; info: AppInfo; session: SessionInfo | null };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });

  const load = useCallback(async () => {
    setBoot({ state: 'loading' });
    try {
      const info = await call((api) => api.app.info());
      const session = await call((api) => api.session.current());
      setBoot({ state: 'ready', info, session });
    } catch (error) {
      setBoot({ state: 'failed', error: error instanceof Error ? error : new Error(errorMessage(error)) });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  if (boot.state === 'loading') {
    return (
      <Center h="100%">
        <Stack align="center" gap="sm">
          <Loader aria-label="Opening Giftdesk" />
          <Text c="dimmed">Opening Giftdesk…</Text>
        </Stack>
      </Center>
    );
  }
  if (boot.state === 'failed') {
    return <StoreErrorScreen error={boot.error} onRetry={load} />;
  }
  return (
    <SessionProvider initial={boot.session}>
      <Console info={boot.info} />
    </SessionProvider>
  );
}

function Console({ info }: { info: AppInfo }) {
  const { session } = useSession();
  return session ? <Shell info={info} session={session} /> : <SignInScreen info={info} />;
}
