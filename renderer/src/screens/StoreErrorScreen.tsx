import { Alert, Button, Center, Code, Paper, Stack, Text, Title } from '@mantine/core';
import { IconDatabaseOff } from '@tabler/icons-react';
import { CallError } from '../api';
import { Logo } from '../components/Logo';

/** Shown instead of a blank window when the store cannot be opened (or the bridge is missing). */
export function StoreErrorScreen({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const unavailable = error instanceof CallError && error.code === 'STORE_UNAVAILABLE';
  return (
    <Center component="main" h="100%" p="xl">
      <Paper withBorder shadow="sm" p="xl" maw={560} w="100%">
        <Stack>
          <Logo />
          <Title order={2}>{unavailable ? 'Giftdesk cannot open its card store' : 'Giftdesk could not start'}</Title>
          <Alert color="red" icon={<IconDatabaseOff aria-hidden />} title="What went wrong" role="alert">
            <Text size="sm">{error.message}</Text>
          </Alert>
          <Text size="sm" c="dimmed">
            Nothing has been changed. Check the connection or the settings named above (for example{' '}
            <Code>GIFTDESK_DATABASE_URL</Code>), then try again.
          </Text>
          <Button onClick={onRetry} w="fit-content">
            Try again
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
