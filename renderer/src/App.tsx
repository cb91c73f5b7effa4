import { Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
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

/** Asks the main process what it has: app info and this window's session. */
async function boot(): Promise<Boot> {
  try {
    const info = await call((api) => api.app.info());
    const session = await call((api) => api.session.current());
    return { state: 'ready', info, session };
  } catch (error) {
    return { state: 'failed', error: error instanceof Error ? error : new Error(errorMessage(error)) };
  }
}

export function App() {
  // A retry remounts the console, which boots again from scratch.
  const [attempt, setAttempt] = useState(0);
  return <Booting key={attempt} onRetry={() => setAttempt((n) => n + 1)} />;
}

function Booting({ onRetry }: { onRetry: () => void }) {
  const [state, setState] = useState<Boot>({ state: 'loading' });

  useEffect(() => {
    let current = true;
    void boot().then((next) => {
      if (current) setState(next);
    });
    return () => {
      current = false;
    };
  }, []);

  if (state.state === 'loading') {
    return (
      <Center h="100%">
        <Stack align="center" gap="sm">
          <Loader aria-label="Opening Giftdesk" />
          <Text c="dimmed">Opening Giftdesk…</Text>
        </Stack>
      </Center>
    );
  }
  if (state.state === 'failed') {
    return <StoreErrorScreen error={state.error} onRetry={onRetry} />;
  }
  return (
    <SessionProvider initial={state.session}>
      <Console info={state.info} />
    </SessionProvider>
  );
}

function Console({ info }: { info: AppInfo }) {
  const { session } = useSession();
  return session ? <Shell info={info} session={session} /> : <SignInScreen info={info} />;
}
