import { Alert, Button, Center, Code, Paper, Stack, Text, Title } from '@mantine/core';
import {
  IconCertificateOff,
  IconClockX,
  IconDatabaseOff,
  IconPlugConnectedX,
  IconServerOff,
  IconVersionsOff,
  IconWorldOff,
  type Icon,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { CallError } from '../api';
import { Logo } from '../components/Logo';

/** What a console of a team server says went wrong (electron/remote/client.ts `ServerProblem`). */
type ServerReason = 'unreachable' | 'unknown-host' | 'certificate' | 'version' | 'interrupted' | 'timeout' | 'not-giftdesk';

interface Explained {
  title: string;
  icon: Icon;
  /** Under the message: what to check, and whether anything may have been changed. */
  hint: ReactNode;
}

const SERVER_SETTINGS = (
  <>
    <Code>serverUrl</Code> (or <Code>GIFTDESK_SERVER_URL</Code>)
  </>
);

const SERVER_PROBLEMS: Record<ServerReason, Explained> = {
  unreachable: {
    title: 'Giftdesk cannot reach the team server',
    icon: IconServerOff,
    hint: <>Nothing has been changed. Check that the team server is running and that {SERVER_SETTINGS} is right, then try again.</>,
  },
  'unknown-host': {
    title: 'Giftdesk cannot find the team server',
    icon: IconWorldOff,
    hint: <>Nothing has been changed. Check the server address in {SERVER_SETTINGS}, then try again.</>,
  },
  certificate: {
    title: "Giftdesk does not trust the team server's certificate",
    icon: IconCertificateOff,
    hint: (
      <>
        Nothing was sent to the server. Ask your administrator for the server&apos;s CA file (<Code>serverCa</Code>) or its
        certificate fingerprint (<Code>serverFingerprint</Code>), then try again.
      </>
    ),
  },
  version: {
    title: 'The team server runs another version of Giftdesk',
    icon: IconVersionsOff,
    hint: <>Nothing has been changed. Install the console that matches the server, or ask your administrator.</>,
  },
  interrupted: {
    title: 'The connection to the team server broke',
    icon: IconPlugConnectedX,
    hint: <>The last action may or may not have been done. Try again: a repeated request is recognised and done at most once.</>,
  },
  timeout: {
    title: 'The team server did not answer in time',
    icon: IconClockX,
    hint: <>The last action may or may not have been done. Try again: a repeated request is recognised and done at most once.</>,
  },
  'not-giftdesk': {
    title: 'That address is not a Giftdesk team server',
    icon: IconServerOff,
    hint: <>Nothing has been changed. Check the server address in {SERVER_SETTINGS}, then try again.</>,
  },
};

function isServerReason(value: unknown): value is ServerReason {
  return typeof value === 'string' && Object.hasOwn(SERVER_PROBLEMS, value);
}

/** The team server problem an error names, if it names one. */
export function serverProblem(error: unknown): ServerReason | null {
  if (!(error instanceof CallError) || error.code !== 'STORE_UNAVAILABLE') return null;
  const reason = error.details?.['reason'];
  return isServerReason(reason) ? reason : null;
}

function explain(error: Error): Explained {
  const reason = serverProblem(error);
  if (reason) return SERVER_PROBLEMS[reason];
  const unavailable = error instanceof CallError && error.code === 'STORE_UNAVAILABLE';
  return {
    title: unavailable ? 'Giftdesk cannot open its card store' : 'Giftdesk could not start',
    icon: IconDatabaseOff,
    hint: (
      <>
        Nothing has been changed. Check the connection or the settings named above (for example <Code>GIFTDESK_DATABASE_URL</Code>), then
        try again.
      </>
    ),
  };
}

/**
 * Shown instead of a blank window when the store cannot be opened, the team server
 * cannot be reached or trusted (at start-up, or while signed in), or the bridge is
 * missing. The title names the problem (a refused certificate is not a store that is
 * down); the message is the main process's, in words.
 */
export function StoreErrorScreen({ error, onRetry, retrying = false }: { error: Error; onRetry: () => void; retrying?: boolean }) {
  const { title, icon: ProblemIcon, hint } = explain(error);
  return (
    <Center component="main" h="100%" p="xl">
      <Paper withBorder shadow="sm" p="xl" maw={560} w="100%">
        <Stack>
          <Logo />
          <Title order={2}>{title}</Title>
          <Alert color="red" icon={<ProblemIcon aria-hidden />} title="What went wrong" role="alert">
            <Text size="sm">{error.message}</Text>
          </Alert>
          <Text size="sm" c="dimmed" data-testid="store-error-hint">
            {hint}
          </Text>
          <Button onClick={onRetry} loading={retrying} w="fit-content">
            Try again
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
